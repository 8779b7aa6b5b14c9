import Foundation
import Testing
import TestSupport
import Diagnostics

/// Hangs, memory, git transports and secrets of the environment (SECURITY.md): each case
/// runs the built manifestc on a hostile input under a time bound and a memory bound that
/// the harness enforces (`timeout -s KILL` around `/usr/bin/time`, which gives the peak RSS), and asserts
/// the safe outcome: a located error, a bounded result, a canary never created, a secret
/// never written or printed.
@Suite(.tags(.security, .slow), .serialized) struct SecurityResourceTests {
    typealias CLI = CommandLineTests

    /// The manifestc under test (`MANIFESTC_TEST_EXECUTABLE` runs the suite against another build).
    static var executable: String {
        ProcessInfo.processInfo.environment["MANIFESTC_TEST_EXECUTABLE"] ?? CLI.executable.path
    }

    struct BoundedRun {
        var status: Int32
        var stdout: String
        var stderr: String
        /// Peak resident memory, in KiB.
        var peakKiB: Int
        /// Killed at the time bound.
        var killed: Bool
    }

    /// Runs manifestc under `timeout -s KILL seconds` and `/usr/bin/time`, and records an issue
    /// when it was killed at the time bound or its peak memory passed `memoryMiB`.
    @discardableResult
    static func runBounded(_ arguments: [String], in folder: URL, environment: [String: String] = [:],
                           seconds: Int = 20, memoryMiB: Int = 200, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> BoundedRun {
        let rss = FileManager.default.temporaryDirectory.appendingPathComponent("manifestc-rss-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: rss) }
        let r = try Subprocess.run("/usr/bin/timeout", ["-s", "KILL", String(seconds), "/usr/bin/time", "-f", "%M", "-o", rss.path, executable] + arguments,
                                   in: folder, environment: environment)
        let peak = (try? String(contentsOf: rss, encoding: .utf8))?.split(separator: "\n").last.flatMap { Int($0) } ?? 0
        let run = BoundedRun(status: r.status, stdout: r.stdout, stderr: r.stderr, peakKiB: peak, killed: r.status == 137 || r.status == SIGKILL)
        #expect(!run.killed, "manifestc did not finish within \(seconds) s", sourceLocation: sourceLocation)
        #expect(peak < memoryMiB << 10, "manifestc used \(peak >> 10) MiB, more than the bound of \(memoryMiB) MiB", sourceLocation: sourceLocation)
        return run
    }

    /// A tree `plan --uk-root uk` reads: `version.mk` and the given `Config.uk`.
    static func tree(_ configUK: String, extra: [String: String] = [:]) throws -> URL {
        try CLI.temporaryFolder([
            "kraft.yaml": "spec: v0.6\nname: app\ntargets:\n  - qemu/x86_64\n",
            "uk/version.mk": "UK_VERSION = 0\nUK_SUBVERSION = 17\nUK_EXTRAVERSION = 0\n",
            "uk/Config.uk": configUK + "\n" + TargetSymbols.kconfig,
        ].merging(extra) { a, _ in a })
    }

    // MARK: - git transports

    static func sourceManifest(_ source: String) -> String {
        "spec: v0.6\nname: app\nunikraft:\n  source: '\(source)'\n  version: stable\ntargets:\n  - qemu/x86_64\n"
    }

    @Test func gitRemoteHelperFdIsRejectedAtTheManifestsSource() throws {
        let folder = try CLI.temporaryFolder(["kraft.yaml": Self.sourceManifest("fd::17")])
        let r = try Self.runBounded(["--build", "kraft.yaml"], in: folder)
        #expect(r.status == 1)
        #expect(r.stderr.contains("kraft.yaml:4:11: error: the source of unikraft uses git's remote helper 'fd::'"), "\(r.stderr)")
        #expect(r.stderr.contains("[source-transport]"))
    }

    @Test func gitExtHelperAllowedByTheUsersGitConfigStillDoesNotRun() throws {
        let folder = try CLI.temporaryFolder(["kraft.yaml": Self.sourceManifest("https://example.invalid/unikraft.git")])
        let canary = folder.appendingPathComponent("canary")
        // The user's configuration allows ext:: and rewrites the manifest's URL into a command.
        let environment = [
            "GIT_CONFIG_COUNT": "2",
            "GIT_CONFIG_KEY_0": "protocol.ext.allow", "GIT_CONFIG_VALUE_0": "always",
            "GIT_CONFIG_KEY_1": "url.ext::sh -c touch% \(canary.path)% #.insteadOf", "GIT_CONFIG_VALUE_1": "https://example.invalid/",
            "GIT_ALLOW_PROTOCOL": "ext:https",
        ]
        let r = try Self.runBounded(["--build", "kraft.yaml"], in: folder, environment: environment)
        #expect(r.status != 0)
        #expect(!FileManager.default.fileExists(atPath: canary.path), "git ran the ext:: command")
    }

    @Test func gitCredentialsInTheSourceURLAreNeverPrintedOrPinned() throws {
        // Even with the variable allowed, the password reaches neither a log nor kraft.lock.
        let folder = try CLI.temporaryFolder(["kraft.yaml": Self.sourceManifest("https://builder:${GIT_PASSWORD}@127.0.0.1:9/unikraft.git")])
        let r = try Self.runBounded(["--build", "--allow-env", "GIT_PASSWORD", "kraft.yaml"], in: folder, environment: ["GIT_PASSWORD": "hunter2secret"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("kraft.yaml:4:11: error: the source of unikraft carries credentials in its URL"), "\(r.stderr)")
        #expect(!(r.stdout + r.stderr).contains("hunter2secret"))
        let lock = (try? String(contentsOf: folder.appendingPathComponent("kraft.lock"), encoding: .utf8)) ?? ""
        #expect(!lock.contains("hunter2secret"))
    }

    @Test(.enabled(if: hasTool("git"), "needs git"))
    func planOnATreeWhoseGitConfigNamesAnFsmonitorRunsNothing() throws {
        let folder = try Self.tree("config FOO\n\tbool \"foo\"\n\tdefault y\n")
        let uk = folder.appendingPathComponent("uk")
        let canary = folder.appendingPathComponent("canary")
        for arguments in [["init", "-q"], ["add", "-A"], ["-c", "user.email=a@b", "-c", "user.name=n", "commit", "-qm", "tree"],
                          ["config", "core.fsmonitor", "touch \(canary.path);"]] {
            #expect(try Subprocess.run("/usr/bin/env", ["git"] + arguments, in: uk).status == 0)
        }
        let configUK = uk.appendingPathComponent("Config.uk")
        try (String(contentsOf: configUK, encoding: .utf8) + "# edited\n").write(to: configUK, atomically: true, encoding: .utf8)
        let r = try Self.runBounded(["plan", "--uk-root", "uk", "kraft.yaml"], in: folder)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: canary.path), "git ran the tree's core.fsmonitor command")
    }

    @Test(.enabled(if: hasTool("git"), "needs git"))
    func planOnATreeWhoseGitAttributesNameACleanFilterRunsNothing() throws {
        let folder = try Self.tree("config FOO\n\tbool \"foo\"\n\tdefault y\n", extra: ["uk/.gitattributes": "* filter=evil\n"])
        let uk = folder.appendingPathComponent("uk")
        let canary = folder.appendingPathComponent("canary")
        for arguments in [["init", "-q"], ["add", "-A"], ["-c", "user.email=a@b", "-c", "user.name=n", "commit", "-qm", "tree"],
                          ["config", "filter.evil.clean", "touch \(canary.path); cat"], ["config", "filter.evil.required", "true"]] {
            #expect(try Subprocess.run("/usr/bin/env", ["git"] + arguments, in: uk).status == 0)
        }
        // An older modification time makes git compare the file's content, through the filter.
        #expect(try Subprocess.run("/usr/bin/touch", ["-d", "2020-01-01", uk.appendingPathComponent("Config.uk").path]).status == 0)
        let r = try Self.runBounded(["plan", "--uk-root", "uk", "kraft.yaml"], in: folder)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: canary.path), "git ran the tree's clean filter")
    }

    // MARK: - Expansion

    @Test func aBigScalarAliasedThreeHundredTimesIsALocatedError() throws {
        let big = String(repeating: "x", count: 1_000_000)
        let aliases = Array(repeating: "*a", count: 300).joined(separator: ", ")
        let folder = try CLI.temporaryFolder(["kraft.yaml": "spec: v0.6\nname: app\ntargets:\n  - qemu/x86_64\nx-big: &a \"\(big)\"\ncmd: [\(aliases)]\n"])
        let r = try Self.runBounded(["kraft.yaml"], in: folder, seconds: 15, memoryMiB: 300)
        #expect(r.status == 1)
        #expect(r.stderr.contains("kraft.yaml:6:") && r.stderr.contains("[limit-expanded-size]"), "\(r.stderr.prefix(500))")
        #expect(r.stderr.contains("--limit expanded-bytes=N"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("launch.sh").path))
    }

    @Test func bigKconfigValuesTimesManyTargetsIsALocatedError() throws {
        let big = String(repeating: "y", count: 1_000_000)
        let options = (0..<3).map { "    CONFIG_X\($0): \"\(big)\"" }.joined(separator: "\n")
        let targets = (0..<30).map { "  - {plat: qemu, arch: x86_64, name: t\($0)}" }.joined(separator: "\n")
        let folder = try CLI.temporaryFolder(["kraft.yaml": "spec: v0.6\nname: app\nunikraft:\n  kconfig:\n\(options)\ntargets:\n\(targets)\n"])
        let r = try Self.runBounded(["kraft.yaml"], in: folder, memoryMiB: 300)
        #expect(r.status == 1)
        #expect(r.stderr.contains("kraft.yaml:9:5: error: the kconfig options are written once per target: 30 targets"), "\(r.stderr.prefix(500))")
        #expect(r.stderr.contains("--limit expanded-bytes=N"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("defconfig.t0").path))
    }

    @Test func aKconfigGlobThroughSymlinkLoopsEndsWithAWarning() throws {
        let stars = Array(repeating: "*", count: 12).joined(separator: "/")
        let folder = try Self.tree("config FOO\n\tbool \"foo\"\n\tdefault y\nsource \"a/\(stars)/Config.uk\"\n")
        let a = folder.appendingPathComponent("uk/a")
        try FileManager.default.createDirectory(at: a, withIntermediateDirectories: true)
        for name in ["w", "x", "y", "z"] { try FileManager.default.createSymbolicLink(atPath: a.appendingPathComponent(name).path, withDestinationPath: ".") }
        let r = try Self.runBounded(["plan", "--uk-root", "uk", "kraft.yaml"], in: folder)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("CONFIG_FOO=y\n"))
        #expect(r.stderr.contains("uk/Config.uk:4:1: warning: 'source' pattern") && r.stderr.contains("[kconfig-glob-loop]"), "\(r.stderr)")
    }

    @Test func kconfigMacrosThatDoubleAreStoppedByTheirWork() throws {
        var lines = ["B0 :="]
        for i in 1...40 { lines.append("B\(i) = $(B\(i - 1))$(B\(i - 1))") }
        lines += ["config FOO", "\tstring \"foo\"", "\tdefault \"$(B40)\""]
        let folder = try Self.tree(lines.joined(separator: "\n") + "\n")
        let r = try Self.runBounded(["plan", "--uk-root", "uk", "kraft.yaml"], in: folder)
        #expect(r.status == 1)
        #expect(r.stderr.contains("uk/Config.uk:44:11: error: macro expansion does more work than the limit"), "\(r.stderr)")
        #expect(r.stderr.contains("[kconfig-macro-work]"))
    }

    @Test func aKconfigSourceNamingAHugeSparseFileIsNotReadIntoMemory() throws {
        let folder = try Self.tree("config FOO\n\tbool \"foo\"\n\tdefault y\nsource \"huge.uk\"\n")
        let huge = folder.appendingPathComponent("uk/huge.uk")
        #expect(FileManager.default.createFile(atPath: huge.path, contents: nil))
        #expect(truncate(huge.path, 2 << 30) == 0)
        defer { try? FileManager.default.removeItem(at: huge) }
        let r = try Self.runBounded(["plan", "--uk-root", "uk", "kraft.yaml"], in: folder)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("uk/Config.uk:4:1: warning: 'source' names"), "\(r.stderr)")
    }

    static func importFolder(_ makefileLines: [String]) throws -> URL {
        try CLI.temporaryFolder([
            "setup/Makefile": (makefileLines + ["UK_ROOT ?= /unikraft", "", "all:", "\t@$(MAKE) -C $(UK_ROOT) A=$(PWD) L=$(LIBS)"]).joined(separator: "\n") + "\n",
            "setup/.config": "CONFIG_PLAT_KVM=y\nCONFIG_KVM_VMM_QEMU=y\nCONFIG_ARCH_X86_64=y\n",
        ])
    }

    @Test func importOfMakeVariablesThatDoubleInSizeIsBounded() throws {
        var lines = ["S0 := xxxxxxxxxxxxxxxx"]
        for i in 1...32 { lines.append("S\(i) := $(S\(i - 1))$(S\(i - 1))") }
        let folder = try Self.importFolder(lines + ["LIBS := /lib-musl"])
        let r = try Self.runBounded(["import", "setup", "-o", "-"], in: folder)
        #expect(r.status == 1)
        #expect(r.stderr.contains("setup/Makefile:20:8: error: expanding the Makefile's variables takes more than"), "\(r.stderr)")
        #expect(r.stderr.contains("[make-expansion-limit]"))
    }

    @Test func importOfRecursiveMakeVariablesThatDoubleInTimeIsBounded() throws {
        var lines = ["E :=", "R0 = $(E)"]
        for i in 1...40 { lines.append("R\(i) = $(R\(i - 1))$(R\(i - 1))") }
        let folder = try Self.importFolder(lines + ["LIBS = $(R40)"])
        let r = try Self.runBounded(["import", "setup", "-o", "-"], in: folder)
        #expect(r.status == 1)
        #expect(r.stderr.contains("[make-expansion-limit]"), "\(r.stderr.prefix(2000))")
    }

    // MARK: - make

    static func hasTool(_ name: String) -> Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            .contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(name)") }
    }

    /// A local Unikraft folder whose Makefile runs `recipe` for any goal.
    static func buildFolder(_ recipe: String) throws -> URL {
        try CLI.temporaryFolder([
            "kraft.yaml": "spec: v0.6\nname: app\nunikraft:\n  source: ./uk\ntargets:\n  - qemu/x86_64\n",
            "uk/version.mk": "UK_VERSION = 0\nUK_SUBVERSION = 17\nUK_EXTRAVERSION = 0\n",
            "uk/Config.uk": "config FOO\n\tbool \"foo\"\n\tdefault y\n" + TargetSymbols.kconfig,
            "uk/Makefile": "all:\n\t@\(recipe)\n",
        ])
    }

    @Test(.enabled(if: hasTool("make") && hasTool("gcc"), "needs make and gcc"))
    func makePrintingTensOfMegabytesKeepsManifestcsMemoryBounded() throws {
        let folder = try Self.buildFolder("yes flood | head -n 3500000; echo 'fatal: the last words'; exit 1")
        let r = try Self.runBounded(["--build", "kraft.yaml"], in: folder, seconds: 120, memoryMiB: 100)
        #expect(r.status == 1)
        #expect(r.stderr.contains("  | fatal: the last words"), "\(r.stderr.suffix(1000))")
    }

    @Test(.enabled(if: hasTool("make") && hasTool("gcc"), "needs make and gcc"))
    func sigtermDuringTheBuildStopsMakesProcessGroupAndExits143() throws {
        let folder = try Self.buildFolder("echo $$$$ > started; sleep 300")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments = ["--build", "kraft.yaml"]
        process.currentDirectoryURL = folder
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        let started = folder.appendingPathComponent("uk/started")
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: started.path), Date() < deadline { usleep(50_000) }
        let shell = try #require(Int32(String(contentsOf: started, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        kill(process.processIdentifier, SIGTERM)
        let stop = Date().addingTimeInterval(10)
        while process.isRunning, Date() < stop { usleep(20_000) }
        #expect(!process.isRunning, "manifestc did not exit within 10 s of SIGTERM")
        if process.isRunning { return }
        #expect(process.terminationStatus == 143)
        usleep(200_000)
        #expect(kill(shell, 0) != 0, "make's recipe shell (pid \(shell)) still runs")
        kill(shell, SIGKILL)
    }

    // MARK: - Secrets of the environment

    @Test func aSecretOfTheProcessEnvironmentNeverReachesEmittedFiles() throws {
        let folder = try CLI.temporaryFolder(["kraft.yaml": "spec: v0.6\nname: app\ntargets:\n  - qemu/x86_64\ncmd: [\"${GITHUB_TOKEN}\"]\n"])
        let r = try Self.runBounded(["kraft.yaml", "--emit", "all"], in: folder, environment: ["GITHUB_TOKEN": "ghp_canary0123456789"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("kraft.yaml:5:8: error: environment variable 'GITHUB_TOKEN' is set in the process environment"), "\(r.stderr)")
        #expect(r.stderr.contains("'--allow-env GITHUB_TOKEN'"))
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] {
            let text = (try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)) ?? ""
            #expect(!text.contains("ghp_canary"), "\(name) holds the token")
        }
        #expect(!(r.stdout + r.stderr).contains("ghp_canary"))
    }

    @Test func aSecretOfTheProcessEnvironmentIsNeverPrintedInADiagnostic() throws {
        let folder = try CLI.temporaryFolder(["kraft.yaml": "spec: v0.6\nname: app\ntargets:\n  - plat: ${AWS_SECRET_ACCESS_KEY}\n    arch: x86_64\n"])
        let r = try Self.runBounded(["validate", "kraft.yaml"], in: folder, environment: ["AWS_SECRET_ACCESS_KEY": "wJalrSECRETcanary"])
        #expect(r.status == 1)
        #expect(!(r.stdout + r.stderr).contains("wJalrSECRETcanary"), "\(r.stderr)")
        #expect(r.stderr.contains("kraft.yaml:4:11: error: environment variable 'AWS_SECRET_ACCESS_KEY'"), "\(r.stderr)")
    }

    @Test func allowEnvLetsTheNamedVariablesThroughAndDefaultsStillWork() throws {
        let folder = try CLI.temporaryFolder(["kraft.yaml": "spec: v0.6\nname: ${APP_NAME}\noutdir: ${OTHER:-fallback}\n"])
        let r = try Self.runBounded(["show", "--allow-env", "APP_*", "kraft.yaml"], in: folder, environment: ["APP_NAME": "allowed", "OTHER": "withheld"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("\"name\": \"allowed\""))
        #expect(r.stdout.contains("\"outdir\": \"fallback\""))
        #expect(r.stderr.contains("kraft.yaml:3:9: warning: environment variable 'OTHER'") && r.stderr.contains("the default is used"), "\(r.stderr)")
        #expect(!r.stderr.contains("withheld"))
    }
}
