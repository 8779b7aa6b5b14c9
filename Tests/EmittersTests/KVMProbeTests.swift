import Foundation
import Testing
import TestSupport
@testable import Emitters

/// The KVM test guests of launch.sh and qemu-guest: their bytes are their assembly sources,
/// and a KVM that fails every guest (QEMU hangs after "KVM internal error") leads to TCG.
@Suite(.tags(.slow)) struct KVMProbeTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/kvmprobe")

    /// Assembles `source` with `as` and `objcopy` (of the given prefix) into raw bytes.
    static func assemble(_ source: String, prefix: String, flags: [String]) throws -> [UInt8] {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let object = folder.appendingPathComponent("probe.o").path, binary = folder.appendingPathComponent("probe.bin").path
        let assembled = try Subprocess.run(prefix + "as", flags + [fixtures.appendingPathComponent(source).path, "-o", object])
        #expect(assembled.status == 0, "\(assembled.stderr)")
        let copied = try Subprocess.run(prefix + "objcopy", ["-O", "binary", object, binary])
        #expect(copied.status == 0, "\(copied.stderr)")
        return Array(try Data(contentsOf: URL(fileURLWithPath: binary)))
    }

    @Test(.enabled(if: Subprocess.which("as") != nil && Subprocess.which("aarch64-linux-gnu-as") != nil,
                   "needs binutils and binutils-aarch64-linux-gnu (scripts/setup.sh)"))
    func theProbeBytesAreTheirAssembledSources() throws {
        #expect(try Self.assemble("kvmprobe-x86_64.s", prefix: "", flags: ["--32"]) == KVMProbe.x86_64)
        #expect(try Self.assemble("kvmprobe-arm64.s", prefix: "aarch64-linux-gnu-", flags: []) == KVMProbe.arm64)
    }

    /// The bytes launch.sh writes are the probe's: its printf, run by bash, gives them back.
    @Test func launchWritesTheProbeBytes() throws {
        for bytes in [KVMProbe.x86_64, KVMProbe.arm64] {
            let folder = try temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let file = folder.appendingPathComponent("probe").path
            let r = try Subprocess.run("/bin/bash", ["-c", "printf \(KVMProbe.printfFormat(bytes)) >\"$1\"", "bash", file])
            #expect(r.status == 0)
            #expect(Array(try Data(contentsOf: URL(fileURLWithPath: file))) == bytes)
        }
    }

    /// The guests do what they promise, under QEMU's emulation (TCG) here: the x86_64 one
    /// leaves through isa-debug-exit (83), the arm64 one powers off (0), within the bound.
    @Test(.enabled(if: Subprocess.which("qemu-system-x86_64") != nil && Subprocess.which("qemu-system-aarch64") != nil,
                   "needs qemu-system-x86 and qemu-system-arm"))
    func theProbeGuestsExitUnderTCG() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let x86 = folder.appendingPathComponent("x86").path, arm = folder.appendingPathComponent("arm64").path
        try Data(KVMProbe.x86_64).write(to: URL(fileURLWithPath: x86))
        try Data(KVMProbe.arm64).write(to: URL(fileURLWithPath: arm))
        let common = ["-m", "16", "-nodefaults", "-display", "none", "-serial", "none", "-no-reboot"]
        let a = try Subprocess.run("/usr/bin/timeout", ["20", "qemu-system-x86_64", "-machine", "pc,accel=tcg", "-cpu", "max"] + common
                               + ["-device", "isa-debug-exit,iobase=0x501,iosize=2", "-kernel", x86])
        #expect(a.status == 83, "\(a.stderr)")
        let b = try Subprocess.run("/usr/bin/timeout", ["20", "qemu-system-aarch64", "-machine", "virt,accel=tcg", "-cpu", "max"] + common + ["-kernel", arm])
        #expect(b.status == 0, "\(b.stderr)")
    }

    /// A stand-in `qemu-system-x86_64` whose KVM starts paused but fails every guest the way
    /// a broken nested KVM does (QEMU says "KVM internal error" and waits); under TCG it prints
    /// its arguments and exits with 83, like a Unikraft that halts.
    static let hangingKVMQemu = #"""
        #!/usr/bin/env bash
        case " $* " in *" -accel help "*) printf '%s\n' 'Accelerators supported in QEMU binary:' tcg kvm; exit 0 ;; esac
        case " $* " in
        *" -S "*) sleep 10; exit 0 ;;
        *" -enable-kvm "*|*accel=kvm*)
            printf '%s\n' "KVM internal error. Suberror: 1" "emulation failure" >&2
            exec sleep 40 </dev/null >/dev/null 2>&1 ;;
        esac
        printf 'qemu: %s\n' "$*"
        exit 83

        """#

    /// A folder with the stand-in QEMU, for PATH.
    static func fakeQemuFolder() throws -> URL {
        let folder = try temporaryFolder(["qemu-system-x86_64": hangingKVMQemu])
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.appendingPathComponent("qemu-system-x86_64").path)
        return folder
    }

    static var path: String { ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin" }

    @Test(.enabled(if: QemuGuestTests.kvmDeviceUsable, "needs an x86_64 host with a readable and writable /dev/kvm"))
    func launchFallsBackToTCGWhenKVMFailsEveryGuest() throws {
        let (folder, _) = try LaunchScriptTests.emit("spec: v0.6\nname: app\ntargets: [qemu/x86_64]\n")
        let qemu = try Self.fakeQemuFolder()
        let kernel = folder.appendingPathComponent("kernel")
        try Data().write(to: kernel)
        // The harness's bound: without the fallback, the guest under KVM would hang until it.
        let r = try Subprocess.run("/usr/bin/timeout", ["30", folder.appendingPathComponent("launch.sh").path, "-k", kernel.path],
                               environment: ["PATH": qemu.path + ":" + Self.path])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("qemu: -machine pc,accel=tcg -cpu max "), "\(r.stdout)")
        #expect(r.stderr == "launch.sh: KVM is present but cannot run guests here (KVM internal error: a test guest did not finish within 5 seconds); using TCG (--kvm forces KVM)\n")
        // --tcg asks nothing of KVM; --kvm takes it as it is, untested.
        let tcg = try Subprocess.run("/usr/bin/timeout", ["30", folder.appendingPathComponent("launch.sh").path, "--tcg", "-k", kernel.path],
                                 environment: ["PATH": qemu.path + ":" + Self.path])
        #expect(tcg.status == 0 && tcg.stderr.isEmpty, "\(tcg.stderr)")
        let kvm = try Subprocess.run(folder.appendingPathComponent("launch.sh").path, ["--dry-run", "--kvm", "-k", kernel.path],
                                 environment: ["PATH": qemu.path + ":" + Self.path])
        #expect(kvm.stdout.hasPrefix("qemu-system-x86_64 -enable-kvm -machine pc,accel=kvm -cpu host,+x2apic,-pmu "), "\(kvm.stdout)")
        #expect(kvm.stderr.isEmpty)
    }

    /// With the real QEMU: the automatic choice boots, and it is KVM exactly when a guest runs
    /// under KVM here (where KVM is present but broken, TCG, said; where it works, KVM).
    @Test(.enabled(if: TestKernel.canBoot && QemuGuestTests.kvmDeviceUsable,
                   "needs gcc, qemu-system-x86_64 and an x86_64 host with a readable and writable /dev/kvm"))
    func launchUsesKVMOnlyWhereItRunsAGuest() throws {
        let kernel = try TestKernel.built.get()
        let (folder, _) = try LaunchScriptTests.emit("spec: v0.6\nname: tk\ntargets: [qemu/x86_64]\ncmd: [probe]\n")
        let script = folder.appendingPathComponent("launch.sh").path
        let auto = try Subprocess.run("/usr/bin/timeout", ["60", script, "-k", kernel])
        #expect(auto.status == 0, "\(auto.stdout)\(auto.stderr)")
        #expect(auto.stdout.contains("\(kernel) probe\n"), "\(auto.stdout)")
        let dry = try Subprocess.run(script, ["-n", "-k", kernel])
        let forced = try Subprocess.run("/usr/bin/timeout", ["20", script, "--kvm", "-k", kernel])
        if dry.stdout.contains("accel=kvm") {
            #expect(dry.stderr.isEmpty)
            #expect(forced.status == 0, "KVM was chosen, but the test kernel does not boot under it: \(forced.stderr)")
        } else {
            #expect(dry.stdout.contains("-machine pc,accel=tcg"))
            #expect(dry.stderr.hasPrefix("launch.sh: KVM is present but cannot run guests here ("), "\(dry.stderr)")
            #expect(forced.status != 0, "TCG was chosen, but the test kernel boots under KVM: \(forced.stdout)")
        }
    }
}
