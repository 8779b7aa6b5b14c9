import Manifest
import Testing
@testable import Planner

/// The `L=` order: KraftKit's rule by default, the manifest's own with `x-manifestc: {library-order}`.
@Suite struct LibraryOrderTests {
    static func order(_ text: String) throws -> [String] {
        Planning.plan(try manifest(text)).plan.libraries.map(\.name)
    }

    @Test func defaultIsKraftKitsRuntimesThenLibcThenTheRestByPath() throws {
        let names = try Self.order("""
            spec: v0.6
            libraries: {sqlite: stable, nginx: stable, lwip: stable, pthread-embedded: stable, newlib: stable, libgo: stable,
                        compiler-rt: stable, libunwind: stable, libcxx: stable, libcxxabi: stable}
            targets: [qemu/x86_64]
            """)
        #expect(names == ["libcxxabi", "libcxx", "libunwind", "compiler-rt", "libgo", "newlib", "pthread-embedded", "lwip", "nginx", "sqlite"])
    }

    @Test func aLocalLibrarySortsByItsFolderAmongTheRemoteOnes() throws {
        // KraftKit unpacks a remote library at .unikraft/libs/<name>: './aaa' comes after it, '../b' before.
        let names = try Self.order("spec: v0.6\nlibraries:\n  zz: {source: ./aaa}\n  up: {source: ../b}\n  python3: stable\n  musl: stable\ntargets: [qemu/x86_64]\n")
        #expect(names == ["musl", "up", "python3", "zz"])
    }

    @Test func libraryOrderKeepsTheManifestsOrder() throws {
        let text = "spec: v0.6\nlibraries: {musl: stable, lwip: stable, python3: stable, compiler-rt: stable}\ntargets: [qemu/x86_64]\n"
        #expect(try Self.order(text) == ["compiler-rt", "musl", "lwip", "python3"])
        #expect(try Self.order(text + "x-manifestc:\n  library-order: [musl, lwip, python3, compiler-rt]\n") == ["musl", "lwip", "python3", "compiler-rt"])
        let shown = try manifest(text + "x-manifestc: {library-order: [musl, lwip, python3, compiler-rt]}\n").document.yaml()
        #expect(shown.contains("x-manifestc:\n  library-order:\n    - musl\n    - lwip\n    - python3\n    - compiler-rt\n"), "\(shown)")
    }

    @Test func aWrongLibraryOrderIsALocatedError() throws {
        let base = "spec: v0.6\nlibraries: {musl: stable, lwip: stable}\ntargets: [qemu/x86_64]\nx-manifestc:\n  library-order: "
        func errors(_ list: String) throws -> [String] {
            Planning.plan(try manifest(base + list + "\n")).diagnostics.filter { $0.severity == .error }
                .map { "\($0.location!.range.start) \($0.id)" }
        }
        #expect(try errors("[musl, lwp]") == ["5:25 library-order-unknown"])
        #expect(try errors("[musl, lwip, musl]") == ["5:31 library-order-duplicate"])
        #expect(try errors("[lwip]") == ["5:18 library-order-missing"])
        #expect(try errors("[lwip, musl]").isEmpty)
    }
}
