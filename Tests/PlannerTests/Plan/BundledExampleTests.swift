import Foundation
import Manifest
import Testing
import Diagnostics
import Kconfig
@testable import Planner

/// The bundled examples plan without errors against the release they ask for ('stable' is
/// 0.17 or newer), and the linuxu error says where the version came from (issue 12, item 4).
@Suite struct BundledExampleTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples")

    static var names: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: examples.path)) ?? []).sorted()
            .filter { FileManager.default.fileExists(atPath: examples.appendingPathComponent("\($0)/kraft.yaml").path) }
    }

    static func load(_ text: String) throws -> Manifest {
        try #require(ManifestLoader().load(Array(text.utf8), file: "kraft.yaml").manifest)
    }

    /// Plans against the miniature tree of TargetSupportTests at `0.<minor>.1`.
    static func plan(_ m: Manifest, minor: Int) -> [Diagnostic] {
        var environment = PlanEnvironment(unikraft: UnikraftTree(base: "/uk", app: "/app", hostArch: "x86_64"),
                                          fileSystem: InMemoryKconfigFileSystem(files: TargetSupportTests.files(minor: minor)))
        environment.treeOrigin = "from kraft.lock"
        return Planning.plan(m, environment: environment).diagnostics
    }

    @Test func thereAreExamples() {
        #expect(Self.names.contains("helloworld") && Self.names.contains("helloworld-linuxu"), "\(Self.names)")
    }

    @Test(arguments: names)
    func everyExamplePlansAgainstTheReleaseItAsksFor(_ name: String) throws {
        let text = try String(contentsOf: Self.examples.appendingPathComponent("\(name)/kraft.yaml"), encoding: .utf8)
        let m = try Self.load(text)
        // A release number pins its minor version; a channel (or nothing) is today's 0.17 or newer.
        let minor = m.unikraft?.version.flatMap { UnikraftVersion(parsing: $0.value) }?.minor ?? 17
        let errors = Self.plan(m, minor: minor).filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(name): \(errors.map(\.message))")
    }

    @Test func linuxuOnATreeNamesTheTreesVersionFileAndTheManifestsRequest() throws {
        let m = try Self.load("spec: v0.6\nunikraft:\n  version: stable\ntargets: [linuxu/x86_64]\n")
        let d = try #require(Self.plan(m, minor: 17).first { $0.id == "linuxu-removed" })
        #expect(d.message == "the linuxu platform was removed in Unikraft 0.17, and the Unikraft tree '/uk' (from kraft.lock) is 0.17.1 (its version.mk)")
        #expect(d.location?.range.start == SourcePosition(line: 4, column: 11))
        #expect(d.notes.first?.message == "the manifest asks for 'stable'")
        #expect(d.notes.first?.location?.range.start == SourcePosition(line: 3, column: 12))
    }

    @Test func linuxuWithoutATreeNamesTheManifestsVersion() throws {
        let m = try Self.load("spec: v0.6\nunikraft: 0.17.0\ntargets: [linuxu/x86_64]\n")
        let d = try #require(Planning.plan(m).diagnostics.first { $0.id == "linuxu-removed" })
        #expect(d.message == "the linuxu platform was removed in Unikraft 0.17, and the manifest asks for Unikraft '0.17.0'")
    }
}
