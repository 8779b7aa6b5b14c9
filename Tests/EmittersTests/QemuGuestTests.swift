import Foundation
import Testing
import TestSupport
@testable import Emitters

/// One `-D` case: qemu-guest's arguments and the QEMU arguments they must give.
struct DryRunCase: Sendable, CustomTestStringConvertible {
    var name: String
    var arguments: [String]
    var expected: [String]
    /// Whether running it for real (with the stand-in QEMU) works here too.
    var runs = true
    var testDescription: String { name }

    static let tcgCPU = "qemu64,-vmx,-svm,+pdpe1gb,+rdrand"
    static let debugExit = ["-device", "isa-debug-exit,iobase=0x501,iosize=2"]

    /// The x86 command in qemu-guest's order, with a non-terminal stdout.
    static func x86(machine: String = "pc-i440fx-7.0", before: [String] = [], smp: String = "sockets=1,cores=1,threads=1",
                    memory: String = "64", middle: [String] = [], devices: [String] = [], nics: Bool = false,
                    kernel: [String] = ["-kernel", "kern"], after: [String] = [], extras: [String] = []) -> [String] {
        ["-machine", "\(machine),accel=tcg", "-cpu", tcgCPU] + before + ["-display", "none", "-vga", "none", "-serial", "stdio"]
            + middle + ["-m", memory, "-smp", smp, "-rtc", "base=utc", "-parallel", "none"] + devices
            + (nics ? [] : ["-net", "none"]) + kernel + after + debugExit + ["-no-reboot"] + extras
    }

