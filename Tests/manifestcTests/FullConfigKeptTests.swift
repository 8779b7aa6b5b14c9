import Foundation
import Testing
import TestSupport

/// A full `.config` written with a tree stands for its seed when a later run has no tree (the
/// CI gate of a GitOps repository: the files were emitted where the workspace was fetched, the
/// gate checks them without it), as long as manifestc wrote it and it holds the whole seed.
@Suite(.tags(.slow)) struct FullConfigKeptTests {
    typealias CLI = CommandLineTests

    /// Only the configurations: the Makefile names the tree it was written with (`UK_ROOT ?=`).
    static func folder() throws -> URL {
        var files = PlanAndExplainCommandTests.tree
        files["app/kraft.yaml"] = "spec: v0.6\nname: app\nunikraft:\n  kconfig:\n    CONFIG_LIBBASE: y\ntargets: [qemu/x86_64]\n"
        return try CLI.temporaryFolder(files)
    }

    static func config(_ folder: URL) throws -> String {
        try String(contentsOf: folder.appendingPathComponent("app/.config.qemu-x86_64"), encoding: .utf8)
    }

    @Test func aFullConfigurationPassesTheCheckAndSurvivesAnEmitWithoutTheTree() throws {
        let folder = try Self.folder()
        let uk = folder.appendingPathComponent("uk").path
        let emitted = try CLI.run(["app/kraft.yaml", "--emit", "config", "--uk-root", uk], in: folder)
        #expect(emitted.status == 0, "\(emitted.stderr)")
        let full = try Self.config(folder)
        #expect(full.hasPrefix("#\n# Automatically generated file; DO NOT EDIT."))

        let check = try CLI.run(["app/kraft.yaml", "--emit", "config", "--check"], in: folder)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        let again = try CLI.run(["app/kraft.yaml", "--emit", "config"], in: folder)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try Self.config(folder) == full)
        // The record still names the full file: the next check (and a later emit with the tree) agree.
        #expect(try CLI.run(["app/kraft.yaml", "--emit", "config", "--check"], in: folder).status == 0)
        #expect(try CLI.run(["app/kraft.yaml", "--emit", "config", "--check", "--uk-root", uk], in: folder).status == 0)
    }

    @Test func aManifestChangeTheFullConfigurationDoesNotHoldIsStale() throws {
        let folder = try Self.folder()
        let uk = folder.appendingPathComponent("uk").path
        #expect(try CLI.run(["app/kraft.yaml", "--emit", "config", "--uk-root", uk], in: folder).status == 0)
        let manifest = folder.appendingPathComponent("app/kraft.yaml")
        try (try String(contentsOf: manifest, encoding: .utf8)).replacingOccurrences(of: "CONFIG_LIBBASE: y", with: "CONFIG_LIBBASE: n")
            .write(to: manifest, atomically: true, encoding: .utf8)
        let check = try CLI.run(["app/kraft.yaml", "--emit", "config", "--check"], in: folder)
        #expect(check.status == 1)
        #expect(check.stdout.contains("-CONFIG_LIBBASE=y"), "\(check.stdout)")
    }

    @Test func anEditedFullConfigurationIsNotTakenForTheSeed() throws {
        let folder = try Self.folder()
        let uk = folder.appendingPathComponent("uk").path
        #expect(try CLI.run(["app/kraft.yaml", "--emit", "config", "--uk-root", uk], in: folder).status == 0)
        let config = folder.appendingPathComponent("app/.config.qemu-x86_64")
        try (try Self.config(folder) + "CONFIG_LIBFEATURE=y\n").write(to: config, atomically: true, encoding: .utf8)
        #expect(try CLI.run(["app/kraft.yaml", "--emit", "config", "--check"], in: folder).status == 1)
        let write = try CLI.run(["app/kraft.yaml", "--emit", "config"], in: folder)
        #expect(write.status == 1)
        #expect(write.stderr.contains("it was edited after manifestc generated it"), "\(write.stderr)")
    }
}
