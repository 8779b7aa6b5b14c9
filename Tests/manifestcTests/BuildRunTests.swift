import Foundation
import Testing
import TestSupport

/// `--build`, `--run`, `--locked`, `--update` against local bare repositories and a
/// fake Unikraft tree (no network, no real tree).
@Suite(.tags(.slow)) struct BuildRunTests {
    static func manifest(unikraft: String, targets: String = "[linuxu/x86_64]", libraries: String = "  foo: stable\n") -> String {
        "spec: v0.6\nname: hello\n\(unikraft)libraries:\n\(libraries)targets: \(targets)\ncmd: [\"--\", \"from\", \"manifest\"]\n"
    }

    // MARK: Resolution

    @Test(arguments: [
        ("", "two", "refs/heads/stable"),
        ("unikraft: stable\n", "two", "refs/heads/stable"),
        ("unikraft: staging\n", "three", "refs/heads/staging"),
        ("unikraft: RELEASE-0.16.3\n", "one", "refs/tags/RELEASE-0.16.3"),
        ("unikraft: 0.16.3\n", "one", "refs/tags/RELEASE-0.16.3"),
        ("unikraft: v0.17.0\n", "three", "refs/tags/v0.17.0"),
        ("unikraft:\n  version: 0.17\n", "three", "refs/tags/v0.17.0"),
        ("unikraft:\n  source: @URL@@stable\n", "two", "refs/heads/stable"),
        ("unikraft:\n  version: @two@\n", "two", nil),
        ("unikraft:\n  source: @URL@\n  version: @one7@\n", "one", nil),
    ] as [(String, String, String?)])
    func everyVersionFormResolves(_ c: (String, String, String?)) throws {
        let fake = try Self.shared.get()
        let app = try fake.freshApp()
        let core = c.0.replacingOccurrences(of: "@URL@", with: fake.unikraftURL)
            .replacingOccurrences(of: "@two@", with: fake.commits["two"]!)
            .replacingOccurrences(of: "@one7@", with: String(fake.commits["one"]!.prefix(7)))
        try Self.manifest(unikraft: core).write(to: app.appendingPathComponent("kraft.yaml"), atomically: true, encoding: .utf8)
        let r = try fake.manifestc(["kraft.yaml", "--update"], in: app)
        #expect(r.status == 0, "\(r.stderr)")
        func text(_ name: String) -> String { (try? String(contentsOf: app.appendingPathComponent(name), encoding: .utf8)) ?? "" }
        let lock = text("kraft.lock")
        #expect(lock.contains("  commit: \(fake.commits[c.1]!)\n"), "\(lock)")
        let entry = String(lock[lock.range(of: "unikraft:\n")!.upperBound..<lock.range(of: "libraries:\n")!.lowerBound])
        #expect(entry.contains("  ref: ") == (c.2 != nil), "\(entry)")
        if let ref = c.2 { #expect(entry.contains("  ref: \(ref)\n"), "\(entry)") }
        #expect(try fake.head(".unikraft/unikraft", app: app) == fake.commits[c.1]!)
        #expect(try fake.head(".unikraft/libs/lib-foo", app: app) == fake.libraryStable)
        #expect(lock.contains("  foo:\n    url: 'https://github.com/unikraft/lib-foo.git'\n    version: stable\n"), "\(lock)")
        // The planner saw the fetched tree: the full configuration, with the tree's version.
        #expect(text(".config.linuxu-x86_64").contains("# Unikraft/0.16.3~\(fake.commits[c.1]!.prefix(7))"))
        #expect(text(".config.linuxu-x86_64").contains("CONFIG_LIBFOO=y\n"))
        #expect(text("Makefile").contains("UK_ROOT ?= $(abspath $(HERE)/.unikraft/unikraft)\n"))
    }

    /// Repositories the resolution cases share (they only read them).
    static let shared = Result { try FakeUnikraft() }

    // MARK: The lock file

    @Test func theLockIsWrittenOnceThenHonouredWithoutTheNetwork() throws {
        let fake = try FakeUnikraft(manifest: Self.manifest(unikraft: "unikraft: stable\n"))
        let first = try fake.manifestc(["kraft.yaml", "--build"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("wrote kraft.lock"))
        let lock = try #require(fake.text("kraft.lock"))
        _ = try fake.advance("stable")
        // The repositories are gone: the lock and the workspace must be enough.
        try FileManager.default.moveItem(at: fake.root.appendingPathComponent("unikraft.git"), to: fake.root.appendingPathComponent("gone.git"))
        try FileManager.default.moveItem(at: fake.root.appendingPathComponent("lib-foo.git"), to: fake.root.appendingPathComponent("gone-lib.git"))
        let second = try fake.manifestc(["kraft.yaml", "--build"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(!second.stderr.contains("resolving") && !second.stderr.contains("fetching"), "\(second.stderr)")
        #expect(fake.text("kraft.lock") == lock)
        #expect(try fake.head(".unikraft/unikraft") == fake.commits["two"]!)
        #expect(second.stdout.contains("linuxu-x86_64: \(fake.app.path)/build/linuxu-x86_64/hello_linuxu-x86_64 ("))
    }

    @Test func lockedFailsWithADiffWhenTheManifestDrifts() throws {
        let fake = try FakeUnikraft(manifest: Self.manifest(unikraft: "unikraft: stable\n"))
        let missing = try fake.manifestc(["kraft.yaml", "--build", "--locked"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("kraft.lock is missing and --locked forbids creating it"))
        #expect(!FileManager.default.fileExists(atPath: fake.app.appendingPathComponent(".unikraft").path))

        #expect(try fake.manifestc(["kraft.yaml", "--build"]).status == 0)
        let lock = try #require(fake.text("kraft.lock"))
        #expect(try fake.manifestc(["kraft.yaml", "--build", "--locked"]).status == 0)
        try fake.write(Self.manifest(unikraft: "unikraft: staging\n"))
        let drift = try fake.manifestc(["kraft.yaml", "--build", "--locked"])
        #expect(drift.status == 1)
        #expect(drift.stderr.contains("kraft.lock does not match the manifest (--locked): unikraft asks for version 'staging', the lock file has 'stable'"), "\(drift.stderr)")
        #expect(drift.stdout.contains("--- a/kraft.lock\n+++ b/kraft.lock\n"))
        #expect(drift.stdout.contains("-  version: stable\n-  ref: refs/heads/stable\n-  commit: \(fake.commits["two"]!)\n+  version: staging\n"), "\(drift.stdout)")
        #expect(fake.text("kraft.lock") == lock)
        #expect(try fake.head(".unikraft/unikraft") == fake.commits["two"]!)
    }

    @Test func updateMovesTheLockAndTheWorkspace() throws {
        let fake = try FakeUnikraft(manifest: Self.manifest(unikraft: "unikraft: stable\n"))
        #expect(try fake.manifestc(["kraft.yaml", "--build"]).status == 0)
        let newer = try fake.advance("stable")
        #expect(try fake.manifestc(["kraft.yaml", "--build"]).status == 0)
        #expect(try fake.head(".unikraft/unikraft") == fake.commits["two"]!)
        let update = try fake.manifestc(["kraft.yaml", "--update"])
        #expect(update.status == 0, "\(update.stderr)")
        #expect(update.stderr.contains("updated kraft.lock"))
        #expect(fake.text("kraft.lock")?.contains("commit: \(newer)\n") == true)
        #expect(try fake.head(".unikraft/unikraft") == newer)
        // The version string of the full configuration follows the new commit.
        #expect(fake.text(".config.linuxu-x86_64")?.contains("0.16.3~\(newer.prefix(7))") == true)
    }

    @Test func localGitFoldersArePinnedByCommitAndLocalChangesAreWarnedAboutOrRefusedUnderLocked() throws {
        let fake = try FakeUnikraft(manifest: Self.manifest(unikraft: "unikraft:\n  source: ../uk\n", libraries: "  foo:\n    source: ../lib\n"))
        let allow = ["--allow-outside", "../uk", "--allow-outside", "../lib"]
        #expect(try fake.manifestc(["kraft.yaml", "--build"] + allow).status == 0)
        try FakeUnikraft.sh("echo '# edited' >> ../uk/Makefile", in: fake.app)
        let dirty = try fake.manifestc(["kraft.yaml", "--build"] + allow)
        #expect(dirty.status == 0, "\(dirty.stderr)")
        #expect(dirty.stderr.contains("warning: the folder '\(fake.root.path)/uk' has local changes: kraft.lock pins its commit \(fake.commits["three"]!.prefix(12)), which does not hold them; commit them to pin them [source-local-modified]"), "\(dirty.stderr)")
        let locked = try fake.manifestc(["kraft.yaml", "--build", "--locked"] + allow)
        #expect(locked.status == 1)
        #expect(locked.stderr.contains("(--locked); commit them [source-local-modified]"), "\(locked.stderr)")
        // Committed, the folder is at another commit than the lock pins: --locked refuses, a plain build pins it.
        try FakeUnikraft.sh("cd ../uk && git commit -qam edited", in: fake.app)
        let moved = try fake.manifestc(["kraft.yaml", "--build", "--locked"] + allow)
        #expect(moved.status == 1)
        #expect(moved.stderr.contains("kraft.lock pins \(fake.commits["three"]!.prefix(12)) (--locked)") && moved.stderr.contains("[source-local-moved]"), "\(moved.stderr)")
        #expect(try fake.manifestc(["kraft.yaml", "--build"] + allow).status == 0)
        #expect(fake.text("kraft.lock")?.contains("  commit: \(try fake.head("../uk"))\n") == true)
    }

    @Test func localFoldersAreUsedInPlace() throws {
        let fake = try FakeUnikraft(manifest: Self.manifest(unikraft: "unikraft:\n  source: ../uk\n", libraries: "  foo:\n    source: ../lib\n"))
        // The folders lie outside the app's folder (the repository here): the command line allows them.
        let r = try fake.manifestc(["kraft.yaml", "--build", "--allow-outside", "../uk", "--allow-outside", "../lib"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stderr.contains("fetching"))
        #expect(!FileManager.default.fileExists(atPath: fake.app.appendingPathComponent(".unikraft").path))
        // Both are git checkouts: pinned by their commits.
        #expect(fake.text("kraft.lock")?.contains("unikraft:\n  path: ../uk\n  commit: \(fake.commits["three"]!)\nlibraries:\n  foo:\n    path: ../lib\n    commit: \(fake.libraryStable)\n") == true,
                "\(fake.text("kraft.lock") ?? "")")
        #expect(fake.text("Makefile")?.contains("UK_ROOT ?= $(abspath $(HERE)/../uk)\n") == true)
        #expect(fake.text("Makefile")?.contains("LIBS := $(abspath $(HERE)/../lib)\n") == true)
        // The tree is a git checkout at 'three' (staging): its version names the commit.
        #expect(fake.text(".config.linuxu-x86_64")?.contains("CONFIG_LIBFOO=y\n") == true)
        #expect(fake.text(".config.linuxu-x86_64")?.contains("Unikraft/0.16.3~\(fake.commits["three"]!.prefix(7))") == true)

        try fake.write(Self.manifest(unikraft: "unikraft:\n  source: ../missing\n"))
        let missing = try fake.manifestc(["kraft.yaml", "--build"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("kraft.yaml:4:11: error: unikraft comes from '../missing', which is not a Unikraft tree folder"), "\(missing.stderr)")
    }

    // MARK: Failures that must not damage anything

    @Test func localChangesInTheWorkspaceAreNeverThrownAway() throws {
        let fake = try FakeUnikraft(manifest: Self.manifest(unikraft: "unikraft: stable\n"))
        #expect(try fake.manifestc(["kraft.yaml", "--build"]).status == 0)
        let makefile = fake.app.appendingPathComponent(".unikraft/unikraft/Makefile")
        try (try String(contentsOf: makefile, encoding: .utf8) + "# mine\n").write(to: makefile, atomically: true, encoding: .utf8)
        let same = try fake.manifestc(["kraft.yaml", "--build"])
        #expect(same.status == 0)
        #expect(same.stderr.contains("has local changes; they are used as they are"), "\(same.stderr)")
        _ = try fake.advance("stable")
        let moved = try fake.manifestc(["kraft.yaml", "--update"])
        #expect(moved.status == 1)
        #expect(moved.stderr.contains("kraft.yaml:3:11: error: unikraft must move to "), "\(moved.stderr)")
        #expect(try String(contentsOf: makefile, encoding: .utf8).hasSuffix("# mine\n"))
        #expect(fake.text("kraft.lock")?.contains(fake.commits["two"]!) == true)
    }

    @Test func anUnreachableSourceIsALocatedErrorAndTouchesNothing() throws {
        let fake = try FakeUnikraft(manifest: Self.manifest(unikraft: "unikraft: stable\n",
                                                            libraries: "  foo:\n    source: file:///nonexistent/lib-foo.git\n"))
        let r = try fake.manifestc(["kraft.yaml", "--build"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("kraft.yaml:6:13: error: cannot list the branches and tags of 'file:///nonexistent/lib-foo.git': "), "\(r.stderr)")
        #expect(r.stderr.contains("[source-unreachable]"))
        let left = try FileManager.default.contentsOfDirectory(atPath: fake.app.path).sorted()
        #expect(left == ["Makefile.uk", "kraft.yaml", "main.c"])
    }

    @Test func anUnknownVersionSuggestsTheClosestRef() throws {
        let fake = try FakeUnikraft(manifest: Self.manifest(unikraft: "unikraft: stabel\n"))
        let r = try fake.manifestc(["kraft.yaml", "--build"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("kraft.yaml:3:11: error: https://github.com/unikraft/unikraft.git has no branch, tag or commit 'stabel'; did you mean 'stable'? [source-version-unknown]"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: fake.app.appendingPathComponent("kraft.lock").path))
    }

    /// A `git` on PATH that runs the real one, then, for a clone, records its pid and
    /// hangs with the clone complete but not yet renamed into place.
    static func hangingGit(in fake: FakeUnikraft) throws -> (path: String, pidFile: URL) {
        let bin = fake.root.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let pidFile = fake.root.appendingPathComponent("git.pid")
        let real = try #require(ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":")
            .map { "\($0)/git" }.first { FileManager.default.isExecutableFile(atPath: $0) })
        let script = """
            #!/bin/sh
            "\(real)" "$@" || exit $?
            case " $* " in *" clone "*) echo $$ > "\(pidFile.path)"; exec sleep 60 ;; esac

            """
        try script.write(to: bin.appendingPathComponent("git"), atomically: true, encoding: .utf8)
        chmod(bin.appendingPathComponent("git").path, 0o755)
        return (bin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? ""), pidFile)
    }

    static func waitFor(_ file: URL) throws -> pid_t {
        for _ in 0..<300 {
            if let text = try? String(contentsOf: file, encoding: .utf8), let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) { return pid }
            usleep(20_000)
        }
        throw CancellationError()
    }

    @Test func anInterruptedFetchLeavesTheWorkspaceUsable() throws {
        let fake = try FakeUnikraft(manifest: Self.manifest(unikraft: "unikraft: stable\n"))
        #expect(try fake.manifestc(["kraft.yaml", "--build"]).status == 0)
        let newer = try fake.advance("stable")
        let (path, pidFile) = try Self.hangingGit(in: fake)

        // 1. The git process is killed: manifestc fails, removes its clone, keeps the old tree.
        let process = Process()
        process.executableURL = CommandLineTests.executable
        process.arguments = ["kraft.yaml", "--update"]
        process.currentDirectoryURL = fake.app
        process.environment = ProcessInfo.processInfo.environment.merging(fake.environment) { _, n in n }.merging(["PATH": path]) { _, n in n }
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        kill(try Self.waitFor(pidFile), SIGKILL)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(stderr.contains("error: cannot copy") && stderr.contains("git was killed by signal 9"), "\(stderr)")
        let workspace = fake.app.appendingPathComponent(".unikraft")
        #expect(try FileManager.default.contentsOfDirectory(atPath: workspace.path).sorted() == ["libs", "unikraft"])
        #expect(try fake.head(".unikraft/unikraft") == fake.commits["two"]!)
        #expect(fake.text("kraft.lock")?.contains(fake.commits["two"]!) == true)

        // 2. manifestc itself is killed mid-fetch: its temporary clone stays behind, and the next run removes it.
        try? FileManager.default.removeItem(at: pidFile)
        try FileManager.default.removeItem(at: workspace.appendingPathComponent("unikraft"))
        let killed = Process()
        killed.executableURL = CommandLineTests.executable
        killed.arguments = ["kraft.yaml", "--build"]
        killed.currentDirectoryURL = fake.app
        killed.environment = process.environment
        killed.standardError = FileHandle.nullDevice
        killed.standardOutput = FileHandle.nullDevice
        try killed.run()
        let gitPid = try Self.waitFor(pidFile)
        kill(killed.processIdentifier, SIGKILL)
        killed.waitUntilExit()
        kill(gitPid, SIGKILL)
        #expect(try FileManager.default.contentsOfDirectory(atPath: workspace.path).contains { $0.hasPrefix(".unikraft.manifestc-partial-") })
        let again = try fake.manifestc(["kraft.yaml", "--build"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: workspace.path).sorted() == ["libs", "unikraft"])
        #expect(try fake.head(".unikraft/unikraft") == fake.commits["two"]!)
        _ = newer
    }

    // MARK: Determinism

    /// Every file manifestc writes next to the manifest, by name.
    static func outputs(_ folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where ![".unikraft", "build", "kraft.yaml", "main.c", "Makefile.uk"].contains(name) {
            files[name] = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path)
        }
        return files
    }

    @Test func theLockAndEveryEmittedFileAreByteIdenticalAcrossTwoFreshWorkspaces() throws {
        let fake = try FakeUnikraft(manifest: Self.manifest(unikraft: "unikraft: staging\n", targets: "[linuxu/x86_64, qemu/x86_64, {platform: fc, architecture: x86_64, name: small}]"))
        #expect(try fake.manifestc(["kraft.yaml", "--build"]).status == 0)
        let first = try Self.outputs(fake.app)
        #expect(Set(first.keys).isSuperset(of: ["kraft.lock", "Makefile", "launch.sh", "qemu-guest", ".config.small", "defconfig.qemu-x86_64", "small.json", ".manifestc-outputs"]))
        // A fresh workspace: nothing of the first run left.
        for name in first.keys + [".unikraft", "build"] { try FileManager.default.removeItem(at: fake.app.appendingPathComponent(name)) }
        #expect(try fake.manifestc(["kraft.yaml", "--build"]).status == 0)
        let second = try Self.outputs(fake.app)
        #expect(Set(first.keys) == Set(second.keys))
        for (name, bytes) in first { #expect(second[name] == bytes, "\(name) differs") }

        // Elsewhere, only the tree's and the app's absolute paths differ: Unikraft's
        // .config records them (CONFIG_UK_BASE, CONFIG_UK_APP), as 'make defconfig' does.
        let copy = fake.root.appendingPathComponent("elsewhere/app")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        for name in ["kraft.yaml", "main.c", "Makefile.uk"] { try FileManager.default.copyItem(at: fake.app.appendingPathComponent(name), to: copy.appendingPathComponent(name)) }
        #expect(try fake.manifestc(["kraft.yaml", "--update"], in: copy).status == 0)
        let moved = try Self.outputs(copy)
        #expect(Set(first.keys) == Set(moved.keys))
        for (name, bytes) in first where !name.hasPrefix(".config") && name != ".manifestc-outputs" { #expect(moved[name] == bytes, "\(name) differs") }
        let a = String(decoding: first[".config.small"]!, as: UTF8.self).split(separator: "\n"), b = String(decoding: moved[".config.small"]!, as: UTF8.self).split(separator: "\n")
        #expect(zip(a, b).filter { $0 != $1 }.map { String($0.0.prefix { $0 != "=" }) } == ["CONFIG_UK_BASE", "CONFIG_UK_APP"])
    }

    // MARK: Building and running

    @Test func aFailedBuildShowsTheFailingLines() throws {
        let fake = try FakeUnikraft(manifest: Self.manifest(unikraft: "unikraft: stable\n"))
        try "#error nope\n".write(to: fake.app.appendingPathComponent("main.c"), atomically: true, encoding: .utf8)
        let r = try fake.manifestc(["kraft.yaml", "--build"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("  | main.c:1:2: error: #error in main.c\n"), "\(r.stderr)")
        #expect(r.stderr.contains("make failed for target 'linuxu-x86_64'"))
        #expect(r.stderr.contains("[1/1] linuxu-x86_64: failed after "))
    }

    @Test func verboseStreamsMakeAndCrossCompilingUsesThePrefix() throws {
        let fake = try FakeUnikraft(manifest: Self.manifest(unikraft: "unikraft: stable\n", targets: "[qemu/arm64]"))
        let bin = fake.root.appendingPathComponent("cross")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try "#!/bin/sh\n".write(to: bin.appendingPathComponent("fake-gcc"), atomically: true, encoding: .utf8)
        chmod(bin.appendingPathComponent("fake-gcc").path, 0o755)
        let path = bin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "")
        let r = try fake.manifestc(["kraft.yaml", "--build", "--verbose", "-j", "1"], environment: ["CROSS_COMPILE": "fake-", "PATH": path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("  CC      main.c (fake-gcc)\n"), "\(r.stdout)")
        #expect(r.stdout.contains("build/qemu-arm64/hello_qemu-arm64 ("))

        let missing = try fake.manifestc(["kraft.yaml", "--build"], environment: ["CROSS_COMPILE": "nonexistent-"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("target 'qemu-arm64' (arm64) needs the C compiler 'nonexistent-gcc' (CROSS_COMPILE is 'nonexistent-'), which is not installed; install it with 'apt-get install gcc-aarch64-linux-gnu' (Debian)"), "\(missing.stderr)")
    }

    @Test func runPassesArgumentsAndTheExitStatusThrough() throws {
        let fake = try FakeUnikraft(manifest: Self.manifest(unikraft: "unikraft: stable\n"))
        let plain = try fake.manifestc(["kraft.yaml", "--run"])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(plain.stdout.contains("Hello world!\n"))
        let status = try fake.manifestc(["kraft.yaml", "--run", "--", "exit", "3"])
        #expect(status.status == 3, "\(status.stderr)")
        #expect(status.stdout.contains("args: exit 3\n"), "\(status.stdout)")
        // Stopped, not waited for: the image's subshell never says it slept, and none of its
        // processes outlives manifestc (the sleep's argument marks them).
        let naps = "30.\(UInt32.random(in: 100_000...999_999))"
        let slow = try fake.manifestc(["kraft.yaml", "--run", "--timeout", "1", "--", "sleep", naps])
        #expect(slow.status == 124)
        #expect(slow.stderr.contains("stopped 'linuxu-x86_64' after 1 seconds (--timeout)"))
        #expect(!slow.stdout.contains("slept"), "\(slow.stdout)")
        #expect(Self.processes(mentioning: naps).isEmpty, "the image's processes outlived manifestc")
    }

    /// The ids of the running processes whose command line has `word` as an argument.
    static func processes(mentioning word: String) -> [String] {
        let ids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return ids.filter { id in
            guard id.allSatisfy(\.isNumber), let line = FileManager.default.contents(atPath: "/proc/\(id)/cmdline") else { return false }
            return line.split(separator: 0).contains { String(decoding: $0, as: UTF8.self) == word }
        }
    }

    /// A stand-in `qemu-system-x86_64` on PATH whose KVM fails every guest the way a broken
    /// nested KVM does (QEMU says "KVM internal error" and waits; a paused start works); under
    /// TCG it prints its arguments and exits with 83, like a Unikraft that halts.
    static func hangingKVMQemu() throws -> String {
        let folder = try CommandLineTests.temporaryFolder(["qemu-system-x86_64": #"""
            #!/usr/bin/env bash
            case " $* " in *" -accel help "*) printf '%s\n' 'Accelerators supported in QEMU binary:' tcg kvm; exit 0 ;; esac
            case " $* " in
            *" -S "*) sleep 10; exit 0 ;;
            *" -enable-kvm "*|*accel=kvm*)
                printf '%s\n' "KVM internal error. Suberror: 1" "emulation failure" >&2
                exec sleep 30 </dev/null >/dev/null 2>&1 ;;
            esac
            printf 'qemu: %s\n' "$*"
            exit 83

            """#])
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.appendingPathComponent("qemu-system-x86_64").path)
        return folder.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
    }

    static var kvmDevicePresent: Bool {
        var name = utsname()
        uname(&name)
        let machine = withUnsafeBytes(of: &name.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return machine == "x86_64" && FileManager.default.isReadableFile(atPath: "/dev/kvm") && FileManager.default.isWritableFile(atPath: "/dev/kvm")
    }

    @Test func accelForcesQemusAccelerator() throws {
        let fake = try FakeUnikraft(manifest: Self.manifest(unikraft: "unikraft: stable\n", targets: "[qemu/x86_64, linuxu/x86_64]"))
        let path = try Self.hangingKVMQemu()
        let tcg = try fake.manifestc(["kraft.yaml", "--run", "--accel", "tcg"], environment: ["PATH": path])
        #expect(tcg.status == 0, "\(tcg.stderr)")
        #expect(tcg.stdout.contains("qemu: -machine pc,accel=tcg -cpu max "), "\(tcg.stdout)")
        #expect(!tcg.stderr.contains("KVM"), "\(tcg.stderr)")
        // Forced KVM is not tested first: here it hangs until --timeout.
        let kvm = try fake.manifestc(["kraft.yaml", "--run", "--accel", "kvm", "--timeout", "2"], environment: ["PATH": path])
        #expect(kvm.status == 124, "\(kvm.stderr)")
        #expect(kvm.stderr.contains("KVM internal error"), "\(kvm.stderr)")
        let linuxu = try fake.manifestc(["kraft.yaml", "--run", "--target", "linuxu/x86_64", "--accel", "tcg"], environment: ["PATH": path])
        #expect(linuxu.status == 1)
        #expect(linuxu.stderr.contains("error: --accel applies to QEMU targets; 'linuxu-x86_64' runs on linuxu"), "\(linuxu.stderr)")
    }

    /// Without --accel, a KVM that QEMU opens but that fails every guest leads to TCG, said,
    /// well before the harness's --timeout would stop a guest hanging under KVM.
    @Test(.enabled(if: BuildRunTests.kvmDevicePresent, "needs an x86_64 host with a readable and writable /dev/kvm"))
    func runFallsBackToTCGWhenKVMFailsEveryGuest() throws {
        let fake = try FakeUnikraft(manifest: Self.manifest(unikraft: "unikraft: stable\n", targets: "[qemu/x86_64]"))
        let r = try fake.manifestc(["kraft.yaml", "--run", "--timeout", "60"], environment: ["PATH": try Self.hangingKVMQemu()])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("qemu: -machine pc,accel=tcg -cpu max "), "\(r.stdout)")
        #expect(r.stderr.contains("launch.sh: KVM is present but cannot run guests here (KVM internal error: a test guest did not finish within 5 seconds); using TCG (--kvm forces KVM)\n"), "\(r.stderr)")
    }

    @Test func targetSelectsWhatIsBuiltAndRunWhileEveryTargetIsEmitted() throws {
        let fake = try FakeUnikraft(manifest: Self.manifest(unikraft: "unikraft: stable\n", targets: "[qemu/x86_64, linuxu/x86_64]"))
        let r = try fake.manifestc(["kraft.yaml", "--run", "--target", "linuxu/x86_64"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Hello world!\nargs: from manifest\n"), "\(r.stdout)")
        #expect(r.stderr.contains("[1/1] linuxu-x86_64: built in "))
        #expect(!FileManager.default.fileExists(atPath: fake.app.appendingPathComponent("build/qemu-x86_64").path))
        #expect(fake.text("Makefile")?.contains("TARGETS := qemu-x86_64 linuxu-x86_64\n") == true)
        // The generated files stay those of the whole manifest.
        let check = try fake.manifestc(["kraft.yaml", "--check", "--locked"])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    }

    @Test func usageErrors() throws {
        let fake = try FakeUnikraft(manifest: Self.manifest(unikraft: "unikraft: stable\n"))
        for (arguments, message) in [
            (["--locked", "--update"], "--locked and --update cannot be combined"),
            (["--build", "--check"], "cannot be combined with --check"),
            (["--build", "--uk-root", "/tmp"], "--uk-root and --lib cannot be combined"),
            (["--timeout", "3"], "--timeout applies to --run"),
            (["--build", "--accel", "tcg"], "--accel applies to --run"),
            (["--build", "--", "x"], "add --run"),
        ] {
            let r = try fake.manifestc(["kraft.yaml"] + arguments)
            #expect(r.status == 2, "\(arguments)")
            #expect(r.stderr.contains(message), "\(r.stderr)")
        }
    }
}