    static let all: [DryRunCase] = [
        DryRunCase(name: "kernel only: no -append", arguments: ["-W", "-k", "kern"], expected: x86()),
        DryRunCase(name: "9p tags fs0, fs1 and the shared hvirtio counter",
                   arguments: ["-W", "-k", "kern", "-d", "disk.img", "-e", "share", "-q", "disk,2.qcow2", "-e", "/srv/a,b",
                               "-a", #"app vfs.fstab=[ "fs0:/:9pfs:::" ] -- /x"#],
                   expected: x86(devices: [
                       "-drive", "file=disk.img,if=none,id=hvirtio0,format=raw", "-device", "virtio-blk-pci,drive=hvirtio0,id=virtio0",
                       "-fsdev", "local,security_model=passthrough,id=hvirtio1,path=\(QemuGuestScript.folder.path)/share",
                       "-device", "virtio-9p-pci,fsdev=hvirtio1,mount_tag=fs0",
                       "-drive", "file=disk,,2.qcow2,if=none,id=hvirtio2,format=qcow2", "-device", "virtio-blk-pci,drive=hvirtio2,id=virtio2",
                       "-fsdev", "local,security_model=passthrough,id=hvirtio3,path=/srv/a,,b",
                       "-device", "virtio-9p-pci,fsdev=hvirtio3,mount_tag=fs1",
                   ], kernel: ["-kernel", "kern", "-append", #"app vfs.fstab=[ "fs0:/:9pfs:::" ] -- /x"#])),
        DryRunCase(name: "-U: unprivileged 9p", arguments: ["-W", "-U", "-e", "/srv", "-k", "kern"],
                   expected: x86(devices: ["-fsdev", "local,security_model=none,id=hvirtio0,path=/srv",
                                           "-device", "virtio-9p-pci,fsdev=hvirtio0,mount_tag=fs0"])),
        DryRunCase(name: "memory, sockets, cores, threads", arguments: ["-W", "-m", "256", "-s", "2", "-c", "3", "-H", "-k", "kern"],
                   expected: x86(smp: "sockets=2,cores=3,threads=2", memory: "256")),
        DryRunCase(name: "NAT NICs -n and -N", arguments: ["-W", "-n", "-N", "2222", "-k", "kern"],
                   expected: x86(devices: [
                       "-netdev", "user,id=hostnet0", "-device", "virtio-net-pci,netdev=hostnet0,id=net0",
                       "-netdev", "user,id=hostnet1,hostfwd=tcp::2222-:22", "-device", "virtio-net-pci,netdev=hostnet1,id=net1",
                   ], nics: true)),
        DryRunCase(name: "q35", arguments: ["-W", "-t", "x86q35", "-k", "kern"], expected: x86(machine: "q35")),
        DryRunCase(name: "arm64v under TCG", arguments: ["-W", "-t", "arm64v", "-k", "kern", "-a", "hello"],
                   expected: ["-machine", "virt,accel=tcg", "-cpu", "max", "-display", "none", "-vga", "none", "-serial", "stdio",
                              "-m", "64", "-smp", "sockets=1,cores=1,threads=1", "-rtc", "base=utc", "-net", "none",
                              "-kernel", "kern", "-append", "hello", "-no-reboot"]),
        DryRunCase(name: "the last -a wins; -- extras at the end",
                   arguments: ["-W", "-k", "kern", "-a", "first", "-a", "second", "--", "-s", "-monitor", "none"],
                   expected: x86(kernel: ["-kernel", "kern", "-append", "second"], extras: ["-s", "-monitor", "none"])),
        DryRunCase(name: "empty -a is still an -append", arguments: ["-W", "-k", "kern", "-a", ""],
                   expected: x86(kernel: ["-kernel", "kern", "-append", ""])),
        DryRunCase(name: "name, gdb, trace, virtio console, CD, balloon, rng, initrd",
                   arguments: ["-W", "-G", "my,guest", "-g", "1234", "-T", "trace.log", "-S", "/tmp/con,1.sock", "-I", "cd.iso",
                               "-l", "-r", "-k", "kern", "-i", "initrd"],
                   expected: x86(before: ["-name", "guest=my,,guest"],
                                 middle: ["-d", "in_asm,cpu_reset,int,pcall,mmu,unimp,guest_errors", "-D", "trace.log"],
                                 devices: [
                                     "-gdb", "tcp::1234", "-no-shutdown",
                                     "-chardev", "socket,path=/tmp/con,,1.sock,server=on,wait=off,id=vserial0",
                                     "-device", "virtio-serial", "-device", "virtconsole,chardev=vserial0",
                                     "-drive", "file=cd.iso,if=none,id=hide0,format=raw,readonly=on",
                                     "-device", "ide-cd,bus=ide.0,unit=0,drive=hide0,id=ide0",
                                     "-device", "virtio-balloon-pci,id=balloon0",
                                     "-object", "rng-random,id=hostrng0,filename=/dev/random", "-device", "virtio-rng-pci,rng=hostrng0",
                                 ], kernel: ["-kernel", "kern", "-initrd", "initrd"])),
        DryRunCase(name: "VNC", arguments: ["-W", "-v", "5901", "-k", "kern"],
                   expected: ["-machine", "pc-i440fx-7.0,accel=tcg", "-cpu", tcgCPU, "-display", "vnc=:1", "-vga", "cirrus",
                              "-serial", "stdio", "-m", "64", "-smp", "sockets=1,cores=1,threads=1", "-rtc", "base=utc",
                              "-parallel", "none", "-net", "none", "-kernel", "kern"] + debugExit + ["-no-reboot"]),
        DryRunCase(name: "PCI passthrough", arguments: ["-W", "-k", "kern", "-f", "01:00.0"],
                   expected: x86(after: ["-device", "vfio-pci,host=0000:01:00.0"]), runs: false),
        DryRunCase(name: "no kernel: boot from disk", arguments: ["-W", "-d", "disk.img"],
                   expected: x86(devices: ["-drive", "file=disk.img,if=none,id=hvirtio0,format=raw",
                                           "-device", "virtio-blk-pci,drive=hvirtio0,id=virtio0"],
                                 kernel: ["-boot", "reboot-timeout=1000"])),
    ]
}

@Suite(.tags(.slow)) struct QemuGuestTests {
    // MARK: - The emitted file

    @Test func isAnExecutableBashScriptWithTheHeader() {
        let file = QemuGuestEmitter.emit(source: "kraft.yaml")
        #expect(file.path == "qemu-guest")
        #expect(file.executable)
        #expect(file.contents.hasPrefix("#!/usr/bin/env bash\n# Generated by manifestc from kraft.yaml; edits are detected. sha256="))
        #expect(GeneratedHeader.state(of: file.contents) == .pristine)
        #expect(file.contents.hasSuffix("\n"))
        #expect(!file.contents.contains("sudo "), "no command runs through sudo")
        #expect(!file.contents.contains("socat -") || file.contents.contains("(e.g. socat"), "socat is only suggested")
    }

    @Test(.enabled(if: Subprocess.which("shellcheck") != nil, "shellcheck is not installed (scripts/setup.sh installs it)"))
    func passesShellcheck() throws {
        let result = try Subprocess.run("shellcheck", ["--shell=bash", "--severity=style", QemuGuestScript.path])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(!QemuGuestEmitter.script.contains("shellcheck disable"))
    }

    @Test func passesBashSyntaxCheck() throws {
        let result = try Subprocess.run("bash", ["-n", QemuGuestScript.path])
        #expect(result.status == 0, "\(result.stderr)")
    }

    // MARK: - Options

    @Test func helpListsEveryOptionAndExitsZero() throws {
        let result = try QemuGuestScript.run(["-h"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("Usage: qemu-guest "))
        for letter in "hxPtGgTscHpWmvnNbVfdqIeUSkialrCDQM" {
            #expect(result.stdout.contains("\n  -\(letter) "), "-h does not describe -\(letter)")
        }
        #expect(result.stdout.contains("\n  --  "))
    }

    @Test(arguments: [
        ["-z"], ["-k"], ["-W", "-k", "kern", "-a"], ["-a", "x"], ["-i", "initrd"], ["-t", "x86"], ["-t", "arm64"],
        ["-m", "lots"], ["-m", "0"], ["-s", "-1"], ["-N", "70000"], ["-v", "80"], ["-p", "0-"], ["-f", "nope"],
        ["-k", "kern", "stray"], ["-k", "kern", "-a", "--", "stray"], ["-e", ""], ["-I", "a", "-I", "b", "-I", "c"],
        ["-t", "x86q35", "-I", "a", "-I", "b", "-I", "c", "-I", "d", "-I", "e", "-I", "f"], ["-t", "arm64v", "-I", "a"],
    ])
    func usageErrorsExitOne(_ arguments: [String]) throws {
        let result = try QemuGuestScript.run(arguments)
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("qemu-guest: "))
    }

    @Test func aMissingQemuIsAMissingPrerequisite() throws {
        let result = try QemuGuestScript.run(["-Q", "/nonexistent/qemu-system-x86_64", "-W", "-k", "kern"], fake: false)
        #expect(result.status == 2)
        #expect(result.stderr.contains("QEMU not found"))
    }

    @Test func aMissingKernelIsAnError() throws {
        let result = try QemuGuestScript.run(["-W", "-k", "no-such-kernel"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot read the kernel 'no-such-kernel'"))
    }

    // MARK: - -D prints exactly what runs

    @Test(arguments: DryRunCase.all)
    func dryRunPrintsTheCommandThatRuns(_ test: DryRunCase) throws {
        let expected = [QemuGuestScript.fakeQemuPath] + test.expected
        let dry = try QemuGuestScript.argv(test.arguments, dryRun: true)
        #expect(dry.output.status == 0, "\(dry.output.stderr)")
        #expect(dry.argv == expected)
        if test.runs {
            let real = try QemuGuestScript.argv(test.arguments, dryRun: false)
            #expect(real.output.status == 0, "\(real.output.stderr)")
            #expect(real.argv == expected)
        }
    }

    @Test func hostileArgumentsComeBackLiterallyAndNeverRun() throws {
        let canary = QemuGuestScript.folder.appendingPathComponent("canary-\(UUID().uuidString)").path
        let hostile = [
            "two words", "it's", "\"double\"", "$(touch \(canary))", "`touch \(canary)`", "x; touch \(canary)",
            "a && touch \(canary) | cat", "line\nbreak", "tab\there", "é ü 日本 🚀", "$HOME", "back\\slash", "*", "--", "-a",
            "'", "", "a,b", "!bang",
        ]
        let append = hostile.joined(separator: " ")
        let share = "/srv/we ird,'dir\n$(touch \(canary))"
        let arguments = ["-W", "-k", "kern", "-G", "g $(touch \(canary)),x", "-e", share, "-a", append, "--"] + hostile
        let expected = [QemuGuestScript.fakeQemuPath] + DryRunCase.x86(
            before: ["-name", "guest=g $(touch \(canary)),,x"],
            devices: ["-fsdev", "local,security_model=passthrough,id=hvirtio0,path=/srv/we ird,,'dir\n$(touch \(canary))",
                      "-device", "virtio-9p-pci,fsdev=hvirtio0,mount_tag=fs0"],
            kernel: ["-kernel", "kern", "-append", append], extras: hostile)
        for shell in ["/bin/sh", "/bin/bash"] {
            let dry = try QemuGuestScript.argv(arguments, dryRun: true, shell: shell)
            #expect(dry.output.status == 0, "\(dry.output.stderr)")
            #expect(dry.argv == expected, "through \(shell)")
        }
        let real = try QemuGuestScript.argv(arguments, dryRun: false)
        #expect(real.argv == expected)
        #expect(!FileManager.default.fileExists(atPath: canary), "a hostile argument was executed")
    }

    @Test func dryRunQuotesAKernelPathWithSpacesAndSubstitutions() throws {
        let canary = QemuGuestScript.folder.appendingPathComponent("canary-\(UUID().uuidString)").path
        let kernel = "my kernel $(touch \(canary)) `id`.elf"
        let dry = try QemuGuestScript.argv(["-W", "-k", kernel], dryRun: true, shell: "/bin/bash")
        #expect(dry.argv == [QemuGuestScript.fakeQemuPath] + DryRunCase.x86(kernel: ["-kernel", kernel]))
        #expect(!FileManager.default.fileExists(atPath: canary))
    }

    @Test func tapNICsGetATapAndAMACOfTheirOwn() throws {
        let dry = try QemuGuestScript.argv(["-W", "-b", "br0", "-V", "eth9", "-n", "-k", "kern"], dryRun: true)
        let devices = dry.argv.joined(separator: " ")
        let pattern = #/-netdev tap,id=hostnet0,ifname=(qgt\d+n0),script=no,downscript=no,vhost=off -device virtio-net-pci,mac=(52:54:00:[0-9a-f]{2}:[0-9a-f]{2}):00,netdev=hostnet0,id=net0 -netdev tap,id=hostnet1,ifname=(qgt\d+n1),script=no,downscript=no,vhost=off -device virtio-net-pci,mac=(52:54:00:[0-9a-f]{2}:[0-9a-f]{2}):01,netdev=hostnet1,id=net1 -netdev user,id=hostnet2 -device virtio-net-pci,netdev=hostnet2,id=net2 -kernel/#
        let match = try #require(devices.firstMatch(of: pattern), "\(devices)")
        #expect(match.2 == match.4)
        #expect(match.1.count <= 15, "interface names have at most 15 bytes")
    }

    // MARK: - Without root

    static var canDropRoot: Bool { geteuid() == 0 && Subprocess.which("setpriv") != nil }

    /// Runs qemu-guest as the user nobody (the test folder is world-readable).
    static func asNobody(_ arguments: [String]) throws -> ProcessOutput {
        try Subprocess.run("setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "/usr/bin/timeout", "20",
                                       QemuGuestScript.path] + arguments, in: QemuGuestScript.folder,
                           environment: ["HOME": "/", "TMPDIR": "/tmp"])
    }

    @Test(.enabled(if: canDropRoot, "needs root and setpriv to run as another user"))
    func rootIsNeededOnlyForBridgesAndPassthrough() throws {
        #expect(try Self.asNobody(["-h"]).status == 0)
        let dry = try Self.asNobody(["-Q", QemuGuestScript.fakeQemuPath, "-D", "-W", "-k", "kern", "-b", "br0", "-f", "01:00.0"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains(" -netdev tap,"))
        for option in [["-b", "br0"], ["-V", "eth9"], ["-f", "01:00.0"]] {
            let run = try Self.asNobody(["-Q", QemuGuestScript.fakeQemuPath, "-W", "-k", "kern"] + option)
            #expect(run.status == 2)
            #expect(run.stderr.contains("needs root"))
        }
        if let kernel = TestKernel.path, TestKernel.canBoot {
            let folder = try Self.shortFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            // The kernel's folder may be private to root: a world-readable copy.
            let copy = folder.appendingPathComponent("kernel.elf").path
            try FileManager.default.copyItem(atPath: kernel, toPath: copy)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
            let boot = try Self.asNobody(["-W", "-U", "-e", folder.path, "-k", copy, "-a", "as nobody"])
            #expect(boot.status == 0, "\(boot.stderr)")
            #expect(boot.stdout.contains("\(copy) as nobody\n"))
        }
    }

    // MARK: - Acceleration

    /// Whether qemu-guest may try KVM here: an x86_64 Linux host with read-write /dev/kvm.
    static var kvmDeviceUsable: Bool {
        var name = utsname()
        uname(&name)
        let machine = withUnsafeBytes(of: &name.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return machine == "x86_64" && FileManager.default.isReadableFile(atPath: "/dev/kvm")
            && FileManager.default.isWritableFile(atPath: "/dev/kvm")
    }

    @Test func kvmWhenTheProbeWorks() throws {
        let dry = try QemuGuestScript.argv(["-k", "kern"], dryRun: true, environment: ["FAKE_QEMU_KVM": "works"])
        if Self.kvmDeviceUsable {
            #expect(Array(dry.argv.dropFirst().prefix(4)) == ["-machine", "pc-i440fx-7.0,accel=kvm", "-cpu", "host,+x2apic,-pmu"])
        } else {
            #expect(Array(dry.argv.dropFirst().prefix(4)) == ["-machine", "pc-i440fx-7.0,accel=tcg", "-cpu", DryRunCase.tcgCPU])
        }
    }

    @Test func tcgWhenTheKvmProbeFails() throws {
        let dry = try QemuGuestScript.argv(["-k", "kern"], dryRun: true, environment: ["FAKE_QEMU_KVM": "broken"])
        #expect(dry.argv == [QemuGuestScript.fakeQemuPath] + DryRunCase.x86())
        if Self.kvmDeviceUsable { #expect(dry.output.stderr.contains("using TCG")) }
    }

    /// A KVM that starts QEMU paused but fails every guest ("KVM internal error", then QEMU
    /// waits, as on a broken nested KVM): the test guest's timeout leads to TCG, said, and the
    /// guest runs; the harness's 20 s bound would stop a guest left hanging under KVM.
    @Test(.enabled(if: QemuGuestTests.kvmDeviceUsable, "needs an x86_64 host with a readable and writable /dev/kvm"))
    func tcgWhenKvmFailsEveryGuest() throws {
        let run = try QemuGuestScript.argv(["-k", "kern"], dryRun: false, environment: ["FAKE_QEMU_KVM": "hangs"])
        #expect(run.output.status == 0, "\(run.output.stderr)")
        #expect(run.argv == [QemuGuestScript.fakeQemuPath] + DryRunCase.x86())
        #expect(run.output.stderr == "qemu-guest: KVM is present but cannot run guests here (KVM internal error: a test guest did not finish within 5 seconds); using TCG (-W skips this check)\n")
    }

    @Test func tcgWhenQemuHasNoKvmAndForArm64OnX86() throws {
        #expect(try QemuGuestScript.argv(["-k", "kern"], dryRun: true).argv == [QemuGuestScript.fakeQemuPath] + DryRunCase.x86())
        let arm = try QemuGuestScript.argv(["-t", "arm64v", "-k", "kern"], dryRun: true, environment: ["FAKE_QEMU_KVM": "works"])
        #expect(Array(arm.argv.dropFirst().prefix(4)) == ["-machine", "virt,accel=tcg", "-cpu", "max"])
    }

    /// Paused without a terminal, nothing could say 'cont' but a monitor socket in the run folder.
    @Test func pausedWithoutATerminalGetsAMonitorSocket() throws {
        let dry = try QemuGuestScript.argv(["-W", "-P", "-k", "kern"], dryRun: true)
        let index = try #require(dry.argv.firstIndex(of: "-monitor"))
        #expect(dry.argv[index + 1].wholeMatch(of: /unix:.+\/qemu-guest-\d+\/monitor\.socket,server=on,wait=off/) != nil)
        #expect(dry.argv[index + 2] == "-S")
        var rest = dry.argv
        rest.removeSubrange(index...(index + 2))
        #expect(rest == [QemuGuestScript.fakeQemuPath] + DryRunCase.x86())
    }

    // MARK: - Exit status

    @Test(arguments: [("83", "x86pc", 0), ("85", "x86pc", 1), ("0", "x86pc", 0), ("3", "x86pc", 3), ("1", "x86q35", 1),
                      ("85", "x86q35", 1), ("83", "arm64v", 83)])
    func exitStatusIsTheGuests(_ test: (qemuStatus: String, type: String, expected: Int32)) throws {
        let record = QemuGuestScript.folder.appendingPathComponent("argv-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: record) }
        let result = try QemuGuestScript.run(["-W", "-t", test.type, "-k", "kern"],
                                             environment: ["FAKE_QEMU_STATUS": test.qemuStatus, "FAKE_QEMU_ARGV": record])
        #expect(result.status == test.expected)
    }

    // MARK: - Real boots

    static let bootComment: Comment = "needs gcc that builds freestanding 32-bit code, ld and qemu-system-x86_64"

    /// Boots the test kernel through qemu-guest with the real QEMU.
    static func boot(_ arguments: [String]) throws -> ProcessOutput {
        try QemuGuestScript.run(["-k", try #require(TestKernel.path)] + arguments, fake: false)
    }

    @Test(.enabled(if: TestKernel.canBoot, bootComment))
    func bootPrintsTheCommandLineAndExitsZero() throws {
        let kernel = try #require(TestKernel.path)
        let result = try Self.boot(["-W", "-a", "hello from qemu-guest exit=ok"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.components(separatedBy: "\n").contains("\(kernel) hello from qemu-guest exit=ok"), "console: \(result.stdout)")
    }

    @Test(.enabled(if: TestKernel.canBoot, bootComment))
    func aCrashingGuestExitsOne() throws {
        let result = try Self.boot(["-W", "-a", "app exit=crash"])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.contains("app exit=crash\n"))
    }

    @Test(.enabled(if: TestKernel.canBoot, bootComment))
    func theCommandLineReachesTheGuestLiterally() throws {
        let kernel = try #require(TestKernel.path)
        let canary = QemuGuestScript.folder.appendingPathComponent("canary-\(UUID().uuidString)").path
        let append = "say \"hi\" it's é; $(touch \(canary)) `id` vfs.fstab=[ \"fs0:/:9pfs:::\" ] -- /x"
        let result = try Self.boot(["-W", "-m", "16", "-a", append])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.components(separatedBy: "\n").contains("\(kernel) \(append)"), "console: \(result.stdout)")
        #expect(!FileManager.default.fileExists(atPath: canary))
    }

    @Test(.enabled(if: TestKernel.canBoot, bootComment))
    func bootsWithoutWOnWhateverAcceleratorWorks() throws {
        let result = try Self.boot(["-a", "detected"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("detected\n"))
        // At most qemu-guest's own note on a failed KVM probe: no shell job report ("Aborted").
        for line in result.stderr.split(separator: "\n") {
            #expect(line.hasPrefix("qemu-guest: "), "stray stderr: \(line)")
        }
    }

    /// Every device option at once (except those that listen on a host port): QEMU takes
    /// the arguments qemu-guest builds, and the guest still boots.
    @Test(.enabled(if: TestKernel.canBoot, bootComment))
    func qemuAcceptsEveryDeviceOption() throws {
        let folder = try Self.shortFolder()
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("share, with comma"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let disk = folder.appendingPathComponent("disk,1.img").path
        let iso = folder.appendingPathComponent("cd.iso").path
        for path in [disk, iso] {
            _ = FileManager.default.createFile(atPath: path, contents: Data(count: 1 << 20))
        }
        let result = try Self.boot([
            "-W", "-m", "32", "-s", "1", "-c", "2", "-G", "devices, all", "-d", disk, "-e", folder.appendingPathComponent("share, with comma").path,
            "-U", "-e", folder.path, "-I", iso, "-I", iso, "-S", folder.appendingPathComponent("console.sock").path,
            "-n", "-n", "-l", "-r", "-T", folder.appendingPathComponent("trace.log").path, "-a", "devices exit=ok",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("devices exit=ok\n"))
    }

    @Test(.enabled(if: TestKernel.canBoot, bootComment))
    func monitorCommandsRunBeforeTheGuestStarts() throws {
        let result = try Self.boot(["-W", "-M", "info status", "-a", "after the monitor"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("VM status: paused (prelaunch)\n"), "monitor output: \(result.stderr)")
        #expect(!result.stderr.contains("(qemu)"))
        #expect(result.stdout.contains("after the monitor\n"))
    }

    @Test(.enabled(if: TestKernel.canBoot, bootComment))
    func backgroundModePrintsThePIDAndSockets() throws {
        let runtime = try Self.shortFolder()
        defer { try? FileManager.default.removeItem(at: runtime) }
        let result = try QemuGuestScript.run(["-x", "-W", "-k", try #require(TestKernel.path), "-a", "background"],
                                             environment: ["XDG_RUNTIME_DIR": runtime.path], fake: false)
        #expect(result.status == 0, "\(result.stderr)")
        let pid = try #require(result.stdout.firstMatch(of: /background, PID (\d+)\n/)?.1)
        #expect(result.stdout.contains("\(runtime.path)/qemu-guest-"))
        #expect(result.stdout.contains("/serial.socket"))
        // The test kernel halts at once, so QEMU goes away by itself.
        #expect(Self.waitUntilGone(try #require(pid_t(pid))))
    }

    /// arm64: `-machine virt -cpu max` under TCG; the command line is /chosen/bootargs (no
    /// kernel path in front); PSCI power-off is QEMU status 0.
    @Test(.enabled(if: TestKernel.canBootArm64, "needs aarch64-linux-gnu-gcc and qemu-system-aarch64 (scripts/setup.sh)"))
    func arm64BootPrintsTheCommandLine() throws {
        let append = "hello arm64 \"quoted\" é; $(echo no) -- x"
        let result = try QemuGuestScript.run(["-W", "-t", "arm64v", "-k", try #require(TestKernel.arm64Path), "-a", append],
                                             fake: false)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == append + "\n")
    }

    /// Runs qemu-guest with a terminal as stdin and stdout, through util-linux `script`.
    static func onATerminal(_ arguments: [String]) throws -> ProcessOutput {
        let command = ShellQuote.join([QemuGuestScript.path] + arguments)
        return try Subprocess.run("/usr/bin/timeout", ["20", "script", "--quiet", "--return", "--command", command, "/dev/null"],
                                  in: QemuGuestScript.folder)
    }

    @Test(.enabled(if: TestKernel.canBoot && Subprocess.which("script") != nil, "needs util-linux script and a bootable test kernel"))
    func onATerminalTheConsoleIsNographic() throws {
        let kernel = try #require(TestKernel.path)
        let dry = try Self.onATerminal(["-D", "-W", "-k", "kern"])
        #expect(dry.stdout.contains(" -nographic -vga none -m 64 "), "\(dry.stdout)")
        let dryC = try Self.onATerminal(["-D", "-W", "-C", "-k", "kern"])
        #expect(dryC.stdout.contains(" -display none -vga none -chardev stdio,id=console0,mux=on,signal=off -serial chardev:console0 -mon chardev=console0 "),
                "\(dryC.stdout)")
        let boot = try Self.onATerminal(["-W", "-k", kernel, "-a", "on a terminal"])
        #expect(boot.status == 0)
        #expect(boot.stdout.contains("\(kernel) on a terminal\r\n"), "\(boot.stdout)")
        let crash = try Self.onATerminal(["-W", "-C", "-k", kernel, "-a", "exit=crash"])
        #expect(crash.status == 1)
        #expect(crash.stdout.contains("exit=crash\r\n"), "\(crash.stdout)")
    }

    /// A new folder with a short path: UNIX socket paths must stay under 108 bytes.
    static func shortFolder() throws -> URL {
        let folder = URL(fileURLWithPath: "/tmp/qg-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Whether process `pid` ends (or is a zombie, if nobody reaps it) within 5 seconds.
    static func waitUntilGone(_ pid: pid_t) -> Bool {
        for _ in 0..<100 {
            let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            if kill(pid, 0) != 0 || stat.contains(") Z ") { return true }
            usleep(50_000)
        }
        return false
    }

    @Test(.enabled(if: TestKernel.canBoot, bootComment))
    func bootsOnQ35() throws {
        let result = try Self.boot(["-W", "-t", "x86q35", "-a", "q35 exit=crash"])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.contains("q35 exit=crash\n"))
    }
}
