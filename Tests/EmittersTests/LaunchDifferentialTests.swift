import Foundation
import Manifest
import Planner
import Testing
import TestSupport
import Diagnostics
@testable import Emitters

/// A differential test: for generated plans (seeded), the command `launch.sh --dry-run` prints,
/// run by bash, against the plan's own rendering of it, for every VMM (QEMU x86_64 and arm64,
/// Firecracker, Xen, linuxu), with the manifest's values and with memory, vCPUs and
/// application arguments given at run time.
@Suite(.tags(.slow)) struct LaunchDifferentialTests {
    static let cases = 24

    struct Generator {
        var rng: SplitMix64
        mutating func below(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
        mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
        /// A word for an argument or a value: mostly plain, sometimes with what quoting must carry.
        mutating func word() -> String {
            (0..<(1 + below(6))).map { _ in pick(["a", "b", "Z", "0", "-", "=", "/", ".", " ", "'", "\"", "\\", ",", "$", "é", "--", "]"]) }.joined()
        }
    }

    /// A manifest with every VMM as a target (linuxu only before 0.17) and generated run settings.
    static func manifest(_ g: inout Generator) -> String {
        let version = g.pick(["0.16.3", "0.18.0"])
        var text = "spec: v0.6\nname: app\nunikraft: {version: '\(version)', kconfig: {CONFIG_LIBVFSCORE_AUTOMOUNT_UP: 'y'}}\n"
        text += "targets: [qemu/x86_64, qemu/arm64, fc/x86_64, xen/x86_64\(version == "0.16.3" ? ", linuxu/x86_64" : "")]\n"
        if g.below(2) == 0 { text += "x-manifestc: {memory: \(16 * (1 + g.below(16))), vcpus: \(1 + g.below(4))}\n" }
        var cmd = (0..<g.below(4)).map { _ in DocumentValue.jsonString(g.word()) }
        if g.below(2) == 0 { cmd = ["lib.p=\(g.below(100))", "\"--\""] + cmd }
        if !cmd.isEmpty { text += "cmd: [\(cmd.joined(separator: ", "))]\n" }
        if g.below(2) == 0 { text += "env: {V: \(DocumentValue.jsonString(g.word().filter { $0 != "\\" }))}\n" }
        var volumes: [String] = []
        for i in 0..<g.below(3) { volumes.append("{source: ./share\(i)\(g.pick(["", "-x", ",c", " s"])), destination: /d\(i)}") }
        if g.below(3) == 0 { volumes.append("{source: ./initrd\(g.pick(["", ",c"])).cpio, driver: initrd}") }
        if !volumes.isEmpty { text += "volumes: [\(volumes.joined(separator: ", "))]\n" }
        var networks: [String] = []
        for i in 0..<g.below(3) {
            networks.append(g.pick(["{bridge: br\(i)}", "{driver: tap, interface: tap\(i)}", "{ip: 10.0.\(i).2/24, gateway: 10.0.\(i).1}"]))
        }
        if !networks.isEmpty { text += "networks: [\(networks.joined(separator: ", "))]\n" }
        return text
    }

    /// What the command line overrides, or nil for the manifest's own values.
    struct Overrides {
        var memory: Int
        var vcpus: Int
        var arguments: [String]
        var words: [String] { ["-m", String(memory), "-c", String(vcpus), "--"] + arguments }
    }

    @Test func theDryRunIsThePlansCommandForEveryVMM() throws {
        var g = Generator(rng: SplitMix64(seed: 0x1A0C4))
        var compared = Set<String>()
        var planned = 0
        for _ in 0..<Self.cases {
            let text = Self.manifest(&g)
            let loaded = ManifestLoader().load(Array(text.utf8), file: "kraft.yaml")
            let m = try #require(loaded.manifest, "\(text)\n\(loaded.diagnostics)")
            let (plan, diagnostics) = Planning.plan(m)
            // Paths xl or multiboot cannot carry are refused: such a plan has nothing to launch.
            guard !diagnostics.contains(where: { $0.severity == .error }) else { continue }
            planned += 1
            let folder = try temporaryFolder()
            try write(Artifact.emit([.launch, .firecracker, .xen], plan: plan), to: folder)
            for target in plan.targets {
                // Arguments given at run time, a `--` among them one time in three (the head's separated form).
                var given = (0..<g.below(3)).map { _ in g.word() }
                if g.below(3) == 0 { given.insert("--", at: g.below(given.count + 1)) }
                let runtime = g.below(2) == 0 ? Overrides(memory: 8 * (1 + g.below(32)), vcpus: 1 + g.below(8), arguments: given) : nil
                let result = try Subprocess.run("/bin/bash", [folder.appendingPathComponent("launch.sh").path, "--dry-run", "--tcg", target.id] + (runtime?.words ?? []))
                #expect(result.status == 0, "\(target.id): \(result.stderr)")
                let command = try argv(ofCommandLine: String(result.stdout.dropLast()))
                check(command, stderr: result.stderr, target, runtime, folder: folder.resolvingSymlinksInPath().path, text)
                compared.insert(target.platform.rawValue + "/" + target.architecture.rawValue)
            }
        }
        #expect(compared == ["qemu/x86_64", "qemu/arm64", "fc/x86_64", "xen/x86_64", "linuxu/x86_64"])
        #expect(planned >= Self.cases / 2, "the generator makes too many plans that are refused")
    }

    func check(_ argv: [String], stderr: String, _ target: TargetPlan, _ runtime: Overrides?, folder: String, _ manifest: String) {
        let run = target.run
        let arguments = runtime?.arguments ?? run.applicationArguments
        let commandLine = target.commandLine.render(arguments: arguments)
        let memory = runtime?.memory ?? run.memoryMiB, vcpus = runtime?.vcpus ?? run.vcpus
        func absolute(_ path: String) -> String { path.hasPrefix("/") ? path : folder + "/" + (path.hasPrefix("./") ? String(path.dropFirst(2)) : path) }
        func option(_ text: String) -> String { text.replacingOccurrences(of: ",", with: ",,") }
        let context = "\(target.id) \(runtime.map { "\($0.words)" } ?? "") in\n\(manifest)"
        switch target.platform {
        case .qemu:
            let x86 = target.architecture == .x86_64
            var expected = [x86 ? "qemu-system-x86_64" : "qemu-system-aarch64", "-machine", (x86 ? "pc" : "virt") + ",accel=tcg", "-cpu", "max",
                            "-m", String(memory), "-smp", String(vcpus), "-nodefaults", "-display", "none", "-serial", "stdio", "-no-reboot"]
            if x86 { expected += ["-device", "isa-debug-exit,iobase=0x501,iosize=2"] }
            let virtio = "disable-modern=on,disable-legacy=off"
            for (i, share) in run.shares.enumerated() {
                expected += ["-fsdev", "local,id=fsdev\(i),path=\(option(absolute(share.hostPath))),security_model=none\(share.readOnly ? ",readonly=on" : "")",
                             "-device", "virtio-9p-pci,fsdev=fsdev\(i),mount_tag=\(option(share.tag)),\(virtio)"]
            }
            for (i, network) in run.networks.enumerated() {
                let netdev: String
                switch network.mode {
                case .user: netdev = "user,id=net\(i)"
                case .bridge(let name): netdev = "bridge,id=net\(i),br=\(option(name))"
                case .tap(let name): netdev = "tap,id=net\(i),ifname=\(option(name)),script=no,downscript=no"
                }
                expected += ["-netdev", netdev, "-device", "virtio-net-pci,netdev=net\(i),\(virtio)"]
            }
            expected += ["-kernel", folder + "/" + target.imagePath]
            if let initrd = run.initrd { expected += ["-initrd", x86 ? option(absolute(initrd)) : absolute(initrd)] }
            if !commandLine.isEmpty { expected += ["-append", commandLine] }
            #expect(argv == expected, "\(context)")
        case .fc, .kraftcloud:
            let file = folder + "/" + (target.vmmConfigFile ?? "")
            #expect(argv.count == 5 && argv[0] == "firecracker" && argv[1] == "--api-sock" && argv[3] == "--config-file", "\(context): \(argv)")
            let emitted = FirecrackerEmitter.document(target).json()
            guard let runtime else {
                // The emitted file itself, unchanged.
                #expect(argv.last == file && stderr == emitted, "\(context)")
                return
            }
            guard let given = (try? JSONSerialization.jsonObject(with: Data(stderr.utf8))) as? [String: Any],
                  var plan = (try? JSONSerialization.jsonObject(with: Data(emitted.utf8))) as? [String: Any] else {
                Issue.record("\(context): the configuration does not parse: \(stderr)")
                return
            }
            var boot = plan["boot-source"] as? [String: Any] ?? [:]
            boot["boot_args"] = commandLine
            plan["boot-source"] = boot
            plan["machine-config"] = (plan["machine-config"] as? [String: Any] ?? [:]).merging(["vcpu_count": runtime.vcpus, "mem_size_mib": runtime.memory]) { _, b in b }
            #expect(NSDictionary(dictionary: given).isEqual(to: plan), "\(context): \(stderr)")
        case .xen:
            let words = Array(argv.drop { $0 == "sudo" })
            var expected = ["xl", "create", "-c", folder + "/" + (target.vmmConfigFile ?? "")]
            if let runtime { expected += ["memory=\(runtime.memory)", "vcpus=\(runtime.vcpus)"] }
            #expect(Array(words.prefix(expected.count)) == expected, "\(context): \(argv)")
            let cmdline = words.dropFirst(expected.count).first { $0.hasPrefix("cmdline=") }
            #expect(cmdline.map { ConsumerReaders.xlString($0.dropFirst("cmdline=".count)) } == (runtime == nil ? nil : commandLine), "\(context): \(argv)")
        case .linuxu:
            // Without a terminal on stdin the image runs on script's pseudo-terminal: the line for /bin/sh.
            let kernel = folder + "/" + target.imagePath
            let words = target.commandLine.words(arguments: arguments)
            let line = argv.count == 6 && argv[0] == "env" ? argv[4] : nil
            let prefix = "stty -onlcr 2>/dev/null; exec "
            let inner = line.flatMap { $0.hasPrefix(prefix) ? try? ShellWords.split(String($0.dropFirst(prefix.count))).get() : nil }
            #expect(inner == [kernel] + words, "\(context): \(argv)")
        }
    }
}
