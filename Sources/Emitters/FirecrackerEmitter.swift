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

    /// The configuration as a document, one `"key": value` a line: `launch.sh` puts the values
    /// given on its command line in place of these (`config_with`).
    static func document(_ target: TargetPlan) -> DocumentValue {
        let run = target.run
        var boot: [(String, DocumentValue)] = [
            ("kernel_image_path", .string(target.imagePath)),
            // The plan's head holds the `--` Firecracker's device parameters need.
            ("boot_args", .string(target.renderedCommandLine)),
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
                ("vcpu_count", .int(run.vcpus)), ("mem_size_mib", .int(run.memoryMiB)),
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
