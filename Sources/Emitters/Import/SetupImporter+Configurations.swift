import Manifest
import Planner
import Diagnostics
import Kconfig

extension SetupImporter {
    /// Each target's kconfig options (from its chosen configuration); the options every target
    /// shares become `unikraft.kconfig`.
    mutating func addOptions(_ setup: inout ImportedSetup, sources: [[ConfigSource]]) {
        let librarySymbols = Set(setup.libraries.map { LibrarySymbols.enableSymbol(ofLibrary: $0.name) })
        for (i, group) in sources.enumerated() {
            guard let config = chooseConfig(group) else { continue }
            setup.targets[i].configFile = config.file
            setup.targets[i].options = options(of: config, target: setup.targets[i], librarySymbols: librarySymbols, setup: &setup)
        }
        // Options every target shares become `unikraft.kconfig`.
        let configured = setup.targets.filter { $0.configFile != nil }
        if configured.count == setup.targets.count, let first = configured.first {
            setup.commonOptions = first.options.filter { option in configured.allSatisfy { $0.options.contains(option) } }
            for i in setup.targets.indices { setup.targets[i].options.removeAll { setup.commonOptions.contains($0) } }
        }
    }

    /// The Unikraft version: `CONFIG_UK_FULLVERSION` or the given tree's, else guessed from the
    /// image names and the launch settings.
    mutating func guessVersion(_ setup: inout ImportedSetup, _ reading: Reading, assignments: [String: String]) {
        if let full = assignments["UK_FULLVERSION"].map(ConfigWriter.unquote) ?? input.treeVersion {
            if let tilde = full.firstIndex(of: "~") {
                setup.unikraftVersion = String(full[full.index(after: tilde)...]).replacingSuffix("-custom")
                setup.comment("unikraft", "the commit of Unikraft \(full), from \(assignments["UK_FULLVERSION"] != nil ? "CONFIG_UK_FULLVERSION" : "the given tree")")
            } else {
                setup.unikraftVersion = full
            }
        } else if reading.facts.contains(where: { $0.kernel.map { $0.contains("_kvm-") } ?? false }) {
            setup.unikraftVersion = "0.12.0"
            setup.comment("unikraft", "version guessed: the images are named '_kvm-', as before Unikraft 0.13")
        } else if reading.facts.contains(where: { $0.argv0Supplied == true && $0.platform != .linuxu && ($0.architecture != .x86_64 || $0.platform == .xen) }) {
            setup.unikraftVersion = "0.17.0"
            setup.comment("unikraft", "version guessed: the launch script counts on Unikraft supplying argv[0] on arm64 and Xen, as up to 0.17")
        } else {
            setup.comment("unikraft", "version guessed: a manual setup does not record which Unikraft it uses")
        }
    }

    /// Every configuration's values, later ones winning (`CONFIG_` left out).
    static func assignments(of sources: [[ConfigSource]]) -> [String: String] {
        var all: [String: String] = [:]
        for group in sources { for c in group { for a in c.assignments { all[a.name] = text(a.value) } } }
        return all
    }

    // MARK: - Configurations

    mutating func readConfig(_ file: SetupFile) -> ConfigSource {
        var (assignments, d) = ConfigReader.read(file.text, file: file.path)
        diagnostics += d
        // conf reads only the first character of a bool value: `y=y` is `y`.
        for i in assignments.indices {
            guard case .raw(let text) = assignments[i].value, text.count > 1, let first = text.first, first == "y" || first == "n",
                  !text.hasPrefix("\""), text != "yes", text != "no" else { continue }
            diagnostics.append(.warning("config-value", "'CONFIG_\(assignments[i].name)=\(text)' is read as '\(first)', as conf reads a bool (only the first character counts)",
                                        at: assignments[i].location))
            assignments[i].value = first == "y" ? .raw("y") : .notSet
        }
        let isFull = file.text.contains("# Automatically generated file; DO NOT EDIT.")
        var platform: Platform?
        var architecture: Architecture?
        let on = Set(assignments.compactMap { a -> String? in if case .raw("y") = a.value { return a.name } else { return nil } })
        if on.contains("ARCH_X86_64") { architecture = .x86_64 } else if on.contains("ARCH_ARM_64") { architecture = .arm64 } else if on.contains("ARCH_ARM_32") { architecture = .arm }
        if on.contains("PLAT_KVM") { platform = on.contains("KVM_VMM_FIRECRACKER") ? .fc : .qemu }
        else if on.contains("PLAT_XEN") { platform = .xen } else if on.contains("PLAT_LINUXU") { platform = .linuxu }
        let named = Self.target(ofFileName: file.path)
        if architecture == nil, let a = named.architecture {
            architecture = a
            diagnostics.append(.note("import-target-guess", "no CONFIG_ARCH_* symbol is set; the architecture '\(a.rawValue)' is taken from the file name", at: SourceLocation(file: file.path, line: 1, column: 1)))
        }
        if platform == nil, let p = named.platform {
            platform = p
            diagnostics.append(.note("import-target-guess", "no CONFIG_PLAT_* symbol is set; the platform '\(p.rawValue)' is taken from the file name", at: SourceLocation(file: file.path, line: 1, column: 1)))
        }
        var name: String?
        if let id = named.id, let platform, let architecture, id != "\(platform.rawValue)-\(architecture.rawValue)", id != "\(platform.rawValue).\(architecture.rawValue)",
           !(id == "\(platform == .qemu ? "kvm" : platform.rawValue).\(architecture.rawValue)"), (file.path.split(separator: "/").last.map { $0.hasPrefix(".config.") || $0.hasPrefix("defconfig.") } ?? false) {
            name = id
        }
        return ConfigSource(file: file.path, assignments: assignments, isFull: isFull, platform: platform, architecture: architecture, targetName: name)
    }

