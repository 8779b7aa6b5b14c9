import Manifest
import Testing
import Diagnostics
@testable import Planner

/// The one rule that finds the tree, on a file system of sets (issue 12, item 3).
@Suite struct TreeLocatorTests {
    struct Probe: TreeProbe {
        var trees: Set<String> = []
        var heads: [String: String] = [:]
        var outside: Set<String> = []
        func hasConfig(_ folder: String) -> Bool { trees.contains(folder) }
        func checkedOutCommit(_ folder: String) -> String? { heads[folder] }
        func refusal(_ folder: String) -> String? { outside.contains(folder) ? "it is outside" : nil }
    }

    static let commit = String(repeating: "a", count: 40)

    static func locator(_ unikraft: String, libraries: String = "", lock: Bool = true, given: TreeLocator.Found? = nil) throws -> TreeLocator {
        let m = try manifest("spec: v0.6\nname: app\n\(unikraft)\(libraries)targets: [qemu/x86_64]\n", file: "/repo/app/kraft.yaml")
        let entries = lock ? [LockEntry(role: .unikraft, url: SourceRules.unikraftRepository, version: "stable", commit: commit),
                              LockEntry(role: .library("musl"), url: SourceRules.libraryRepository("musl"), version: "stable", commit: commit)] : []
        return TreeLocator(manifest: m, manifestFolder: "/repo/app", workspace: "/repo/app/.unikraft", home: "/home/u",
                           lock: lock ? LockFile(entries: entries) : nil, given: given)
    }

    static let workspace = "/repo/app/.unikraft/unikraft", musl = "/repo/app/.unikraft/libs/lib-musl"

    @Test func theCommandLineComesFirst() throws {
        let given = TreeLocator.Found(folder: "/opt/uk", origin: .option("--uk-root"))
        let r = try Self.locator("unikraft:\n  source: ./uk\n", given: given).locate(Probe(trees: ["/repo/app/uk"]))
        #expect(r.unikraft == given)
    }

    @Test func theManifestsLocalSourceComesBeforeTheLock() throws {
        let probe = Probe(trees: ["/repo/app/uk", Self.workspace], heads: [Self.workspace: Self.commit])
        let r = try Self.locator("unikraft:\n  source: ./uk\n").locate(probe)
        #expect(r.unikraft == TreeLocator.Found(folder: "/repo/app/uk", origin: .manifestSource, written: "./uk"))
        let home = try Self.locator("unikraft:\n  source: ~/uk\n").locate(Probe(trees: ["/home/u/uk"]))
        #expect(home.unikraft?.folder == "/home/u/uk")
    }

    @Test func theLockedWorkspaceOnlyAtTheLockedCommit() throws {
        let pinned = Probe(trees: [Self.workspace, Self.musl], heads: [Self.workspace: Self.commit, Self.musl: Self.commit])
        let r = try Self.locator("unikraft: stable\n", libraries: "libraries:\n  musl: stable\n").locate(pinned)
        #expect(r.unikraft == TreeLocator.Found(folder: Self.workspace, origin: .lock))
        #expect(r.libraries["musl"] == TreeLocator.Found(folder: Self.musl, origin: .lock))
        #expect(r.notes.isEmpty)

        let moved = try Self.locator("unikraft: stable\n").locate(Probe(trees: [Self.workspace], heads: [Self.workspace: String(repeating: "b", count: 40)]))
        #expect(moved.unikraft == nil)
        #expect(moved.notes == ["kraft.lock pins unikraft at aaaaaaaaaaaa, but '.unikraft/unikraft' has another commit checked out; it is not used ('manifestc --build' moves it)"])
        let missing = try Self.locator("unikraft: stable\n").locate(Probe())
        #expect(missing.unikraft == nil && missing.notes.first?.contains("does not hold it") == true)
        // The lock pins another version than the manifest asks for: nothing is used, nothing said.
        let other = try Self.locator("unikraft: staging\n").locate(pinned)
        #expect(other.unikraft == nil && other.notes.isEmpty)
        #expect(try Self.locator("unikraft: stable\n", lock: false).locate(pinned).unikraft == nil)
    }

    @Test func aLocalSourceThatIsNoTreeOrOutsideIsAnError() throws {
        let none = try Self.locator("unikraft:\n  source: ./uk\n").locate(Probe())
        #expect(none.unikraft == nil && none.diagnostics.map(\.id) == ["source-folder"])
        #expect(none.diagnostics.first?.location?.range.start == SourcePosition(line: 4, column: 11))
        let outside = try Self.locator("unikraft:\n  source: ../../uk\n").locate(Probe(trees: ["/uk"], outside: ["/uk"]))
        #expect(outside.diagnostics.map(\.id) == ["source-outside"])
    }
}
