import Foundation
import TestSupport
import Manifest
import Planner
import Testing
import Diagnostics
@testable import Emitters

/// launch.sh: lint, argv of the dry run, and hostile values that must stay literal.
@Suite(.tags(.slow)) struct LaunchScriptTests {
    static func emit(_ text: String, kinds: Set<Artifact> = [.launch, .firecracker, .xen, .makefile]) throws -> (folder: URL, files: [EmittedFile]) {
        let result = ManifestLoader().load(Array(text.utf8), file: "kraft.yaml")
        let manifest = try #require(result.manifest, "\(result.diagnostics)")
        let plan = Planning.plan(manifest).plan
        let files = Artifact.emit(kinds, plan: plan)
        let folder = try temporaryFolder()
        try write(files, to: folder)
        return (folder, files)
    }

    static func dryRun(_ folder: URL, _ arguments: [String]) throws -> [String] {
        let result = try Subprocess.run(folder.appendingPathComponent("launch.sh").path, ["--dry-run"] + arguments)
        #expect(result.status == 0, "\(result.stderr)")
        // The command is all of stdout (an argument may hold a newline, inside quotes).
        return try argv(ofCommandLine: String(result.stdout.dropLast()))
    }

    @Test(arguments: ["helloworld", "9pfs", "httpreply"])
    func scriptsPassShellcheckAndBashN(_ example: String) throws {
        for file in try GoldenTests.emit(example) where file.executable {
            let lint = try Subprocess.run("shellcheck", ["-"], input: file.contents)
            #expect(lint.status == 0, "\(example)/\(file.path):\n\(lint.stdout)")
            #expect(try Subprocess.run("bash", ["-n"], input: file.contents).status == 0)
        }
    }

    @Test func qemuCommandLines() throws {
        let (folder, _) = try Self.emit("""
            spec: v0.6
            name: app
            unikraft: {version: 0.17.0, kconfig: {CONFIG_LIBVFSCORE_AUTOMOUNT_UP: y}}
            targets: [qemu/x86_64, qemu/arm64]
            volumes: [./fs:/]
            cmd: [-c, conf]
            """)
        let x86 = try Self.dryRun(folder, ["--tcg"])
        #expect(x86 == ["qemu-system-x86_64", "-machine", "pc,accel=tcg", "-cpu", "max", "-m", "64", "-smp", "1", "-nodefaults",
                        "-display", "none", "-serial", "stdio", "-no-reboot", "-device", "isa-debug-exit,iobase=0x501,iosize=2",
                        "-fsdev", "local,id=fsdev0,path=\(folder.path)/fs,security_model=none",
                        "-device", "virtio-9p-pci,fsdev=fsdev0,mount_tag=fs0,disable-modern=on,disable-legacy=off",
                        "-kernel", "\(folder.path)/build/qemu-x86_64/app_qemu-x86_64",
                        "-append", "app_qemu-x86_64 app_qemu-x86_64 vfs.fstab=[ fs0:/:9pfs::: ] -- -c conf"])
        let arm = try Self.dryRun(folder, ["qemu-arm64", "--tcg", "-m", "128", "-c", "2", "--", "x y"])
        #expect(arm.prefix(3) == ["qemu-system-aarch64", "-machine", "virt,accel=tcg"])
        #expect(arm.contains("128") && arm.contains("2"))
        #expect(arm.last == "app_qemu-arm64 app_qemu-arm64 vfs.fstab=[ fs0:/:9pfs::: ] -- \"x y\"")
        #expect(!arm.contains("isa-debug-exit,iobase=0x501,iosize=2"))
    }

    /// TARGET takes every spelling `--target` takes (issue 12: the CI pipeline passes the id).
    @Test func theTargetIsNamedByIdNameOrPlatformArchitecture() throws {
        let (folder, _) = try Self.emit("""
            spec: v0.6
            name: app
            targets:
              - qemu/x86_64
              - {name: Big Arm, platform: kvm, architecture: arm64}
              - {name: small, platform: qemu, architecture: arm64}
            """)
        func kernel(_ target: String) throws -> String? {
            let argv = try Self.dryRun(folder, [target, "--tcg"])
            return argv.firstIndex(of: "-kernel").map { URL(fileURLWithPath: argv[$0 + 1]).lastPathComponent }
        }
        for spelling in ["qemu-x86_64", "qemu/x86_64", "kvm/x86_64", "qemu/amd64"] { #expect(try kernel(spelling) == "app_qemu-x86_64", "\(spelling)") }
        for spelling in ["bigarm", "Big Arm"] { #expect(try kernel(spelling) == "bigarm_qemu-arm64", "\(spelling)") }
        #expect(try kernel("small") == "small_qemu-arm64")
        // qemu/arm64 names two targets: launch.sh runs one, so it asks which.
        let ambiguous = try Subprocess.run(folder.appendingPathComponent("launch.sh").path, ["qemu/arm64", "-n"])
        #expect(ambiguous.status == 2)
        #expect(ambiguous.stderr == "launch.sh: 'qemu/arm64' names several targets (bigarm, small); give one of them\n")
    }

    @Test func usageErrorsExitTwo() throws {
        let (folder, _) = try Self.emit("spec: v0.6\ntargets: [qemu/x86_64]\n")
        let script = folder.appendingPathComponent("launch.sh").path
        #expect(try Subprocess.run(script, ["--bogus"]).status == 2)
        #expect(try Subprocess.run(script, ["nosuchtarget", "-n"]).status == 2)
        #expect(try Subprocess.run(script, ["-m"]).status == 2)
        #expect(try Subprocess.run(script, ["-m", "lots", "-n"]).status == 2)
        #expect(try Subprocess.run(script, ["--help"]).status == 0)
    }

    @Test func missingImageIsAClearError() throws {
        let (folder, _) = try Self.emit("spec: v0.6\ntargets: [qemu/x86_64]\n")
        let result = try Subprocess.run(folder.appendingPathComponent("launch.sh").path, ["--tcg"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("build it first with 'make qemu-x86_64'") || result.stderr.contains("is not installed"))
    }

    /// Values with every character a shell, make, JSON or xl could trip on.
    static let hostile = ["a b", "it's", "\"q\"", "$(touch CANARY)", "`touch CANARY`", "; touch CANARY", "line\nbreak", "é ☃", "\\back", "--"]

    @Test func hostileValuesReachTheGuestLiterallyAndNeverRunOnTheHost() throws {
        for value in Self.hostile {
            let yamlValue = DocumentValue.jsonString(value)
            let (folder, files) = try Self.emit("""
                spec: v0.6
                name: app
                unikraft: {kconfig: {CONFIG_LIBVFSCORE_AUTOMOUNT_UP: y}}
                targets: [qemu/x86_64, fc/x86_64, xen/x86_64]
                env: {GREETING: \(yamlValue)}
                volumes: [{source: \(DocumentValue.jsonString("./dir " + value)), destination: /data}]
                cmd: [\(yamlValue), "--", \(yamlValue)]
                """)
            let canary = folder.appendingPathComponent("CANARY")
            // QEMU: the dry run's argv holds the values exactly, Unikraft-quoted inside -append.
            let qemu = try Self.dryRun(folder, ["--tcg"])
            let append = try #require(qemu.last)
            let quoted = KernelCommandLine.quote(value)
            #expect(append.contains("-- \(quoted)"), "\(value): \(append)")
            #expect(append.contains(KernelCommandLine.quote("GREETING=" + value)), "\(value): \(append)")
            #expect(qemu.contains { $0.contains("path=\(folder.path)/dir \(value.replacingOccurrences(of: ",", with: ",,"))") }, "\(value): \(qemu)")
            // Application arguments given at run time too.
            let override = try Self.dryRun(folder, ["--tcg", "--", value])
            #expect(override.last?.hasSuffix("-- \(quoted)") == true)
            // Firecracker: the JSON parses back to the same command line.
            let fc = try #require(files.first { $0.path == "fc-x86_64.json" })
            let json = try JSONSerialization.jsonObject(with: Data(fc.contents.utf8)) as? [String: Any]
            let boot = (json?["boot-source"] as? [String: Any])?["boot_args"] as? String
            #expect(boot?.contains("-- \(quoted)") == true, "\(value): \(boot ?? "nil")")
            // Xen: the cmdline string, unescaped, is the same command line.
            let xen = try #require(files.first { $0.path == "xen-x86_64.cfg" })
            #expect(xen.contents.contains("cmdline = \(XenEmitter.quote(append.replacingOccurrences(of: "app_qemu-x86_64", with: "app_xen-x86_64")))"), "\(value)")
            #expect(!FileManager.default.fileExists(atPath: canary.path), "\(value) ran on the host")
        }
    }
}

/// Real boots through the emitted launch.sh: the test kernel prints its command line on
/// the serial console and leaves through isa-debug-exit (or PSCI on arm64).
@Suite(.tags(.slow), .serialized) struct LaunchScriptBootTests {
    @Test(.enabled(if: TestKernel.canBoot, "needs gcc (32-bit code) and qemu-system-x86_64: run scripts/setup.sh"))
    func x86BootShowsTheCommandLineAndExitStatus() throws {
        let kernel = try TestKernel.built.get()
        let (folder, _) = try LaunchScriptTests.emit("""
            spec: v0.6
            name: tk
            unikraft: {kconfig: {CONFIG_LIBUKLIBPARAM: y}}
            targets: [qemu/x86_64]
            env: {GREETING: hello world}
            cmd: [netdev.ip=10.0.2.15/24, --, "arg with spaces", "it's"]
            """)
        let script = folder.appendingPathComponent("launch.sh").path
        let ok = try Subprocess.run("/usr/bin/timeout", ["60", script, "--tcg", "-k", kernel])
        #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
        #expect(ok.stdout.contains("\(kernel) tk_qemu-x86_64 tk_qemu-x86_64 netdev.ip=10.0.2.15/24 env.vars=[ \"GREETING=hello world\" ] -- \"arg with spaces\" \"it's\""), "\(ok.stdout)")
        // Arguments given at run time replace the manifest's; the kernel's crash exit is reported as 1.
        let crash = try Subprocess.run("/usr/bin/timeout", ["60", script, "--tcg", "-k", kernel, "--", "exit=crash"])
        #expect(crash.status == 1, "\(crash.stdout)\(crash.stderr)")
        #expect(crash.stdout.contains("-- exit=crash"))
    }

    @Test(.enabled(if: TestKernel.canBootArm64, "needs gcc-aarch64-linux-gnu and qemu-system-aarch64: run scripts/setup.sh"))
    func arm64BootShowsTheCommandLine() throws {
        let kernel = try TestKernel.builtArm64.get()
        let (folder, _) = try LaunchScriptTests.emit("spec: v0.6\nname: tk\nunikraft: '0.17.0'\ntargets: [qemu/arm64]\ncmd: [hello, arm64]\n")
        let result = try Subprocess.run("/usr/bin/timeout", ["60", folder.appendingPathComponent("launch.sh").path, "--tcg", "-k", kernel])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        // Unikraft ≤ 0.17 on arm64 prepends its name itself: only the arguments are passed.
        #expect(result.stdout.contains("hello arm64"), "\(result.stdout)")
    }
}
