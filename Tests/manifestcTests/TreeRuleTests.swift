import Foundation
import Testing
import TestSupport

/// One rule finds the tree for every command: `--uk-root`/`UK_ROOT`, then the manifest's
/// local `source:` folder, then the workspace `kraft.lock` pins, then none (issue 12, item 3).
@Suite(.tags(.slow)) struct TreeRuleTests {
    typealias CLI = CommandLineTests

    static func manifest(_ unikraft: String, libraries: String = "  foo: stable\n") -> String {
        BuildRunTests.manifest(unikraft: unikraft, libraries: libraries)
    }

    /// The fake tree copied into the app folder (inside the repository), as a local source.
    static func withLocalTree(_ fake: FakeUnikraft) throws {
        try FakeUnikraft.sh("cp -r ../uk ./uk && cp -r ../lib ./foo", in: fake.app)
    }

    @Test func emitUsesTheManifestsLocalSource() throws {
        let fake = try FakeUnikraft(manifest: Self.manifest("unikraft:\n  source: ./uk\n", libraries: "  foo:\n    source: ./foo\n"))
        try Self.withLocalTree(fake)
        let r = try fake.manifestc(["kraft.yaml", "--emit", "all"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("manifestc: using the Unikraft tree at './uk' (the manifest's source)\n"), "\(r.stderr)")
        #expect(r.stderr.contains("using library 'foo' at './foo' (the manifest's source)"), "\(r.stderr)")
        #expect(!r.stderr.contains("hold only the seed"), "\(r.stderr)")
        // The full configuration, with the library's symbol; the Makefile points at the source.
        #expect(fake.text(".config.linuxu-x86_64")?.contains("# Unikraft/0.16.3~") == true, "\(fake.text(".config.linuxu-x86_64") ?? "")")
        #expect(fake.text(".config.linuxu-x86_64")?.contains("CONFIG_LIBFOO=y\n") == true)
        #expect(fake.text("Makefile")?.contains("UK_ROOT ?= $(abspath $(HERE)/./uk)\n") == true, "\(fake.text("Makefile") ?? "")")
        // explain and plan find it too.
        let explain = try fake.manifestc(["explain", "LIBFOO"], environment: ["UK_ROOT": ""])
        #expect(explain.status == 0, "\(explain.stderr)")
        #expect(explain.stdout.contains("CONFIG_LIBFOO=y"), "\(explain.stdout)")
        let plan = try fake.manifestc(["plan", "--format", "json"], environment: ["UK_ROOT": ""])
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stderr.isEmpty, "\(plan.stderr)")
        #expect(plan.stdout.contains("\"full\": true"), "\(plan.stdout)")
        #expect(plan.stdout.contains("\"from\": \"source\""), "\(plan.stdout)")
    }

    @Test func afterABuildEveryCommandUsesTheLockedWorkspace() throws {
        let fake = try FakeUnikraft(manifest: Self.manifest("unikraft: stable\n"))
        let build = try fake.manifestc(["kraft.yaml", "--build"])
        #expect(build.status == 0, "\(build.stderr)")
        let config = try #require(fake.text(".config.linuxu-x86_64"))
        #expect(config.contains("CONFIG_LIBFOO=y\n"))
        // A plain emit and --check keep the full configurations (no seeds) and say where the tree came from.
        let emit = try fake.manifestc(["kraft.yaml", "--emit", "all"], environment: ["UK_ROOT": ""])
        #expect(emit.status == 0, "\(emit.stderr)")
        #expect(emit.stdout.contains(" 0 written"), "\(emit.stdout)")
        #expect(emit.stderr.contains("using the Unikraft tree at '.unikraft/unikraft' (from kraft.lock)"), "\(emit.stderr)")
        #expect(emit.stderr.contains("using library 'foo' at '.unikraft/libs/lib-foo' (from kraft.lock)"), "\(emit.stderr)")
        #expect(fake.text(".config.linuxu-x86_64") == config)
        let check = try fake.manifestc(["--check"], environment: ["UK_ROOT": ""])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        let explain = try fake.manifestc(["explain", "LIBFOO"], environment: ["UK_ROOT": ""])
        #expect(explain.status == 0, "\(explain.stderr)")
        #expect(explain.stdout.contains("CONFIG_LIBFOO=y"))
        // Quiet under --format json, but in its document.
        let json = try fake.manifestc(["explain", "LIBFOO", "--format", "json"], environment: ["UK_ROOT": ""])
        #expect(json.stderr.isEmpty, "\(json.stderr)")
        #expect(json.stdout.contains("\"from\": \"kraft.lock\""), "\(json.stdout)")

        // A workspace checkout at another commit is not the pinned tree: not used, and said so.
        try FakeUnikraft.sh("git -C .unikraft/unikraft -c advice.detachedHead=false checkout -q \(fake.commits["one"]!)", in: fake.app)
        let moved = try fake.manifestc(["kraft.yaml", "--dry-run"], environment: ["UK_ROOT": ""])
        #expect(moved.stderr.contains("kraft.lock pins unikraft at \(fake.commits["two"]!.prefix(12)), but '.unikraft/unikraft' has another commit checked out"), "\(moved.stderr)")
        #expect(moved.stderr.contains("hold only the seed"), "\(moved.stderr)")
    }

    @Test func theCommandLineComesFirstThenTheEnvironment() throws {
        let fake = try FakeUnikraft(manifest: Self.manifest("unikraft:\n  source: ./uk\n"))
        try Self.withLocalTree(fake)
        // Another tree, with another version, named on the command line.
        try FakeUnikraft.sh("cp -r ../uk ./other && sed -i 's/UK_SUBVERSION = 16/UK_SUBVERSION = 15/' other/version.mk", in: fake.app)
        let option = try fake.manifestc(["plan", "--uk-root", "other"], environment: ["UK_ROOT": ""])
        #expect(option.status == 0, "\(option.stderr)")
        #expect(option.stdout.contains("# Unikraft/0.15.3~"), "\(option.stdout)")
        #expect(option.stderr.contains("(from --uk-root)"), "\(option.stderr)")
        let environment = try fake.manifestc(["plan"], environment: ["UK_ROOT": fake.app.appendingPathComponent("other").path])
        #expect(environment.stdout.contains("# Unikraft/0.15.3~"), "\(environment.stdout)")
        #expect(environment.stderr.contains("(from $UK_ROOT)"), "\(environment.stderr)")
        let manifest = try fake.manifestc(["plan"], environment: ["UK_ROOT": ""])
        #expect(manifest.stdout.contains("# Unikraft/0.16.3~"), "\(manifest.stdout)")
    }

    @Test func aLocalSourceOutsideTheRepositoryIsRefusedUnlessAllowed() throws {
        let fake = try FakeUnikraft(manifest: Self.manifest("unikraft:\n  source: ../uk\n", libraries: ""))
        let refused = try fake.manifestc(["kraft.yaml", "--dry-run"], environment: ["UK_ROOT": ""])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("[source-outside]"), "\(refused.stderr)")
        let allowed = try fake.manifestc(["kraft.yaml", "--dry-run", "--allow-outside", "../uk"], environment: ["UK_ROOT": ""])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(allowed.stderr.contains("using the Unikraft tree at '../uk' (the manifest's source)"), "\(allowed.stderr)")
    }
}

