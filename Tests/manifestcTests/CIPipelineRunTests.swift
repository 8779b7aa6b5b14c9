import Emitters
import Foundation
import Testing
import TestSupport

/// Runs the pipelines `manifestc ci` emits (issue 12): every job of the GitHub workflow and
/// the GitLab pipeline, every matrix entry, under bash with the runner's variables, against
/// a repository of two manifests whose kraft.lock files pin local repositories (the fake
/// Unikraft tree and a library) standing in for the network. QEMU is a fake on PATH that
/// checks its arguments (the kernel the job built, TCG) and exits 0, as a halting guest would.
@Suite(.tags(.slow)) struct CIPipelineRunTests {
    /// The repository: a manifest at the root (linuxu, no boot) and one in `apps/hello`
    /// with QEMU x86_64 and arm64, Firecracker and a named target.
    static func repository(_ fake: FakeUnikraft) throws -> URL {
        let repo = fake.root.appendingPathComponent("repo")
        let hello = repo.appendingPathComponent("apps/hello")
        try FileManager.default.createDirectory(at: hello, withIntermediateDirectories: true)
        for folder in [repo, hello] {
            for name in ["main.c", "Makefile.uk"] { try FileManager.default.copyItem(at: fake.app.appendingPathComponent(name), to: folder.appendingPathComponent(name)) }
        }
        try "spec: v0.6\nname: root\nunikraft: 0.16.3\ntargets: [linuxu/x86_64]\n".write(to: repo.appendingPathComponent("kraft.yaml"), atomically: true, encoding: .utf8)
        try """
            spec: v0.6
            name: hello
            unikraft: stable
            libraries:
              foo: stable
            targets:
              - qemu/x86_64
              - qemu/arm64
              - fc/x86_64
              - linuxu/x86_64
              - name: Debug Build
                platform: qemu
                architecture: x86_64
                kconfig:
                  CONFIG_LIBUKDEBUG_PRINTK_INFO: y
            cmd: ["--", "hi"]

            """.write(to: hello.appendingPathComponent("kraft.yaml"), atomically: true, encoding: .utf8)
        // Pin the sources, then leave only what a repository commits: the runner's checkout has no workspace.
        for manifest in ["kraft.yaml", "apps/hello/kraft.yaml"] {
            let r = try fake.manifestc([manifest, "--update"], in: repo)
            #expect(r.status == 0, "\(r.stderr)")
        }
        try FakeUnikraft.sh("rm -rf .unikraft apps/hello/.unikraft && git init -q . && printf '.unikraft/\\nbuild/\\n' > .gitignore", in: repo)
        for arguments in [["."], ["ci", "--provider", "github"], ["ci", "--provider", "gitlab"]] {
            let r = try fake.manifestc(arguments, in: repo)
            #expect(r.status == 0, "\(arguments): \(r.stderr)")
            // linuxu on stable (past 0.17) gets no job: the warning says why, the summary counts it.
            if arguments.first == "ci" {
                #expect(r.stderr.contains("apps/hello/kraft.yaml:10:5: warning: the linuxu platform was removed in Unikraft 0.17, and the channel 'stable' is past it, so target linuxu/x86_64 cannot be built"), "\(r.stderr)")
                #expect(r.stdout.contains(": 2 manifests, 5 build jobs (1 target left out: it cannot be built)\n"), "\(r.stdout)")
            }
        }
        try FakeUnikraft.sh("git add -A && git commit -qm repository", in: repo)
        return repo
    }

    /// A bin folder with manifestc (the built binary) and the fake QEMUs.
    static func bin(_ fake: FakeUnikraft) throws -> URL {
        let bin = fake.root.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: bin.appendingPathComponent("manifestc"), withDestinationURL: CommandLineTests.executable)
        let qemu = """
            #!/bin/sh
            # A fake QEMU: logs its arguments, checks the kernel exists and TCG is asked for, exits 0.
            printf '%s\\n' "${0##*/} $*" >> "$FAKE_QEMU_LOG"
            kernel='' previous=''
            for a in "$@"; do [ "$previous" = -kernel ] && kernel=$a; previous=$a; done
            [ -n "$kernel" ] && [ -f "$kernel" ] || { echo "fake qemu: no kernel '$kernel'" >&2; exit 1; }
            case " $* " in *accel=tcg*) ;; *) echo 'fake qemu: not TCG' >&2; exit 1 ;; esac
            echo 'Hello world!'

            """
        for name in ["qemu-system-x86_64", "qemu-system-aarch64"] {
            let url = bin.appendingPathComponent(name)
            try qemu.write(to: url, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        }
        return bin
    }

    @Test(arguments: ["github", "gitlab"])
    func everyJobOfTheEmittedPipelineSucceeds(_ provider: String) throws {
        let fake = try FakeUnikraft()
        let repo = try Self.repository(fake)
        let bin = try Self.bin(fake)
        let log = fake.root.appendingPathComponent("qemu.log")
        // A pull (merge) request: one kconfig line changed on top of the base, the generated files regenerated.
        let base = try FakeUnikraft.sh("git rev-parse HEAD && git update-ref refs/remotes/origin/main HEAD", in: repo)
        let hello = repo.appendingPathComponent("apps/hello/kraft.yaml")
        try String(contentsOf: hello, encoding: .utf8).replacingOccurrences(of: "CONFIG_LIBUKDEBUG_PRINTK_INFO: y", with: "CONFIG_LIBUKDEBUG_PRINTK_INFO: n")
            .write(to: hello, atomically: true, encoding: .utf8)
        for arguments in [["."], ["ci", "--provider", "github"], ["ci", "--provider", "gitlab"]] {
            let r = try fake.manifestc(arguments, in: repo)
            #expect(r.status == 0, "\(arguments): \(r.stderr)")
        }
        try FakeUnikraft.sh("git add -A && git commit -qm 'less output'", in: repo)
        let summary = fake.root.appendingPathComponent("summary.md")
        let review = ["GITHUB_BASE_REF": "main", "GITHUB_STEP_SUMMARY": summary.path, "CI_MERGE_REQUEST_DIFF_BASE_SHA": base]
        let runs = try Self.run(provider, repo: repo, scratch: fake.root.appendingPathComponent("runner"),
                                environment: fake.environment.merging(["PATH": bin.path + ":" + PipelineRunner.runnerPath, "FAKE_QEMU_LOG": log.path]) { _, new in new }
                                    .merging(review) { _, new in new })
        // The review step: each build job's configuration diff where reviewers look (GitHub's job
        // summary, a GitLab artifact); only the debug target's line changed.
        let row = "| `CONFIG_LIBUKDEBUG_PRINTK_INFO` | `y` | `n` | `set at apps/hello/kraft.yaml:15` |"
        let debug = try #require(runs.first { ($0.values["target"] ?? $0.values["TARGET"]) == "debugbuild" })
        let posted = provider == "github" ? (try? String(contentsOf: summary, encoding: .utf8)) ?? ""
            : (try? String(contentsOf: debug.folder.appendingPathComponent("configuration-diff.md"), encoding: .utf8)) ?? ""
        #expect(posted.contains("#### Target `debugbuild`: 1 symbol\n"), "\(posted)\n\(debug.log.suffix(2000))")
        #expect(posted.contains(row + "\n"), "\(posted)")
        if provider == "gitlab", let other = runs.first(where: { $0.values["TARGET"] == "qemu-x86_64" }) {
            let text = (try? String(contentsOf: other.folder.appendingPathComponent("configuration-diff.md"), encoding: .utf8)) ?? ""
            #expect(text.contains("No symbol changes its value."), "\(text)")
        }
        // The gate, then one job per (manifest, target): 1 + 4 + 1.
        #expect(runs.count == 6, "\(runs.map(\.name))")
        let qemuLog = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        for run in runs where run.name.contains("build") {
            // The image was booted (under TCG, by the fake QEMU) exactly when the job says so.
            let image = run.values["image"] ?? run.values["IMAGE"] ?? ""
            let boot = (run.values["boot"] ?? run.values["BOOT"]) == (provider == "github" ? "true" : "yes")
            let booted = qemuLog.contains("-kernel \(run.folder.path)/\(image) ") || qemuLog.contains("-kernel \(run.folder.resolvingSymlinksInPath().path)/\(image) ")
            #expect(booted == boot, "\(run.name): boot \(boot), QEMU log:\n\(qemuLog)")
        }
        let targets = Set(runs.compactMap { $0.values["target"] ?? $0.values["TARGET"] })
        #expect(targets == ["linuxu-x86_64", "qemu-x86_64", "qemu-arm64", "fc-x86_64", "debugbuild"])
        try? FileManager.default.removeItem(at: fake.root)
    }

    /// Runs the committed pipeline of `provider` in `repo`; checks what every job must leave
    /// behind (status 0, the cache's and the artifact's paths, GitHub's cache key).
    static func run(_ provider: String, repo: URL, scratch: URL, environment: [String: String]) throws -> [PipelineRunner.JobRun] {
        try FileManager.default.createDirectory(at: scratch.appendingPathComponent("home"), withIntermediateDirectories: true)
        let runner = PipelineRunner(repository: repo, environment: environment, scratch: scratch)
        let file = provider == "github" ? ".github/workflows/manifestc.yml" : ".gitlab-ci.yml"
        let text = try String(contentsOf: repo.appendingPathComponent(file), encoding: .utf8)
        let runs = provider == "github" ? try runner.runGitHub(text) : try runner.runGitLab(text)
        for run in runs {
            #expect(run.status == 0, "\(run)")
            // The origin cache holds something only when a library downloaded an origin (none here).
            for path in run.cachePaths + run.artifactPaths where !path.hasSuffix(".cache/manifestc/origins") {
                #expect(FileManager.default.fileExists(atPath: run.folder.appendingPathComponent(path).path), "\(run.name): '\(path)' is missing after the job")
            }
            guard run.name.contains("build") else { continue }
            // The workspace and the origins are cached; the image and its bill of materials uploaded
            // (GitLab's jobs also keep the configuration diff).
            #expect(run.cachePaths.count == 2 && run.artifactPaths.count == (provider == "github" ? 2 : 3), "\(run.name)")
            #expect(run.artifactPaths.contains { $0.hasSuffix(".spdx.json") }, "\(run.name)")
            // GitHub keys the caches on the lock's hash.
            if provider == "github", let folder = run.values["folder"] {
                let lock = try Data(contentsOf: repo.appendingPathComponent(folder).appendingPathComponent("kraft.lock"))
                #expect(run.cacheKeys == ["unikraft-\(folder)-\(SHA256.hex(Array(lock)))", "origins-\(SHA256.hex(Array(lock)))"], "\(run.name)")
            }
        }
        print("\(provider): \(runs.count) jobs in \(String(format: "%.1f", runs.map(\.seconds).reduce(0, +))) s: " + runs.map { "\($0.name.prefix(60)) \(String(format: "%.1f", $0.seconds)) s" }.joined(separator: "; "))
        return runs
    }

    // MARK: The real tree

    static let trees = ProcessInfo.processInfo.environment["MANIFESTC_UNIKRAFT_TREES"]
    static var realTreeAvailable: Bool {
        trees.map { FileManager.default.fileExists(atPath: $0 + "/unikraft-0.17/Config.uk") && FileManager.default.fileExists(atPath: $0 + "/app-helloworld/main.c") } ?? false
    }

    /// The same, with Unikraft 0.17 from `MANIFESTC_UNIKRAFT_TREES` as the repository the lock
    /// pins (tag RELEASE-0.17.0), app-helloworld as the app, the real compiler and the real QEMU
    /// booting the image under TCG.
    @Test(.tags(.realTree), .enabled(if: CIPipelineRunTests.realTreeAvailable, "set MANIFESTC_UNIKRAFT_TREES to a folder of Unikraft checkouts"),
          arguments: ["github", "gitlab"])
    func everyJobOfTheEmittedPipelineBuildsAndBootsWithTheRealTree(_ provider: String) throws {
        let trees = try #require(Self.trees)
        let root = try CommandLineTests.temporaryFolder([:])
        defer { try? FileManager.default.removeItem(at: root) }
        try FakeUnikraft.sh("""
            cp -a '\(trees)/unikraft-0.17' uk && rm -rf uk/.git && cd uk
            git init -q -b stable . && git add -A && git commit -qm 0.17.0 && git tag RELEASE-0.17.0
            cd .. && git clone -q --bare uk unikraft.git && rm -rf uk
            mkdir -p repo/apps/hello && cd repo/apps/hello
            for f in main.c monkey.h Makefile.uk Config.uk; do cp '\(trees)/app-helloworld/'"$f" .; done
            """, in: root)
        // Without CONFIG_LIBUKRANDOM=n, 0.17's image stops at boot under TCG ("Could not initialize
        // the HWRNG (-95)"), as the bundled hello-build example says.
        try "spec: v0.6\nname: helloworld\nunikraft: 0.17.0\ntargets:\n  - platform: qemu\n    architecture: x86_64\n    kconfig: {CONFIG_LIBUKRANDOM: 'n'}\n"
            .write(to: root.appendingPathComponent("repo/apps/hello/kraft.yaml"), atomically: true, encoding: .utf8)
        let environment = ["GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "url.file://\(root.path)/.insteadOf", "GIT_CONFIG_VALUE_0": "https://github.com/unikraft/"]
        let repo = root.appendingPathComponent("repo")
        for arguments in [["apps/hello/kraft.yaml", "--update"], ["."], ["ci", "--provider", provider]] {
            if arguments == ["."] { try FakeUnikraft.sh("rm -rf apps/hello/.unikraft && git init -q . && printf '.unikraft/\\nbuild/\\n' > .gitignore", in: repo) }
            let r = try CommandLineTests.run(arguments, in: repo, environment: environment)
            #expect(r.status == 0, "\(arguments): \(r.stderr)")
        }
        try FakeUnikraft.sh("git add -A && git commit -qm repository", in: repo)
        let bin = root.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: bin.appendingPathComponent("manifestc"), withDestinationURL: CommandLineTests.executable)
        let runs = try Self.run(provider, repo: repo, scratch: root.appendingPathComponent("runner"),
                                environment: environment.merging(["PATH": bin.path + ":" + PipelineRunner.runnerPath]) { _, new in new })
        #expect(runs.count == 2, "\(runs.map(\.name))")
        // The real guest said hello under TCG.
        #expect(runs.last.map { $0.log.contains("Hello world!") } == true, "\(runs.last.map { String($0.log.suffix(2000)) } ?? "")")
    }
}

