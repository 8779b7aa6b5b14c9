import Foundation
import Testing
import TestSupport
@testable import Driver
import Emitters

/// Attacks on where manifestc writes, deletes and reads: names that climb out of their
/// folder, symbolic links planted in the output folder or the workspace, inputs that lead
/// outside the repository, workspace trees with local work, and a kill between the renames
/// and the record. Each case asserts the safe outcome: a victim intact, a canary never
/// created, a secret never printed, a located error.
@Suite(.tags(.security, .slow), .serialized) struct SecurityPathTests {
    typealias CLI = CommandLineTests

    /// A project folder and, beside it, a victim folder holding `keep` (outside the project).
    struct Scene {
        let root: URL
        var project: URL { root.appendingPathComponent("project") }
        var victim: URL { root.appendingPathComponent("victim") }
        static let secret = "s3cr3t-\(UUID().uuidString)"

        init(_ files: [String: String]) throws {
            root = try CLI.temporaryFolder(["victim/keep": Self.secret + "\n"])
            for (path, text) in files {
                let url = root.appendingPathComponent("project").appendingPathComponent(path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try text.write(to: url, atomically: true, encoding: .utf8)
            }
            try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
        }

        func link(_ name: String, to target: String) throws {
            let url = project.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: target)
        }

        var victimIntact: Bool {
            (try? String(contentsOf: victim.appendingPathComponent("keep"), encoding: .utf8)) == Self.secret + "\n"
        }

        func exists(_ path: String) -> Bool {
            var info = stat()
            return lstat(root.appendingPathComponent(path).path, &info) == 0
        }
    }

    static let manifest = "spec: v0.6\nname: app\ntargets: [qemu/x86_64]\n"

    /// Runs manifestc; a run that does not end within `seconds` is killed and reported.
    static func run(_ arguments: [String], in folder: URL, environment: [String: String] = [:], seconds: Double = 20) throws -> (run: ProcessOutput, timedOut: Bool) {
        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let outFile = FileManager.default.temporaryDirectory.appendingPathComponent("sec-out-\(UUID().uuidString)")
        let errFile = FileManager.default.temporaryDirectory.appendingPathComponent("sec-err-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: outFile.path, contents: nil)
        FileManager.default.createFile(atPath: errFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outFile); try? FileManager.default.removeItem(at: errFile) }
        process.standardOutput = try FileHandle(forWritingTo: outFile)
        process.standardError = try FileHandle(forWritingTo: errFile)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        let timedOut = process.isRunning
        if timedOut { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        let out = String(decoding: (try? Data(contentsOf: outFile)) ?? Data(), as: UTF8.self)
        let err = String(decoding: (try? Data(contentsOf: errFile)) ?? Data(), as: UTF8.self)
        return (ProcessOutput(status: process.terminationStatus, stdout: out, stderr: err), timedOut)
    }

    // MARK: Names that climb out of their folder

    @Test func libraryNamedWithDotDotIsALocatedErrorUnderCheck() throws {
        let scene = try Scene(["kraft.yaml": Self.manifest + "libraries:\n  x/../../../../victim: stable\n"])
        let r = try CLI.run(["kraft.yaml", "--check"], in: scene.project)
        #expect(r.status == 1)
        #expect(r.stderr.contains("kraft.yaml:5:3: error: library name 'x/../../../../victim' cannot name its folder 'lib-<name>': it contains '/' [name-not-component]"), "\(r.stderr)")
        let v = try CLI.run(["validate", "kraft.yaml"], in: scene.project)
        #expect(v.status == 1)
        #expect(v.stderr.contains("[name-not-component]"))
    }

    @Test(arguments: ["..", ".", "-rf", "a\\tb"])
    func libraryNamedLikeAPathOrAnOptionIsALocatedError(_ name: String) throws {
        let scene = try Scene(["kraft.yaml": Self.manifest + "libraries:\n  \"\(name)\": stable\n"])
        let r = try CLI.run(["validate", "kraft.yaml"], in: scene.project)
        #expect(r.status == 1)
        #expect(r.stderr.contains("kraft.yaml:5:3: error: library name"), "\(r.stderr)")
        #expect(r.stderr.contains("[name-not-component]"))
    }

    @Test func libraryNamedWithDotDotNeverClonesOverAFolderOutside() throws {
        let fake = try FakeUnikraft()
        let victim = fake.root.appendingPathComponent("victim")
        try FileManager.default.createDirectory(at: victim, withIntermediateDirectories: true)
        try "mine\n".write(to: victim.appendingPathComponent("keep"), atomically: true, encoding: .utf8)
        try fake.write(BuildRunTests.manifest(unikraft: "unikraft:\n  source: \(fake.unikraftURL)\n",
                                              libraries: "  x/../../../../victim:\n    source: \(fake.libraryURL)\n"))
        let r = try fake.manifestc(["kraft.yaml", "--build"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("[name-not-component]"), "\(r.stderr)")
        #expect((try? String(contentsOf: victim.appendingPathComponent("keep"), encoding: .utf8)) == "mine\n")
    }

    @Test func targetNameThatNormalizesToNothingIsALocatedError() throws {
        let scene = try Scene(["kraft.yaml": "spec: v0.6\nname: app\ntargets:\n  - {plat: qemu, arch: x86_64, name: '../..'}\n"])
        let r = try CLI.run(["kraft.yaml", "--check"], in: scene.project)
        #expect(r.status == 1)
        #expect(r.stderr.contains("kraft.yaml:4:38: error: the target name '../..' gives no usable id"), "\(r.stderr)")
    }

    // MARK: Symbolic links in the output folder

    @Test func plantedLinksNamedLikeTheWritersTemporariesAreNotWrittenThrough() throws {
        let scene = try Scene(["kraft.yaml": Self.manifest])
        // Temporaries were `.<name>.manifestc-<pid>`: plant links for the next process ids.
        let last = Int((try? String(contentsOfFile: "/proc/sys/kernel/ns_last_pid", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
        try #require(last > 0)
        for pid in (last + 1)...(last + 400) {
            try FileManager.default.createSymbolicLink(atPath: scene.project.appendingPathComponent(".Makefile.manifestc-\(pid)").path,
                                                       withDestinationPath: scene.victim.appendingPathComponent("keep").path)
        }
        let r = try CLI.run(["kraft.yaml"], in: scene.project)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(scene.victimIntact)
    }

    @Test func lockFileLinkDoesNotCreateACanaryOutside() throws {
        let scene = try Scene(["kraft.yaml": Self.manifest])
        try scene.link(".manifestc.lock", to: scene.root.appendingPathComponent("canary").path)
        _ = try CLI.run(["kraft.yaml"], in: scene.project)
        #expect(!scene.exists("canary"))
    }

    @Test func githubFolderLinkedOutsideIsNotWrittenThrough() throws {
        let scene = try Scene(["kraft.yaml": Self.manifest])
        try CLI.writeLock(for: scene.project.appendingPathComponent("kraft.yaml"))  // else ci stops before the writer
        try scene.link(".github", to: scene.victim.path)
        let r = try CLI.run(["ci", "--provider", "github"], in: scene.project)
        #expect(r.status == 1)
        #expect(r.stderr.contains("'\(scene.project.path)/.github' is a symbolic link to '\(scene.victim.path)'"), "\(r.stderr)")
        #expect(!scene.exists("victim/workflows"))
    }

    @Test func checkDoesNotPrintAFileBehindAGithubLink() throws {
        let scene = try Scene(["kraft.yaml": Self.manifest])
        try CLI.writeLock(for: scene.project.appendingPathComponent("kraft.yaml"))  // else ci stops before the writer
        try FileManager.default.createDirectory(at: scene.victim.appendingPathComponent("workflows"), withIntermediateDirectories: true)
        try (Scene.secret + "\n").write(to: scene.victim.appendingPathComponent("workflows/manifestc.yml"), atomically: true, encoding: .utf8)
        try scene.link(".github", to: scene.victim.path)
        let r = try CLI.run(["ci", "--provider", "github", "--check"], in: scene.project)
        #expect(r.status == 1)
        #expect(!(r.stdout + r.stderr).contains(Scene.secret))
    }

    @Test func checkDoesNotPrintAFileBehindAnOutputLink() throws {
        let scene = try Scene(["kraft.yaml": Self.manifest])
        try scene.link("Makefile", to: scene.victim.appendingPathComponent("keep").path)
        let r = try CLI.run(["kraft.yaml", "--check"], in: scene.project)
        #expect(r.status == 1)
        #expect(!(r.stdout + r.stderr).contains(Scene.secret))
        #expect(r.stderr.contains("'\(scene.project.path)/Makefile' is a symbolic link"), "\(r.stderr)")
        let forced = try CLI.run(["kraft.yaml", "--force"], in: scene.project)
        #expect(forced.status == 1)
        #expect(scene.victimIntact)
    }

    @Test func folderNamedLikeAnAbandonedTemporaryIsNotDeleted() throws {
        let scene = try Scene(["kraft.yaml": Self.manifest, ".Makefile.manifestc-2147483000/mine.txt": "mine\n"])
        #expect(try CLI.run(["kraft.yaml"], in: scene.project).status == 0)
        #expect(scene.exists("project/.Makefile.manifestc-2147483000/mine.txt"))
    }

    // MARK: Symbolic links in the workspace

    @Test func workspaceLinkedOutsideIsNotFollowed() throws {
        let fake = try FakeUnikraft(manifest: BuildRunTests.manifest(unikraft: "unikraft: stable\n"))
        let victim = fake.root.appendingPathComponent("victim")
        try FileManager.default.createDirectory(at: victim.appendingPathComponent("libs/lib-foo"), withIntermediateDirectories: true)
        try "mine\n".write(to: victim.appendingPathComponent("libs/lib-foo/keep"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: fake.app.appendingPathComponent(".unikraft").path, withDestinationPath: victim.path)
        let r = try fake.manifestc(["kraft.yaml", "--build"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("is a symbolic link to '\(victim.path)'"), "\(r.stderr)")
        #expect(r.stderr.contains("[workspace-link]"))
        #expect((try? String(contentsOf: victim.appendingPathComponent("libs/lib-foo/keep"), encoding: .utf8)) == "mine\n")
        #expect(!FileManager.default.fileExists(atPath: victim.appendingPathComponent("unikraft").path))
    }

    @Test func workspaceFolderThatIsNotACheckoutIsNeverReplaced() throws {
        let fake = try FakeUnikraft(manifest: BuildRunTests.manifest(unikraft: "unikraft: stable\n"))
        let mine = fake.app.appendingPathComponent(".unikraft/libs/lib-foo/mine.c")
        try FileManager.default.createDirectory(at: mine.deletingLastPathComponent(), withIntermediateDirectories: true)
        try "int x;\n".write(to: mine, atomically: true, encoding: .utf8)
        let r = try fake.manifestc(["kraft.yaml", "--build"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("exists and is not a git checkout"), "\(r.stderr)")
        #expect((try? String(contentsOf: mine, encoding: .utf8)) == "int x;\n")
    }

    // MARK: Local work in the workspace

    @Test func updateNeverDeletesUntrackedFiles() throws {
        let fake = try FakeUnikraft(manifest: BuildRunTests.manifest(unikraft: "unikraft: stable\n"))
        #expect(try fake.manifestc(["kraft.yaml", "--build"]).status == 0)
        let mine = fake.app.appendingPathComponent(".unikraft/libs/lib-foo/notes.txt")
        try "mine\n".write(to: mine, atomically: true, encoding: .utf8)
        try FakeUnikraft.sh("rm -rf lw && git clone -q -b stable lib-foo.git lw && cd lw && echo x >> Config.uk && git commit -qam more && git push -q origin stable", in: fake.root)
        let r = try fake.manifestc(["kraft.yaml", "--update"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("1 modified or untracked file"), "\(r.stderr)")
        #expect(r.stderr.contains("?? notes.txt"), "\(r.stderr)")
        #expect((try? String(contentsOf: mine, encoding: .utf8)) == "mine\n")
    }

    @Test func updateNeverDropsLocalCommits() throws {
        let fake = try FakeUnikraft(manifest: BuildRunTests.manifest(unikraft: "unikraft: stable\n"))
        #expect(try fake.manifestc(["kraft.yaml", "--build"]).status == 0)
        let mine = try FakeUnikraft.sh("cd .unikraft/unikraft && echo '# mine' >> Makefile && git commit -qam 'my work' && git rev-parse HEAD", in: fake.app)
        _ = try fake.advance("stable")
        let r = try fake.manifestc(["kraft.yaml", "--update"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("1 commit on no remote branch"), "\(r.stderr)")
        #expect(r.stderr.contains("my work"), "\(r.stderr)")
        #expect(try fake.head(".unikraft/unikraft") == mine)
    }

    // MARK: Reading outside the repository

    @Test func discoveredManifestLinkedToProcEnvironIsNotPrinted() throws {
        let scene = try Scene([:])
        try scene.link("kraft.yaml", to: "/proc/self/environ")
        let (r, timedOut) = try Self.run([".", "--check"], in: scene.project, environment: ["MANIFESTC_TEST_SECRET": Scene.secret])
        #expect(!timedOut)
        #expect(r.status != 0)
        #expect(!(r.stdout + r.stderr).contains(Scene.secret))
        #expect(r.stderr.contains("outside the repository"), "\(r.stderr)")
    }

    @Test func appFolderOutsideTheRepositoryIsNotRead() throws {
        // x-manifestc.app names make's application folder: a manifest from a pull request points it elsewhere.
        let scene = try Scene(["kraft.yaml": "spec: v0.6\nname: app\ntargets: [qemu/x86_64]\nx-manifestc:\n  app: ../victim\n"])
        try "config \(Scene.secret.uppercased().filter { $0.isLetter })\n\tbool \"\(Scene.secret)\"\n".write(to: scene.victim.appendingPathComponent("Config.uk"), atomically: true, encoding: .utf8)
        for arguments in [["plan", "kraft.yaml"], ["kraft.yaml", "--check"]] {
            let (r, timedOut) = try Self.run(arguments, in: scene.project)
            #expect(!timedOut)
            #expect(r.status == 1, "\(arguments)")
            #expect(r.stderr.contains("kraft.yaml:5:8: error: the application folder"), "\(arguments): \(r.stderr)")
            #expect(r.stderr.contains("outside the repository") && r.stderr.contains("[app-outside]"), "\(arguments): \(r.stderr)")
            #expect(!(r.stdout + r.stderr).contains(Scene.secret), "\(arguments)")
        }
        #expect(scene.victimIntact)
    }

    @Test func namedManifestLinkedToProcEnvironIsNotPrinted() throws {
        // The CI build job names the manifest: a pull request may turn it into a link.
        let scene = try Scene([:])
        try scene.link("kraft.yaml", to: "/proc/self/environ")
        for arguments in [["kraft.yaml", "--check"], ["kraft.yaml", "--build", "--locked"], ["validate", "kraft.yaml"], ["plan", "kraft.yaml"]] {
            let (r, timedOut) = try Self.run(arguments, in: scene.project, environment: ["MANIFESTC_TEST_SECRET": Scene.secret])
            #expect(!timedOut)
            #expect(r.status != 0)
            #expect(!(r.stdout + r.stderr).contains(Scene.secret), "\(arguments)")
            #expect(r.stderr.contains("outside the repository"), "\(arguments): \(r.stderr)")
        }
    }

    @Test func buildFolderLinkedOutsideIsNotBuiltInto() throws {
        let fake = try FakeUnikraft(manifest: BuildRunTests.manifest(unikraft: "unikraft: stable\n"))
        let victim = fake.root.appendingPathComponent("victim")
        try FileManager.default.createDirectory(at: victim, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: fake.app.appendingPathComponent("build").path, withDestinationPath: victim.path)
        let r = try fake.manifestc(["kraft.yaml", "--build"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("'\(fake.app.path)/build' is a symbolic link to '\(victim.path)'"), "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: victim.path).isEmpty)
    }

    @Test func discoveredManifestFIFOIsRefusedWithoutReadingIt() throws {
        let scene = try Scene([:])
        #expect(mkfifo(scene.project.appendingPathComponent("kraft.yaml").path, 0o644) == 0)
        let (r, timedOut) = try Self.run(["validate"], in: scene.project, seconds: 10)
        #expect(!timedOut)
        #expect(r.status != 0)
        #expect(r.stderr.contains("is a FIFO"), "\(r.stderr)")
    }

    @Test func dotEnvLinkedOutsideIsNotRead() throws {
        let scene = try Scene(["kraft.yaml": Self.manifest + "env:\n  TOKEN: ${TOKEN:-none}\n"])
        try "TOKEN=\(Scene.secret)\n".write(to: scene.victim.appendingPathComponent("env"), atomically: true, encoding: .utf8)
        try scene.link(".env", to: scene.victim.appendingPathComponent("env").path)
        let r = try CLI.run(["kraft.yaml"], in: scene.project)
        #expect(r.status != 0)
        #expect(r.stderr.contains("the env file '\(scene.project.path)/.env' leads to"), "\(r.stderr)")
        let written = (try? FileManager.default.contentsOfDirectory(atPath: scene.project.path)) ?? []
        for name in written where name != ".env" {
            let text = (try? String(contentsOf: scene.project.appendingPathComponent(name), encoding: .utf8)) ?? ""
            #expect(!text.contains(Scene.secret), "\(name)")
        }
        // Named on the command line, the same file is read.
        let named = try CLI.run(["kraft.yaml", "--env-file", scene.victim.appendingPathComponent("env").path, "--emit", "launch"], in: scene.project)
        #expect(named.status == 0, "\(named.stderr)")
    }

    @Test func dotEnvFIFOIsNotReadAndADotEnvFolderIsNoEnvFile() throws {
        let scene = try Scene(["kraft.yaml": Self.manifest, "venv/.env/bin/python": ""])
        #expect(mkfifo(scene.project.appendingPathComponent(".env").path, 0o644) == 0)
        let (r, timedOut) = try Self.run(["kraft.yaml", "--check"], in: scene.project, seconds: 10)
        #expect(!timedOut)
        #expect(r.status != 0)
        #expect(r.stderr.contains("the env file '\(scene.project.path)/.env' is a FIFO"), "\(r.stderr)")
        // A Python virtual environment called `.env` is a folder, not an env file.
        try "spec: v0.6\nname: app\n".write(to: scene.project.appendingPathComponent("venv/kraft.yaml"), atomically: true, encoding: .utf8)
        let folder = try CLI.run(["validate", "venv/kraft.yaml"], in: scene.project)
        #expect(folder.status == 0, "\(folder.stderr)")
    }

    @Test(arguments: [("/etc", "/etc"), ("../victim", "../victim"), ("~/.ssh", "~/.ssh")])
    func volumeHostPathOutsideTheRepositoryIsALocatedError(_ c: (String, String)) throws {
        let scene = try Scene(["kraft.yaml": Self.manifest + "volumes:\n  - \(c.0):/data\n"])
        let r = try CLI.run(["kraft.yaml"], in: scene.project)
        #expect(r.status == 1)
        #expect(r.stderr.contains("kraft.yaml:5:5: error: the host path '\(c.1)' leads to"), "\(r.stderr)")
        #expect(r.stderr.contains("[volume-path-outside]"))
        #expect(!FileManager.default.fileExists(atPath: scene.project.appendingPathComponent("launch.sh").path))
    }

    @Test func volumeLinkedOutsideTheRepositoryIsALocatedError() throws {
        let scene = try Scene(["kraft.yaml": Self.manifest + "volumes:\n  - ./data:/data\n"])
        try scene.link("data", to: scene.victim.path)
        let r = try CLI.run(["kraft.yaml"], in: scene.project)
        #expect(r.status == 1)
        #expect(r.stderr.contains("kraft.yaml:5:5: error: the host path './data' leads to '\(scene.victim.path)'"), "\(r.stderr)")
        // Allowed on the command line, it is shared.
        let allowed = try CLI.run(["kraft.yaml", "--allow-outside", scene.victim.path], in: scene.project)
        #expect(allowed.status == 0, "\(allowed.stderr)")
    }

    @Test func initrdOutsideTheRepositoryIsALocatedError() throws {
        let scene = try Scene(["kraft.yaml": Self.manifest + "rootfs: /etc/shadow.cpio\n"])
        let r = try CLI.run(["kraft.yaml"], in: scene.project)
        #expect(r.status == 1)
        #expect(r.stderr.contains("kraft.yaml:4:9: error: the host path '/etc/shadow.cpio' leads to"), "\(r.stderr)")
    }

    @Test func templateOutsideTheRepositoryIsALocatedError() throws {
        let scene = try Scene(["kraft.yaml": "spec: v0.6\nname: app\ntemplate:\n  source: ../victim\n"])
        try ("spec: v0.6\nname: t\ntargets: [qemu/x86_64]\nenv:\n  K: \(Scene.secret)\n").write(to: scene.victim.appendingPathComponent("kraft.yaml"), atomically: true, encoding: .utf8)
        let r = try CLI.run(["kraft.yaml", "--check"], in: scene.project)
        #expect(r.status == 1)
        #expect(r.stderr.contains("kraft.yaml:4:11: error: the template"), "\(r.stderr)")
        #expect(r.stderr.contains("[template-outside]"))
        #expect(!(r.stdout + r.stderr).contains(Scene.secret))
    }

    @Test func localSourceOutsideTheRepositoryIsALocatedError() throws {
        let fake = try FakeUnikraft(manifest: BuildRunTests.manifest(unikraft: "unikraft:\n  source: ../uk\n", libraries: "  foo:\n    source: ../lib\n"))
        let r = try fake.manifestc(["kraft.yaml", "--build"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("kraft.yaml:4:11: error: unikraft comes from '../uk': the folder"), "\(r.stderr)")
        #expect(r.stderr.contains("[source-outside]"))
        #expect(!FileManager.default.fileExists(atPath: fake.app.appendingPathComponent("build").path))
    }

    @Test func lockFileLinkedOutsideIsNotRead() throws {
        let scene = try Scene(["kraft.yaml": Self.manifest])
        // A well-formed lock that does not match the manifest: '--locked' prints a diff of it.
        try ("lock-version: 1\nunikraft:\n  url: https://\(Scene.secret).example/unikraft.git\n  version: stable\n  commit: \(String(repeating: "0", count: 40))\n").write(to: scene.victim.appendingPathComponent("lock"), atomically: true, encoding: .utf8)
        try scene.link("kraft.lock", to: scene.victim.appendingPathComponent("lock").path)
        let r = try CLI.run(["kraft.yaml", "--build", "--locked"], in: scene.project)
        #expect(r.status == 1)
        #expect(!(r.stdout + r.stderr).contains(Scene.secret))
        #expect(r.stderr.contains("the lock file"), "\(r.stderr)")
    }

    @Test func importDoesNotReadThroughAScriptsLinkOutOfTheSetup() throws {
        let scene = try Scene(["setup/Makefile": ImportCommandTests.setup["Makefile"]!, "setup/run.sh": ImportCommandTests.setup["run.sh"]!])
        try FileManager.default.createDirectory(at: scene.victim.appendingPathComponent("defconfig"), withIntermediateDirectories: true)
        try "CONFIG_PLAT_KVM=y\nCONFIG_KVM_VMM_QEMU=y\nCONFIG_ARCH_X86_64=y\nCONFIG_UK_NAME=\"\(Scene.secret)\"\n"
            .write(to: scene.victim.appendingPathComponent("defconfig/qemu.x86_64"), atomically: true, encoding: .utf8)
        try scene.link("setup/.scripts", to: scene.victim.path)
        let r = try CLI.run(["import", "setup", "-o", "-"], in: scene.project)
        #expect(!(r.stdout + r.stderr).contains(Scene.secret))
    }

    @Test func templateLinkedIntoTheWorkspaceFromOutsideIsALocatedError() throws {
        let scene = try Scene(["kraft.yaml": "spec: v0.6\nname: app\ntemplate:\n  source: https://example.com/apps/nginx.git\n"])
        try ("spec: v0.6\nname: t\ntargets: [qemu/x86_64]\nenv:\n  K: \(Scene.secret)\n").write(to: scene.victim.appendingPathComponent("kraft.yaml"), atomically: true, encoding: .utf8)
        try scene.link(".unikraft/apps/nginx", to: scene.victim.path)
        let r = try CLI.run(["kraft.yaml", "--check"], in: scene.project)
        #expect(r.status == 1)
        #expect(r.stderr.contains("kraft.yaml:4:11: error: the template"), "\(r.stderr)")
        #expect(!(r.stdout + r.stderr).contains(Scene.secret))
    }

    // MARK: Crash consistency

    /// Stops a write after the renames, as a kill would.
    struct Killed: Error {}

    @Test func aKillBetweenTheRenamesAndTheRecordLeavesFilesTheNextRunAccepts() throws {
        let folder = try CLI.temporaryFolder([:])
        let old = [EmittedFile(path: "fc-a.json", contents: "{\"old\": 1}\n"), EmittedFile(path: ".config.a", contents: "CONFIG_A=y\n")]
        let new = [EmittedFile(path: "fc-a.json", contents: "{\"new\": 2}\n"), EmittedFile(path: ".config.a", contents: "CONFIG_A=n\n"),
                   EmittedFile(path: "fc-b.json", contents: "{}\n")]
        #expect(OutputWriter(folder: folder, force: false).apply(old, mode: .write, console: Console(buffered: true)).status == .ok)
        var killed = OutputWriter(folder: folder, force: false)
        killed.afterRenames = { throw Killed() }
        #expect(killed.apply(new, mode: .write, console: Console(buffered: true)).status == .failed)
        #expect(try String(contentsOf: folder.appendingPathComponent("fc-a.json"), encoding: .utf8) == "{\"new\": 2}\n")

        // The next run generates other contents (the manifest changed): the files the killed
        // run renamed into place are still manifestc's own, not edited or foreign files.
        // It writes only '.config.a' (say '--emit config'); the record must still take in the others.
        let later = [EmittedFile(path: ".config.a", contents: "CONFIG_A=n\n# later\n")]
        let console = Console(buffered: true)
        #expect(OutputWriter(folder: folder, force: false).apply(later, mode: .write, console: console).status == .ok, "\(console.captured)")
        // And the record is final again: a run after that still recognises every file.
        let last = new.map { EmittedFile(path: $0.path, contents: $0.contents + "# last\n") }
        #expect(OutputWriter(folder: folder, force: false).apply(last, mode: .write, console: Console(buffered: true)).status == .ok)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent(OutputWriter.pendingName).path))
    }
}