    /// With a tree, a full configuration is the truth; without one, a seed is the smaller statement of the same choices.
    private mutating func chooseConfig(_ group: [ConfigSource]) -> ConfigSource? {
        guard !group.isEmpty else { return nil }
        let preferred = input.tree != nil ? (group.first { $0.isFull } ?? group[0]) : (group.first { !$0.isFull } ?? group[0])
        func same(_ a: ConfigSource, _ b: ConfigSource) -> Bool {
            if a.assignments.map(\.line) == b.assignments.map(\.line) { return true }
            guard let tree = input.tree else { return false }
            return ConfigWriter.write(tree.evaluate(seed: a.assignments).configuration) == ConfigWriter.write(tree.evaluate(seed: b.assignments).configuration)
        }
        for other in group where other.file != preferred.file && !same(other, preferred) {
            diagnostics.append(.warning("import-config-duplicate", "'\(other.file)' configures the same target as '\(preferred.file)' differently; '\(preferred.file)' is used", at: SourceLocation(file: other.file, line: 1, column: 1)))
        }
        return preferred
    }

    private mutating func options(of config: ConfigSource, target: ImportedSetup.TargetEntry, librarySymbols: Set<String>, setup: inout ImportedSetup) -> [ImportedSetup.Option] {
        var assignments = config.assignments
        let automatic = Set([SeedBuilder.architectureSymbol(target.architecture)] + SeedBuilder.platformSymbols(target.platform))
        if let tree = input.tree {
            let base = automatic.sorted().map { KconfigAssignment(name: String($0.dropFirst(7)), value: .raw("y")) }
                + librarySymbols.sorted().compactMap { s in tree.symbol(named: String(s.dropFirst(7))) != nil ? KconfigAssignment(name: String(s.dropFirst(7)), value: .raw("y")) : nil }
            let result = MinimalSeed.compute(tree: tree, assignments: assignments, base: base)
            if !result.unreproduced.isEmpty {
                diagnostics.append(.warning("import-unreproducible", "no seed reproduces \(result.unreproduced.count) value(s) of this configuration on the given tree: \(result.unreproduced.prefix(8).map { "CONFIG_" + $0 }.joined(separator: ", "))\(result.unreproduced.count > 8 ? ", …" : "")",
                                            at: SourceLocation(file: config.file, line: 1, column: 1)))
            }
            assignments = result.seed
        } else if config.isFull {
            diagnostics.append(.warning("import-full-config", "'\(config.file)' is a full configuration and no Unikraft tree was given (--uk-root): all its values are kept as options; with a tree, only those that matter are",
                                        at: SourceLocation(file: config.file, line: 1, column: 1)))
            setup.comment("unikraft", "'\(config.file)' was imported without a Unikraft tree: every value of the full configuration is kept")
        }
        var out: [ImportedSetup.Option] = []
        var index: [String: Int] = [:]
        for a in assignments {
            let symbol = "CONFIG_" + a.name
            let value = Self.text(a.value)
            if MinimalSeed.derivedSymbols.contains(a.name) { continue }
            if automatic.contains(symbol) { continue }
            if SeedBuilder.isTargetSymbol(symbol) {
                if value != "n" {
                    diagnostics.append(.warning("import-target-symbol", "'\(symbol)=\(value)' cannot be expressed in a manifest (the target \(target.platform.rawValue)/\(target.architecture.rawValue) sets the architecture and platform); it is left out",
                                                at: a.location ?? SourceLocation(file: config.file, line: 1, column: 1)))
                }
                continue
            }
            if librarySymbols.contains(symbol), value == "y" { continue }
            let option = ImportedSetup.Option(symbol: symbol, value: value)
            if let i = index[symbol] { out[i] = option } else { index[symbol] = out.count; out.append(option) }
        }
        return out
    }
}