extension TreeRuleTests {
    /// import of manifestc's own output finds the tree by the same rule (its kraft.lock's workspace).
    @Test func importOfABuiltSetupUsesTheLockedWorkspace() throws {
        let fake = try FakeUnikraft(manifest: Self.manifest("unikraft: stable\n"))
        #expect(try fake.manifestc(["kraft.yaml", "--build"]).status == 0)
        let r = try fake.manifestc(["import", ".", "-o", "-"], environment: ["UK_ROOT": ""])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("manifestc: using the Unikraft tree at '\(fake.app.path)/.unikraft/unikraft' (from kraft.lock)"), "\(r.stderr)")
    }
}

extension TreeRuleTests {
    /// explain reports the manifest's warnings once, whether it succeeds or asks for a target (issue 12, item 8d).
    @Test func explainReportsTheManifestsWarningsOnce() throws {
        let manifest = "spec: v0.6\nname: hello\nunikraft:\n  source: ./uk\n  kconfig:\n    CONFIG_LIBNOSUCH: 'y'\ntargets: [linuxu/x86_64, linuxu/arm64]\nextra: 1\n"
        let fake = try FakeUnikraft(manifest: manifest)
        try Self.withLocalTree(fake)
        let chosen = try fake.manifestc(["explain", "LIBUKDEBUG_PRINTK_INFO", "--target", "linuxu/x86_64"], environment: ["UK_ROOT": ""])
        #expect(chosen.status == 0, "\(chosen.stderr)")
        let ask = try fake.manifestc(["explain", "LIBUKDEBUG_PRINTK_INFO"], environment: ["UK_ROOT": ""])
        #expect(ask.status == 2, "\(ask.stderr)")
        for run in [chosen, ask] {
            #expect(run.stderr.components(separatedBy: "[unknown-key]").count == 2, "\(run.stderr)")
            #expect(run.stderr.components(separatedBy: "[kconfig-unknown-symbol]").count == 2, "\(run.stderr)")
        }
    }
}