/// `manifestc ci` writes no pipeline whose build jobs could only fail on their
/// `--build --locked`: every manifest with a job needs a kraft.lock that pins its sources (issue 12).
@Suite(.tags(.slow)) struct CILockTests {
    typealias CLI = CommandLineTests
    static let manifest = "spec: v0.6\nname: app\nlibraries:\n  foo: stable\ntargets: [qemu/x86_64]\n"

    @Test func aMissingLockIsALocatedErrorAndNoPipeline() throws {
        let folder = try CLI.temporaryFolder(["apps/a/kraft.yaml": Self.manifest])
        let r = try CLI.run(["ci", "--provider", "github", "--color", "never"], in: folder)
        #expect(r.status == 1)
        #expect(r.stderr.contains("apps/a/kraft.yaml:1:1: error: 'apps/a/kraft.yaml' has no 'apps/a/kraft.lock', so its 1 build job ('manifestc --build --locked') could only fail; run 'manifestc apps/a/kraft.yaml --update' to pin every source, and commit 'apps/a/kraft.lock' [ci-lock-missing]"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent(".github").path))
        // Pinned, the pipeline is written; a prebuilt runtime alone has no job and needs no lock.
        try CLI.writeLock(for: folder.appendingPathComponent("apps/a/kraft.yaml"))
        try "spec: v0.6\nname: pre\nruntime: unikraft.org/nginx:latest\n".write(to: folder.appendingPathComponent("apps/b/kraft.yaml", isDirectory: false).createdParent(), atomically: true, encoding: .utf8)
        let pinned = try CLI.run(["ci", "--provider", "gitlab"], in: folder)
        #expect(pinned.status == 0, "\(pinned.stderr)")
        #expect(pinned.stdout.contains("2 manifests, 1 build job"), "\(pinned.stdout)")
    }

    /// A target the planner refuses (linuxu with a release from 0.17 on) stops `manifestc ci`
    /// with the planner's located error, as any manifest error does: no pipeline is written.
    @Test func aTargetThePlannerRefusesWritesNoPipeline() throws {
        let folder = try CLI.temporaryFolder(["kraft.yaml": "spec: v0.6\nname: app\nunikraft: 0.17.0\ntargets: [qemu/x86_64, linuxu/x86_64]\n"])
        try CLI.writeLock(for: folder.appendingPathComponent("kraft.yaml"))
        let r = try CLI.run(["ci", "--provider", "gitlab", "--color", "never"], in: folder)
        #expect(r.status == 1)
        #expect(r.stderr.contains("kraft.yaml:4:24: error: the linuxu platform was removed in Unikraft 0.17"), "\(r.stderr)")
        #expect(r.stderr.contains("no pipeline written"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent(".gitlab-ci.yml").path))
    }

    @Test func aLockThatDoesNotPinTheManifestIsALocatedError() throws {
        let folder = try CLI.temporaryFolder(["kraft.yaml": Self.manifest])
        try CLI.writeLock(for: folder.appendingPathComponent("kraft.yaml"))
        try Self.manifest.replacingOccurrences(of: "foo: stable", with: "foo: staging").write(to: folder.appendingPathComponent("kraft.yaml"), atomically: true, encoding: .utf8)
        let r = try CLI.run(["ci", "--provider", "github", "--color", "never"], in: folder)
        #expect(r.status == 1)
        #expect(r.stderr.contains("kraft.yaml:1:1: error: 'kraft.lock' does not pin what 'kraft.yaml' asks for (library 'foo' asks for version 'staging', the lock file has 'stable'), so its 1 build job"), "\(r.stderr)")
        try "lock-version: 99\n".write(to: folder.appendingPathComponent("kraft.lock"), atomically: true, encoding: .utf8)
        let invalid = try CLI.run(["ci", "--provider", "github", "--color", "never"], in: folder)
        #expect(invalid.status == 1)
        #expect(invalid.stderr.contains("[ci-lock-invalid]"), "\(invalid.stderr)")
    }
}

private extension URL {
    /// Creates the parent folder; returns the URL.
    func createdParent() throws -> URL {
        try FileManager.default.createDirectory(at: deletingLastPathComponent(), withIntermediateDirectories: true)
        return self
    }
}
