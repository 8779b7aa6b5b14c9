import Manifest
import Planner
import Diagnostics

/// `<target>.json` (`fc-x86_64.json`, or the target's name), Firecracker's `--config-file`, for every Firecracker target.
/// Paths are relative to the app folder, where `launch.sh` starts Firecracker.
public enum FirecrackerEmitter {
    public static func emit(_ plan: Plan) -> [EmittedFile] {
        plan.targets.filter { $0.platform == .fc || $0.platform == .kraftcloud }.compactMap { target in
            target.vmmConfigFile.map { EmittedFile(path: $0, contents: document(target).json()) }
        }
    }

    /// The configuration as a document (also used by `launch.sh` overrides).
    static func document(_ target: TargetPlan, arguments: [String]? = nil, memoryMiB: Int? = nil, vcpus: Int? = nil) -> DocumentValue {
        var run = target.run
        if let arguments { run.applicationArguments = arguments }
        var boot: [(String, DocumentValue)] = [
            ("kernel_image_path", .string(target.imagePath)),
            // Devices are announced as parameters, which are parsed only after a `--`.
            ("boot_args", .string(KernelCommandLine.render(name: target.imageName, run: run, separator: !run.networks.isEmpty))),
        ]
        if let initrd = run.initrd { boot.append(("initrd_path", .string(initrd))) }
        let interfaces: [DocumentValue] = run.networks.enumerated().map { i, network in
            let device: String
            switch network.mode {
            case .tap(let name): device = name
            case .bridge, .user: device = "tap\(i)"
            }
            return .map([("iface_id", .string("net\(i)")), ("guest_mac", .string(macAddress(i))), ("host_dev_name", .string(device))])
        }
        return .map([
            ("boot-source", .map(boot)),
            ("drives", .list([])),
            ("machine-config", .map([
                ("vcpu_count", .int(vcpus ?? run.vcpus)), ("mem_size_mib", .int(memoryMiB ?? run.memoryMiB)),
                ("smt", .bool(false)), ("track_dirty_pages", .bool(false)),
            ])),
            ("network-interfaces", .list(interfaces)),
        ])
    }

    /// A locally administered MAC address for interface `i`, the same on every run.
    static func macAddress(_ i: Int) -> String {
        let last = String(i + 2, radix: 16)
        return "06:00:ac:10:00:" + (last.count == 1 ? "0" + last : last)
    }
}
