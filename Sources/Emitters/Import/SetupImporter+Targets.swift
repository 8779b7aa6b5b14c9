import Manifest
import Planner
import Diagnostics
import Kconfig

extension SetupImporter {
    /// The setup's name: `CONFIG_UK_NAME`, else the image names, else the folder's.
    func nameSetup(_ setup: inout ImportedSetup, _ reading: Reading) {
        let configName = reading.configs.lazy.compactMap { c in c.assignments.last { $0.name == "UK_NAME" } }.first
        let imageNames = reading.facts.compactMap { $0.kernel.flatMap(RunFacts.target(ofImage:))?.name }
        if let configName, case .raw(let raw) = configName.value {
            setup.name = ConfigWriter.unquote(raw)
        } else if let first = imageNames.first {
            setup.name = first
        } else {
            setup.comment("name", "guessed: the setup names no image (no CONFIG_UK_NAME, no kernel path), so the folder's name is used")
        }
    }

    /// The targets: one per configuration, then any the run settings add. Returns each target's
    /// configurations, in target order.
    mutating func findTargets(_ setup: inout ImportedSetup, _ reading: Reading) -> [[ConfigSource]] {
        var byTarget: [String: Int] = [:]
        func key(_ p: Platform, _ a: Architecture, _ name: String?) -> String { "\(p.rawValue)/\(a.rawValue)/\(name ?? "")" }
        var sources: [[ConfigSource]] = []
        for config in reading.configs {
            guard let platform = config.platform, let architecture = config.architecture else {
                diagnostics.append(.warning("import-config-target", "'\(config.file)' names no architecture or platform (CONFIG_ARCH_*, CONFIG_PLAT_*) and its file name does not either; it is not imported",
                                            at: SourceLocation(file: config.file, line: 1, column: 1)))
                continue
            }
            let k = key(platform, architecture, config.targetName)
            if let i = byTarget[k] { sources[i].append(config); continue }
            byTarget[k] = setup.targets.count
            sources.append([config])
            setup.targets.append(ImportedSetup.TargetEntry(name: config.targetName, platform: platform, architecture: architecture, options: [], configFile: config.file))
        }
        for f in reading.facts {
            guard let platform = f.platform, let architecture = f.architecture else { continue }
            let known = setup.targets.contains { $0.platform == platform && $0.architecture == architecture && (f.targetID == nil || $0.name == nil || $0.name == f.targetID) }
            if !known {
                let name = f.targetID.flatMap { $0 == "\(platform.rawValue)-\(architecture.rawValue)" ? nil : $0 }
                sources.append([])
                setup.targets.append(ImportedSetup.TargetEntry(name: name, platform: platform, architecture: architecture, options: [], configFile: nil))
                diagnostics.append(.warning("import-no-config", "no configuration for target \(platform.rawValue)/\(architecture.rawValue) was found (only run settings name it); its kconfig options are unknown",
                                            at: f.location))
            }
        }
        if setup.targets.isEmpty {
            diagnostics.append(.error("import-no-targets", "no target found: the folder has no configuration (.config, defconfig, .scripts/defconfig/<plat>.<arch>) and no launch settings naming an image", at: nil))
        }
        return sources
    }

    /// The Makefile's `TARGETS` order, then platform, architecture and name.
    func orderTargets(_ setup: inout ImportedSetup, makefile: inout MakefileReader?) {
        let listed = makefile?.value(of: "TARGETS")?.split(separator: " ").map(String.init) ?? []
        func id(_ t: ImportedSetup.TargetEntry) -> String { t.name ?? "\(t.platform.rawValue)-\(t.architecture.rawValue)" }
        let platforms: [Platform] = [.qemu, .fc, .xen, .linuxu, .kraftcloud]
        let architectures: [Architecture] = [.x86_64, .arm64, .arm]
        setup.targets.sort { a, b in
            let ia = listed.firstIndex(of: id(a)) ?? Int.max, ib = listed.firstIndex(of: id(b)) ?? Int.max
            if ia != ib { return ia < ib }
            let pa = platforms.firstIndex(of: a.platform)!, pb = platforms.firstIndex(of: b.platform)!
            if pa != pb { return pa < pb }
            let aa = architectures.firstIndex(of: a.architecture)!, ab = architectures.firstIndex(of: b.architecture)!
            if aa != ab { return aa < ab }
            return (a.name ?? "") < (b.name ?? "")
        }
    }
}
