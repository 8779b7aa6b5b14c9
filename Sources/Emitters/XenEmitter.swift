import Planner

/// `<target>.cfg` (`xen-x86_64.cfg`, or the target's name), an `xl create` configuration, for every Xen target. Paths are
/// relative to the app folder, where `launch.sh` runs `xl`.
public enum XenEmitter {
    public static func emit(_ plan: Plan) -> [EmittedFile] {
        plan.targets.filter { $0.platform == .xen }.compactMap { target in
            guard let path = target.vmmConfigFile else { return nil }
            let run = target.run
            var lines = [
                "name = \(quote(plan.name))",
                "vcpus = \(run.vcpus)",
                "memory = \(run.memoryMiB)",
                "kernel = \(quote(target.imagePath))",
            ]
            if let initrd = run.initrd { lines.append("ramdisk = \(quote(initrd))") }
            lines.append("cmdline = \(quote(target.renderedCommandLine))")
            if !run.shares.isEmpty {
                let shares = run.shares.map { quote("tag=\($0.tag),security_model=none,path=\($0.hostPath)") }
                lines.append("p9 = [ \(shares.joined(separator: ", ")) ]")
            }
            let vifs = run.networks.compactMap { network -> String? in
                if case .bridge(let bridge) = network.mode { return quote("bridge=\(bridge)") }
                return nil
            }
            if !vifs.isEmpty { lines.append("vif = [ \(vifs.joined(separator: ", ")) ]") }
            if target.architecture == .x86_64 { lines.append("type = \"pv\"") }
            lines += ["on_poweroff = \"destroy\"", "on_crash = \"destroy\"", "on_reboot = \"destroy\""]
            return EmittedFile(path: path,
                               contents: GeneratedHeader.apply(to: lines.joined(separator: "\n") + "\n", source: plan.source))
        }
    }

    /// An xl string: double quotes, with `\` and `"` escaped.
    static func quote(_ text: String) -> String {
        var out = "\""
        for c in text {
            if c == "\"" || c == "\\" { out.append("\\") }
            out.append(c)
        }
        return out + "\""
    }
}
