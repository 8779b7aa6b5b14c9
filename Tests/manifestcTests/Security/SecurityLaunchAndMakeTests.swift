import Foundation
import Testing
import TestSupport

/// The security suite, end to end: a hostile manifest goes through the `manifestc`
/// executable, and what it emitted runs (`launch.sh --dry-run`, `make -n`, bash); a canary
/// file proves that nothing the manifest names ran on the host (SECURITY.md).
@Suite(.tags(.security, .slow)) struct SecurityLaunchAndMakeTests {
    typealias CLI = CommandLineTests

    static func canary(_ folder: URL) -> Bool {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent("CANARY").path)
    }

    @Test func bridgeNameRunningAQemuHelperStopsTheCompile() throws {
        let folder = try CLI.temporaryFolder(["kraft.yaml": """
            spec: v0.6
            targets: [qemu/x86_64, xen/x86_64]
            networks:
              lan:
                bridge: "br0,helper=touch CANARY"

            """])
        let r = try CLI.run(["kraft.yaml", "--emit", "all", "--color", "never"], in: folder)
        #expect(r.status == 1)
        #expect(r.stderr.contains("kraft.yaml:5:13: error: the bridge 'br0,helper=touch CANARY' is not a usable interface name"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("launch.sh").path))
        #expect(!Self.canary(folder))
    }

    @Test func hostileVolumeEnvAndArgumentsReachQemuLiterallyAndRunNothing() throws {
        let folder = try CLI.temporaryFolder(["kraft.yaml": """
            spec: v0.6
            name: app
            targets: [qemu/x86_64]
            volumes: ['./d,x=$$(touch CANARY):/data']
            env: {A: "$$(touch CANARY)]", B: "`touch CANARY` ]"}
            networks: [{bridge: br0, ip: 10.0.0.2, netmask: 255.255.255.0}]
            cmd: ["--", "$$(touch CANARY)", "a,b]"]

            """, "d,x=$(touch CANARY)/.keep": ""])
        let emit = try CLI.run(["kraft.yaml", "--emit", "launch"], in: folder)
        #expect(emit.status == 0, "\(emit.stderr)")
        let dry = try Subprocess.run(folder.appendingPathComponent("launch.sh").path, ["--dry-run", "--tcg"], in: folder)
        #expect(dry.status == 0, "\(dry.stderr)")
        let argv = try shellWords(String(dry.stdout.dropLast()))
        let fsdev = try #require(argv.firstIndex(of: "-fsdev").map { argv[$0 + 1] })
        #expect(ConsumerReaders.qemuOptions(fsdev).first { $0.key == "path" }?.value == folder.path + "/d,x=$(touch CANARY)", "\(fsdev)")
        let netdev = try #require(argv.firstIndex(of: "-netdev").map { argv[$0 + 1] })
        #expect(ConsumerReaders.qemuOptions(netdev).map(\.key) == ["bridge", "id", "br"])
        let append = try #require(argv.firstIndex(of: "-append").map { argv[$0 + 1] })
        let words = ConsumerReaders.unikraftTokens(append)
        let (parameters, arguments) = ConsumerReaders.libparams(Array(words.dropFirst()))
        #expect(Set(parameters["env.vars"] ?? []) == ["A=$(touch CANARY)]", "B=`touch CANARY` ]"], "\(append)")
        #expect(parameters["netdev.ip"] == ["10.0.0.2/24"])
        #expect(arguments == ["$(touch CANARY)", "a,b]"])
        #expect(!Self.canary(folder))
    }

    @Test func localUnikraftSourceInjectingMakeStatementsStopsTheCompile() throws {
        // The folder exists and is a tree, so only the Makefile rule can stop it.
        let hostile = "uk)\n$(shell touch CANARY)\nall:\n\ttouch CANARY\n#"
        let folder = try CLI.temporaryFolder(["kraft.yaml": "spec: v0.6\nunikraft:\n  source: \"./uk)\\n$$(shell touch CANARY)\\nall:\\n\\ttouch CANARY\\n#\"\ntargets: [qemu/x86_64]\n",
                                              hostile + "/Config.uk": TargetSymbols.kconfig,
                                              hostile + "/version.mk": "UK_VERSION = 0\nUK_SUBVERSION = 17\nUK_EXTRAVERSION = 0\n"])
        let r = try CLI.run(["kraft.yaml", "--emit", "all", "--color", "never"], in: folder)
        #expect(r.status == 1)
        #expect(r.stderr.contains("kraft.yaml:3:11: error: the Unikraft source "), "\(r.stderr)")
        #expect(r.stderr.contains("[make-path]"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("Makefile").path))
        #expect(!Self.canary(folder))
    }

    @Test(arguments: ["template:\n  source: './t;touch CANARY;'\n", "libraries:\n  foo:\n    source: './l$$(touch CANARY)'\n"])
    func localFoldersTheShellWouldRunStopTheCompile(_ section: String) throws {
        let folder = try CLI.temporaryFolder(["kraft.yaml": "spec: v0.6\n\(section)targets: [qemu/x86_64]\n",
                                              "l$(touch CANARY)/Config.uk": "config LIBFOO\n\tbool \"foo\"\n"])
        let r = try CLI.run(["kraft.yaml", "--emit", "makefile", "--color", "never"], in: folder)
        #expect(r.status == 1)
        #expect(r.stderr.contains("[make-path]"), "\(r.stderr)")
        #expect(!Self.canary(folder))
    }

    @Test func emittedMakefileRunsNothingUnderMakeN() throws {
        // Everything the manifest may say about names and run settings, hostile; make -n
        // expands every variable and $(shell …) the Makefile could hold.
        let folder = try CLI.temporaryFolder(["kraft.yaml": """
            spec: v0.6
            name: "app$$(shell touch CANARY)"
            targets:
              - {name: "t$$(shell touch CANARY)#", platform: qemu, architecture: x86_64}
            env: {A: "$$(shell touch CANARY)"}
            cmd: ["$$(shell touch CANARY)"]

            """])
        let emit = try CLI.run(["kraft.yaml", "--emit", "makefile,launch"], in: folder)
        #expect(emit.status == 0, "\(emit.stderr)")
        let make = try Subprocess.run("/usr/bin/env", ["make", "-n", "-f", "Makefile"], in: folder)
        #expect(make.stderr.contains(".unikraft/unikraft"), "make -n ran Unikraft's make (a '+' line), which is missing: \(make.stderr)")
        let launch = try Subprocess.run(folder.appendingPathComponent("launch.sh").path, ["--dry-run"], in: folder)
        #expect(launch.status == 0, "\(launch.stderr)")
        #expect(!Self.canary(folder))
    }

    @Test func buildingInAFolderTheShellWouldSplitIsRefused() throws {
        let parent = try CLI.temporaryFolder([:])
        let folder = parent.appendingPathComponent("app;touch CANARY;")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "spec: v0.6\nunikraft:\n  source: ./uk\ntargets: [linuxu/x86_64]\n".write(to: folder.appendingPathComponent("kraft.yaml"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("uk"), withIntermediateDirectories: true)
        try TargetSymbols.kconfig.write(to: folder.appendingPathComponent("uk/Config.uk"), atomically: true, encoding: .utf8)
        try "UK_VERSION = 0\nUK_SUBVERSION = 16\nUK_EXTRAVERSION = 0\n".write(to: folder.appendingPathComponent("uk/version.mk"), atomically: true, encoding: .utf8)
        let r = try CLI.run(["kraft.yaml", "--build", "--color", "never"], in: folder)
        #expect(r.status != 0)
        #expect(r.stderr.contains("error: cannot build in '\(folder.resolvingSymlinksInPath().path)': it holds ';'"), "\(r.stderr)")
        #expect(!Self.canary(folder) && !Self.canary(parent))
    }

    @Test func githubPipelineForAPathHoldingAnExpressionIsRefused() throws {
        let folder = try CLI.temporaryFolder(["apps/${{ github.token }}/kraft.yaml": "spec: v0.6\nname: app\ntargets: [qemu/x86_64]\n"])
        try CLI.writeLock(for: folder.appendingPathComponent("apps/${{ github.token }}/kraft.yaml"))
        let r = try CLI.run(["ci", "--provider", "github", "--color", "never"], in: folder)
        #expect(r.status == 1)
        #expect(r.stderr.contains("apps/${{ github.token }}/kraft.yaml:1:1: error: the path 'apps/${{ github.token }}/kraft.yaml' holds '${{'"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent(".github/workflows/manifestc.yml").path))
        let gitlab = try CLI.run(["ci", "--provider", "gitlab"], in: folder)
        #expect(gitlab.status == 0, "\(gitlab.stderr)")
        let text = try String(contentsOf: folder.appendingPathComponent(".gitlab-ci.yml"), encoding: .utf8)
        #expect(text.contains("apps/$${{ github.token }}/kraft.yaml"))
    }

    @Test func importedDollarSignsAreNotInterpolatedOnTheNextCompile() throws {
        let folder = try CLI.temporaryFolder([
            ".config": "CONFIG_PLAT_KVM=y\nCONFIG_KVM_VMM_QEMU=y\nCONFIG_ARCH_X86_64=y\nCONFIG_LIBUKLIBPARAM=y\n",
            "run.sh": "#!/bin/sh\nqemu-system-x86_64 -kernel build/app_qemu-x86_64 -append 'app_qemu-x86_64 env.vars=[ HOME_COPY=${HOME:-x} ] -- ${PATH}'\n",
        ])
        let r = try CLI.run(["import"], in: folder)
        #expect(r.status == 0, "\(r.stderr)")
        let show = try CLI.run(["show", "kraft.yaml", "--format", "json"], in: folder, environment: ["HOME": "/home/victim", "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/bin"])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("\"name\": \"HOME_COPY\",\n      \"value\": \"${HOME:-x}\""), "\(show.stdout)")
        #expect(show.stdout.contains("${PATH}"), "\(show.stdout)")
        #expect(!show.stdout.contains("/home/victim"))
    }
}

/// The words of a command line, as bash splits it.
private func shellWords(_ line: String) throws -> [String] {
    let result = try Subprocess.run("/bin/bash", ["-c", "eval \"set -- $1\"; printf '%s\\0' \"$@\"", "parse", line])
    var words = result.stdout.split(separator: "\0", omittingEmptySubsequences: false).map(String.init)
    if words.last == "" { words.removeLast() }
    return words
}
