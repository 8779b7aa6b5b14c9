import Foundation
import TestSupport
import Manifest
import Planner
import Testing
@testable import Emitters

/// The emitted Makefile, run with `make -n` against a fake Unikraft tree whose Makefile
/// prints what it was given.
@Suite(.tags(.slow)) struct MakefileTests {
    static let fakeUnikraft = """
        all:
        \t@echo "uk: A=$(A) L=$(L) C=$(notdir $(C)) O=$(notdir $(O)) N=$(N) goals=$(MAKECMDGOALS)"
        %:
        \t@echo "uk: A=$(A) L=$(L) C=$(notdir $(C)) O=$(notdir $(O)) N=$(N) goals=$(MAKECMDGOALS)"

        """

    /// An app folder with the Makefile of `manifestText`, and a fake Unikraft tree beside it.
    static func setUp(_ manifestText: String) throws -> (app: URL, unikraft: URL) {
        let root = try temporaryFolder(["unikraft/Makefile": fakeUnikraft])
        let app = root.appendingPathComponent("app")
        try FileManager.default.createDirectory(at: app, withIntermediateDirectories: true)
        let manifest = try #require(ManifestLoader().load(Array(manifestText.utf8), file: "kraft.yaml").manifest)
        var plan = Planning.plan(manifest).plan
        plan.makefileDefaults = MakefileDefaults(ukRoot: "../unikraft", ukLibs: "../libs")
        try write([MakefileEmitter.emit(plan)], to: app)
        return (app, root.appendingPathComponent("unikraft"))
    }

    static let twoTargets = "spec: v0.6\nname: hello\nlibraries: {lwip: stable, musl: stable}\ntargets: [qemu/x86_64, {plat: fc, arch: arm64, name: small}]\n"

    /// `make -n` lines of the fake tree, from `folder` (not the app's).
    static func make(_ arguments: [String], app: URL, from folder: URL) throws -> [String] {
        let result = try Subprocess.run("make", ["--no-print-directory", "-n", "-f", app.appendingPathComponent("Makefile").path] + arguments, in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.split(separator: "\n").map(String.init).filter { $0.hasPrefix("echo \"uk:") }
            .map { String($0.dropFirst("echo \"".count).dropLast()) }
    }

    @Test func defaultGoalBuildsEveryTargetWithItsOwnConfigAndFolder() throws {
        let (app, _) = try Self.setUp(Self.twoTargets)
        let lines = try Self.make([], app: app, from: FileManager.default.temporaryDirectory)
        let libs = app.deletingLastPathComponent().appendingPathComponent("libs").path
        #expect(lines == [
            "uk: A=\(app.path) L=\(libs)/lib-musl:\(libs)/lib-lwip C=.config.qemu-x86_64 O=qemu-x86_64 N=hello goals=",
            "uk: A=\(app.path) L=\(libs)/lib-musl:\(libs)/lib-lwip C=.config.small O=small N=small goals=",
        ])
    }

    @Test func perTargetGoalsAndPassThrough() throws {
        let (app, _) = try Self.setUp(Self.twoTargets)
        let elsewhere = FileManager.default.temporaryDirectory
        #expect(try Self.make(["small"], app: app, from: elsewhere).map { $0.contains("O=small N=small goals=") } == [true])
        #expect(try Self.make(["menuconfig-qemu-x86_64"], app: app, from: elsewhere).first?.hasSuffix("O=qemu-x86_64 N=hello goals=menuconfig") == true)
        #expect(try Self.make(["clean"], app: app, from: elsewhere).count == 2)
        #expect(try Self.make(["savedefconfig", "TARGET=small"], app: app, from: elsewhere).first?.hasSuffix("C=.config.small O=small N=small goals=savedefconfig") == true)
        #expect(try Self.make(["savedefconfig"], app: app, from: elsewhere).first?.hasSuffix("C=.config.qemu-x86_64 O=qemu-x86_64 N=hello goals=savedefconfig") == true)
    }

    @Test func ukRootCanBeOverridden() throws {
        let (app, unikraft) = try Self.setUp(Self.twoTargets)
        let moved = unikraft.deletingLastPathComponent().appendingPathComponent("elsewhere")
        try FileManager.default.moveItem(at: unikraft, to: moved)
        // Like Unikraft's Makefile, resolve O= through its parent folder, which must exist.
        let strict = "ifeq ($(realpath $(dir $(O))),)\n$(error the parent of O=$(O) does not exist)\nendif\n" + Self.fakeUnikraft
        try strict.write(to: moved.appendingPathComponent("Makefile"), atomically: true, encoding: .utf8)
        let result = try Subprocess.run("make", ["-s", "-f", app.appendingPathComponent("Makefile").path, "UK_ROOT=\(moved.path)", "qemu-x86_64"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("uk: A=\(app.path)"))
    }

    @Test func uk_libsOnTheCommandLineDoesNotReachUnikraft() throws {
        let (app, _) = try Self.setUp(Self.twoTargets)
        let fake = app.deletingLastPathComponent().appendingPathComponent("unikraft/Makefile")
        // Unikraft's Makefile keeps its own list in UK_LIBS: a command-line value would override it.
        try (Self.fakeUnikraft + "ifneq ($(origin UK_LIBS),undefined)\n$(error UK_LIBS reached Unikraft: $(UK_LIBS))\nendif\n")
            .write(to: fake, atomically: true, encoding: .utf8)
        let r = try Subprocess.run("make", ["-s", "-f", app.appendingPathComponent("Makefile").path, "UK_LIBS=/elsewhere", "small"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("L=/elsewhere/lib-musl:/elsewhere/lib-lwip"))
    }

    @Test func dollarSignsAreEscapedForMake() {
        #expect(MakefileEmitter.escape("a$b") == "a$$b")
    }
}
