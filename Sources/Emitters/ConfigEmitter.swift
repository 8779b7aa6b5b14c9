import Planner

/// `defconfig.<target>` (the seed for `make defconfig UK_DEFCONFIG=…`) and
/// `.config.<target>` (the full configuration, or the seed when no tree was known);
/// with a single target also plain `.config` (the plan names both).
public enum ConfigEmitter {
    public static func emitSeeds(_ plan: Plan) -> [EmittedFile] {
        plan.targets.filter { !$0.prebuilt }.map { target in
            EmittedFile(path: "defconfig.\(target.id)", contents: GeneratedHeader.apply(to: seedText(target), source: plan.source))
        }
    }

    /// The full `.config` exactly as Unikraft's conf writes it (no header: Unikraft's
    /// build rewrites the file, and the bytes stay the same); without a tree, the seed, which a
    /// full configuration written earlier with a tree still stands for (`EmittedFile.seed`).
    public static func emitConfigs(_ plan: Plan) -> [EmittedFile] {
        var files: [EmittedFile] = []
        let built = plan.targets.filter { !$0.prebuilt }
        for target in built {
            let contents = target.fullConfig ?? GeneratedHeader.apply(
                to: "# No Unikraft tree was given (--uk-root): this is only the seed; make completes it on the first build.\n" + seedText(target),
                source: plan.source)
            let seed = target.fullConfig == nil ? target.seed.map(\.text) : nil
            files.append(EmittedFile(path: target.configFile, contents: contents, seed: seed))
            if let single = plan.singleConfigFile { files.append(EmittedFile(path: single, contents: contents, seed: seed)) }
        }
        return files
    }

    /// A target's seed as `CONFIG_X=value` lines, grouped by where they come from.
    public static func seedText(_ target: TargetPlan) -> String {
        var out = "# Target \(target.platform.rawValue)/\(target.architecture.rawValue)\n"
        var lastGroup = ""
        for line in target.seed {
            let group: String
            switch line.origin {
            case .target: group = "# Architecture and platform"
            case .library: group = "# Libraries"
            case .manifest(let location): group = "# From \(location.file)"
            }
            if group != lastGroup {
                out += group + "\n"
                lastGroup = group
            }
            out += line.text + "\n"
        }
        return out
    }
}
