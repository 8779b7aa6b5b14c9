import Manifest
import Planner
import Diagnostics
import Kconfig

/// Reads a manual Unikraft setup (Makefile, configurations, launch scripts, VMM
/// configurations) into an `ImportedSetup`. Pure: the files come in as values.
public struct SetupImporter {
    /// External libraries the import recognises by their enable symbol when no Makefile names them.
    public static let knownLibraries: [(symbol: String, name: String)] = [
        ("CONFIG_LIBCXXABI", "libcxxabi"), ("CONFIG_LIBCXX", "libcxx"), ("CONFIG_LIBUNWIND", "libunwind"),
        ("CONFIG_LIBCOMPILER_RT", "compiler-rt"), ("CONFIG_LIBGO", "libgo"), ("CONFIG_LIBMUSL", "musl"),
        ("CONFIG_LIBNEWLIBC", "newlib"), ("CONFIG_LIBPTHREAD_EMBEDDED", "pthread-embedded"), ("CONFIG_LIBLWIP", "lwip"),
        ("CONFIG_LIBPYTHON3", "python3"), ("CONFIG_LIBREDIS", "redis"), ("CONFIG_LIBNGINX", "nginx"),
        ("CONFIG_LIBSQLITE", "sqlite"), ("CONFIG_LIBELF", "libelf"), ("CONFIG_LIBOPENSSL", "openssl"),
        ("CONFIG_LIBZLIB", "zlib"), ("CONFIG_LIBINTEL_INTRINSICS", "intel-intrinsics"), ("CONFIG_LIBTINYALLOC", "tinyalloc"),
    ]

    let input: ImportInput
    public private(set) var diagnostics: [Diagnostic] = []

    public init(_ input: ImportInput) { self.input = input }

    /// A configuration file of the setup, read.
    struct ConfigSource {
        var file: String
        var assignments: [KconfigAssignment]
        var isFull: Bool
        var platform: Platform?
        var architecture: Architecture?
        var targetName: String?
    }

    // MARK: - Classifying files

    enum Kind { case makefile, config, firecracker, xen, script, ignored }

    static func kind(of file: SetupFile) -> Kind {
        let base = file.path.split(separator: "/").last.map(String.init) ?? file.path
        if ["Makefile", "GNUmakefile", "makefile"].contains(base) { return .makefile }
        if base == "qemu-guest" || base.hasSuffix(".old") || base == "Config.uk" || base.hasSuffix(".uk") || base.hasSuffix(".yaml") || base.hasSuffix(".yml") || base == "Kraftfile" { return .ignored }
        if base.hasSuffix(".json") { return file.text.contains("\"boot-source\"") ? .firecracker : .ignored }
        if base.hasSuffix(".cfg") { return .xen }
        if looksLikeConfig(file.text) { return .config }
        if base.hasSuffix(".sh") || file.text.hasPrefix("#!") || base.hasPrefix("launch") || base.hasPrefix("run") || base.hasSuffix(".fish") || base.hasSuffix(".csh") {
            return .script
        }
        return .ignored
    }

    static func looksLikeConfig(_ text: String) -> Bool {
        var configLines = 0, otherLines = 0
        for line in text.split(separator: "\n").prefix(400) {
            if line.hasPrefix("CONFIG_") || (line.hasPrefix("# CONFIG_") && line.hasSuffix(" is not set")) { configLines += 1 }
            else if !line.hasPrefix("#") && !line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { otherLines += 1 }
        }
        return configLines > 0 && configLines >= otherLines
    }

    /// `(platform, architecture, name)` from a file name such as `qemu.x86_64`,
    /// `.config.qemu-x86_64`, `defconfig.fc-arm64`, `fc-myname.json`, `xen.arm64.cfg`.
    public static func target(ofFileName path: String) -> (platform: Platform?, architecture: Architecture?, id: String?) {
        var base = path.split(separator: "/").last.map(String.init) ?? path
        for ext in [".json", ".cfg", ".sh"] where base.hasSuffix(ext) { base.removeLast(ext.count) }
        for prefix in [".config.", "config.", "defconfig.", "fc-", "xen-", "fc.", "xen."] where base.hasPrefix(prefix) {
            let rest = String(base.dropFirst(prefix.count))
            if prefix.hasPrefix("fc") || prefix.hasPrefix("xen") {
                let platform: Platform = prefix.hasPrefix("fc") ? .fc : .xen
                let arch = Architecture(rawValue: rest) ?? rest.split(separator: "-").last.flatMap { Architecture(rawValue: String($0)) }
                return (platform, arch, rest)
            }
            base = rest
            break
        }
        let parts = base.split(whereSeparator: { $0 == "." || $0 == "-" }).map(String.init)
        if parts.count >= 2, let arch = Architecture(rawValue: parts.last!) {
            let platformText = parts[parts.count - 2]
            let platform = platformText == "kvm" ? .qemu : Platform(rawValue: platformText)
            if platform != nil { return (platform, arch, base) }
        }
        return (nil, nil, base.isEmpty ? nil : base)
    }

    // MARK: - Import

    public mutating func run() -> ImportedSetup {
        var setup = ImportedSetup(name: input.folderName, unikraftVersion: "stable")
        let files = input.files.sorted { $0.path < $1.path }

        // Read every file.
        var configs: [ConfigSource] = []
        var facts: [RunFacts] = []
        var makefile: MakefileReader?
        var makefilePath: String?
        for file in files {
            switch Self.kind(of: file) {
            case .makefile:
                guard makefile == nil else { continue }
                makefile = MakefileReader(text: file.text, file: file.path)
                makefilePath = file.path
                setup.filesRead.append(file.path)
            case .config:
                configs.append(readConfig(file))
                setup.filesRead.append(file.path)
            case .firecracker:
                let (f, d) = FirecrackerConfigReader.read(file.text, file: file.path)
                diagnostics += d
                if var f {
                    let named = Self.target(ofFileName: file.path)
                    if f.architecture == nil { f.architecture = named.architecture }
                    if let id = named.id, named.architecture == nil || RunFacts.target(ofImage: f.kernel ?? "") == nil { f.targetID = id }
                    facts.append(f)
                }
                setup.filesRead.append(file.path)
            case .xen:
                var (f, d) = XenConfigReader.read(file.text, file: file.path)
                diagnostics += d
                if f.architecture == nil { f.architecture = Self.target(ofFileName: file.path).architecture }
                facts.append(f)
                setup.filesRead.append(file.path)
            case .script:
                let (f, d) = LaunchScriptReader.read(file.text, file: file.path)
                diagnostics += d
                if !f.isEmpty || !d.isEmpty { setup.filesRead.append(file.path) }
                facts += f
            case .ignored:
                break
            }
        }
        if let makefile { diagnostics += makefile.diagnostics }

        // Name: CONFIG_UK_NAME, else the image names, else the folder.
        let configName = configs.lazy.compactMap { c in c.assignments.last { $0.name == "UK_NAME" } }.first
        let imageNames = facts.compactMap { $0.kernel.flatMap(RunFacts.target(ofImage:))?.name }
        if let configName, case .raw(let raw) = configName.value {
            setup.name = ConfigWriter.unquote(raw)
        } else if let first = imageNames.first {
            setup.name = first
        } else {
            setup.comment("name", "guessed: the setup names no image (no CONFIG_UK_NAME, no kernel path), so the folder's name is used")
        }

        // Targets: one per configuration, then any the run settings add.
        var byTarget: [String: Int] = [:]
        func key(_ p: Platform, _ a: Architecture, _ name: String?) -> String { "\(p.rawValue)/\(a.rawValue)/\(name ?? "")" }
        var sources: [[ConfigSource]] = []
        for config in configs {
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
        for f in facts {
            guard let platform = f.platform, let architecture = f.architecture else { continue }
            let known = setup.targets.contains { $0.platform == platform && $0.architecture == architecture && (f.targetID == nil || $0.name == nil || $0.name == f.targetID) }
            if !known {
                let name = f.targetID.flatMap { $0 == "\(platform.rawValue)-\(architecture.rawValue)" ? nil : $0 }
                byTarget[key(platform, architecture, name)] = setup.targets.count
                sources.append([])
                setup.targets.append(ImportedSetup.TargetEntry(name: name, platform: platform, architecture: architecture, options: [], configFile: nil))
                diagnostics.append(.warning("import-no-config", "no configuration for target \(platform.rawValue)/\(architecture.rawValue) was found (only run settings name it); its kconfig options are unknown",
                                            at: f.location))
            }
        }
        if setup.targets.isEmpty {
            diagnostics.append(.error("import-no-targets", "no target found: the folder has no configuration (.config, defconfig, .scripts/defconfig/<plat>.<arch>) and no launch settings naming an image", at: nil))
        }

        // Libraries: the Makefile's L= order, else the configurations' enable symbols.
        var allAssignments: [String: String] = [:]
        for group in sources { for c in group { for a in c.assignments { allAssignments[a.name] = Self.text(a.value) } } }
        if var makefile {
            setup.app = foreignApp(&makefile, file: makefilePath!)
            setup.libraries = libraries(from: &makefile, file: makefilePath!, foreignApp: setup.app != nil)
            diagnostics += makefile.diagnostics.filter { !diagnostics.contains($0) }
            for (symbol, name) in Self.knownLibraries where allAssignments[String(symbol.dropFirst(7))] == "y" && !setup.libraries.contains(where: { $0.name == name }) {
                let at = sources.joined().lazy.compactMap { c in c.assignments.first { "CONFIG_" + $0.name == symbol }?.location }.first
                diagnostics.append(.warning("import-library-missing", "'\(symbol)=y' enables library '\(name)', which the Makefile's L= does not list; it stays a kconfig option (add the library to the manifest if the setup has it)", at: at))
            }
        } else {
            for (symbol, name) in Self.knownLibraries where allAssignments[String(symbol.dropFirst(7))] == "y" {
                setup.libraries.append(.init(name: name, folder: nil))
            }
            if !setup.libraries.isEmpty {
                setup.comment("libraries", "guessed from the configuration's enable symbols (no Makefile was found); check the L= order")
            }
        }
        // Written libraries come from their remote source: by default they sort by name after the leading ones.
        let names = setup.libraries.map(\.name)
        let byDefault = LibraryOrder.defaultOrder(setup.libraries, name: \.name) { $0.source.map { String($0.dropFirst(2)) } ?? ".unikraft/libs/" + $0.name }
        if byDefault.map(\.name) != names {
            setup.libraryOrder = names
            setup.comment("x-manifestc", "library-order: the setup's L= order (\(names.joined(separator: ", "))), which is not the default (libc and C++ runtimes first, the others by name); it decides the order of the libraries' options in .config")
        }
        if !setup.libraries.isEmpty { setup.comment("libraries", "versions guessed: a manual setup does not record which version of each library it uses") }

        // Kconfig options per target.
        let librarySymbols = Set(setup.libraries.map { Self.librarySymbol($0.name) })
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

        // Version.
        if let full = allAssignments["UK_FULLVERSION"].map(ConfigWriter.unquote) ?? input.treeVersion {
            if let tilde = full.firstIndex(of: "~") {
                setup.unikraftVersion = String(full[full.index(after: tilde)...]).replacingSuffix("-custom")
                setup.comment("unikraft", "the commit of Unikraft \(full), from \(allAssignments["UK_FULLVERSION"] != nil ? "CONFIG_UK_FULLVERSION" : "the given tree")")
            } else {
                setup.unikraftVersion = full
            }
        } else if facts.contains(where: { $0.kernel.map { $0.contains("_kvm-") } ?? false }) {
            setup.unikraftVersion = "0.12.0"
            setup.comment("unikraft", "version guessed: the images are named '_kvm-', as before Unikraft 0.13")
        } else if facts.contains(where: { $0.argv0Supplied == true && $0.platform != .linuxu && ($0.architecture != .x86_64 || $0.platform == .xen) }) {
            setup.unikraftVersion = "0.17.0"
            setup.comment("unikraft", "version guessed: the launch script counts on Unikraft supplying argv[0] on arm64 and Xen, as up to 0.17")
        } else {
            setup.comment("unikraft", "version guessed: a manual setup does not record which Unikraft it uses")
        }

        runSettings(facts, allAssignments: allAssignments, into: &setup)
        foreignAppName(&setup)
        orderTargets(&setup, makefile: &makefile)
        diagnostics = Diagnostic.sortedByLocation(diagnostics)
        return setup
    }

    // MARK: - Configurations

    private mutating func readConfig(_ file: SetupFile) -> ConfigSource {
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

    // MARK: - Libraries

    /// With another folder for the app, make is given no `N=`: `CONFIG_UK_DEFNAME` is that folder's
    /// name, which manifestc passes as `N=` when it is the manifest's name. An image name of the
    /// setup's own (`CONFIG_UK_NAME`) stays a kconfig option every target shares.
    private func foreignAppName(_ setup: inout ImportedSetup) {
        guard let app = setup.app, let folder = app.split(separator: "/").last.map(String.init), Naming.normalize(folder) == folder, setup.name != folder else { return }
        let option = ImportedSetup.Option(symbol: "CONFIG_UK_NAME", value: ConfigWriter.quote(setup.name))
        setup.commonOptions.append(option)
        for i in setup.targets.indices { setup.targets[i].options.removeAll { $0.symbol == option.symbol } }
        setup.comment("name", "make's default name: the application folder's ('\(folder)'); the setup's image name '\(setup.name)' is kept as CONFIG_UK_NAME")
        setup.name = folder
    }

    /// The application folder make is given (`A=` of the recipe running Unikraft's make, else
    /// `UK_APP`), expanded, when it is set.
    private mutating func app(of makefile: inout MakefileReader, file: String) -> String? {
        for recipe in makefile.recipes where recipe.text.contains("$(MAKE)") || recipe.text.contains("make ") {
            let words = recipe.text.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if let word = words.first(where: { $0.hasPrefix("A=") }) { return trimmed(makefile.expand(String(word.dropFirst(2)), at: recipe.location)) }
        }
        return makefile.value(of: "UK_APP").map(trimmed)
    }

    private func trimmed(_ path: String) -> String {
        var path = path.trimmingCharacters(in: .whitespaces)
        while path.hasSuffix("/") { path.removeLast() }
        return path
    }

    /// `x-manifestc.app` for an application folder inside the setup's folder, or nil (with a
    /// warning when the app is a folder the manifest cannot name).
    private mutating func foreignApp(_ makefile: inout MakefileReader, file: String) -> String? {
        guard let folder = app(of: &makefile, file: file), folder != MakefileReader.appFolder, folder != "." else { return nil }
        let prefix = MakefileReader.appFolder + "/"
        guard folder.hasPrefix(prefix), !folder.contains("$"), !folder.split(separator: "/").contains("..") else {
            diagnostics.append(.warning("import-app-folder", "make's application folder '\(folder.replacingOccurrences(MakefileReader.appFolder, with: "$(PWD)"))' is not a folder inside the setup; the setup's own folder is taken for the app",
                                        at: SourceLocation(file: file, line: 1, column: 1)))
            return nil
        }
        return "./" + folder.dropFirst(prefix.count)
    }

    private mutating func libraries(from makefile: inout MakefileReader, file: String, foreignApp: Bool) -> [ImportedSetup.Library] {
        var text: String?
        var location = SourceLocation(file: file, line: 1, column: 1)
        // The `L=` of a recipe running Unikraft's make, else the usual variables.
        for recipe in makefile.recipes where recipe.text.contains("$(MAKE)") || recipe.text.contains("make ") {
            let words = recipe.text.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if let word = words.first(where: { $0.hasPrefix("L=") }) {
                text = makefile.expand(String(word.dropFirst(2)), at: recipe.location)
                location = recipe.location
                break
            }
        }
        if text == nil {
            for variable in ["LIBS", "UK_LIBS", "L"] {
                if let value = makefile.value(of: variable) {
                    text = value
                    location = makefile.location(of: variable) ?? location
                    break
                }
            }
        }
        guard let text else { return [] }
        let appFolder = app(of: &makefile, file: file) ?? MakefileReader.appFolder
        var libraries: [ImportedSetup.Library] = []
        for part in text.split(whereSeparator: { $0 == ":" || $0 == " " || $0 == "\t" }).map(String.init) {
            var path = part
            while path.hasSuffix("/") { path.removeLast() }
            if path.isEmpty { continue }
            if foreignApp, path == MakefileReader.appFolder || path == "." {
                // The setup's own folder is a library of another app (catalog-core's elfloader apps).
                if !libraries.contains(where: { $0.source != nil }) { libraries.append(.init(name: Naming.normalize(input.folderName), folder: "$(PWD)", source: "./")) }
                continue
            }
            if path == MakefileReader.appFolder || path == appFolder || path == "." {
                diagnostics.append(.note("import-app-in-libs", "the application folder itself is in L= (its own Config.uk and Makefile.uk); it is the app, not a library", at: location))
                continue
            }
            if path.contains("$") {
                diagnostics.append(.warning("import-library-path", "'\(path)' in L= could not be expanded; it is left out", at: location))
                continue
            }
            let name = PlanEnvironment.libraryName(ofFolder: path)
            if libraries.contains(where: { $0.name == name }) { continue }
            libraries.append(.init(name: name, folder: path.replacingOccurrences(MakefileReader.appFolder, with: "$(PWD)")))
        }
        return libraries
    }

    // MARK: - Run settings

    private mutating func runSettings(_ facts: [RunFacts], allAssignments: [String: String], into setup: inout ImportedSetup) {
        // Memory and vCPUs: the value most sources agree on.
        setup.memoryMiB = agreed(facts.compactMap { f in f.memoryMiB.map { ($0.value, SourceLocation(file: f.location.file, range: $0.range)) } }, what: "memory", unit: " MiB")
        setup.vcpus = agreed(facts.compactMap { f in f.vcpus.map { ($0.value, SourceLocation(file: f.location.file, range: $0.range)) } }, what: "vCPU count", unit: "")
        if setup.memoryMiB == RunPlanBuilder.defaultMemoryMiB { setup.memoryMiB = nil }
        if setup.vcpus == 1 { setup.vcpus = nil }

        // The kernel command line: the reading most sources agree on.
        let names: Set<String> = Set([setup.name] + facts.compactMap { $0.kernel } + facts.compactMap { $0.kernel?.split(separator: "/").last.map(String.init) })
        func isName(_ word: String) -> Bool { names.contains(word) || RunFacts.target(ofImage: word) != nil }
        var readings: [(KernelArguments, SourceLocation)] = []
        for f in facts {
            guard let words = f.commandLine else { continue }
            readings.append((KernelArguments.read(words, isName: f.commandLineIsPlain ? { _ in false } : isName), f.commandLineLocation ?? f.location))
        }
        var chosen = KernelArguments()
        if let first = readings.first {
            var counts: [Int] = readings.map { r in readings.filter { $0.0.sameMeaning(as: r.0) }.count }
            let best = counts.indices.max { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) } ?? 0
            chosen = readings[best].0
            // Mounts: every fstab entry of the readings that agree (Firecracker has no 9p, so its lines have none).
            for (reading, _) in readings where reading.sameMeaning(as: chosen) {
                for entry in reading.fstab where !chosen.fstab.contains(entry) { chosen.fstab.append(entry) }
            }
            for (reading, location) in readings where !reading.sameMeaning(as: chosen) {
                diagnostics.append(.warning("import-cmdline-differs", "this kernel command line differs from the one at \(readings[best].1) (\(describe(chosen))); a manifest has one 'cmd' for all targets, so it is not kept: \(describe(reading))",
                                            at: location))
            }
            _ = first
            counts.removeAll()
        }

        // Shares (9p) and their mount points.
        var shares: [(host: String, tag: String?)] = []
        for f in facts {
            for share in f.shares {
                let host = Self.relative(share.host)
                if !shares.contains(where: { Self.relative($0.host) == host && ($0.tag == share.tag || $0.tag == nil || share.tag == nil) }) { shares.append(share) }
            }
        }
        var fstab = chosen.fstab.compactMap { text -> FstabEntry? in
            guard let entry = FstabEntry(text) else {
                diagnostics.append(.warning("import-fstab", "'\(text)' is not a vfs.fstab entry (dev:mountpoint:fs…); it is kept as a kernel parameter", at: readings.first?.1))
                chosen.parameters += ["vfs.fstab=\(text)"]
                return nil
            }
            return entry
        }
        let initrdPaths = facts.compactMap(\.initrd).map { $0.hasPrefix("./") ? String($0.dropFirst(2)) : $0 }
        let initrds = Set(initrdPaths)
        if let initrd = initrdPaths.first {
            setup.initrd = initrd
            if initrds.count > 1 {
                diagnostics.append(.warning("import-initrd", "the launch settings use different initrds (\(initrds.sorted().joined(separator: ", "))); '\(initrd)' is kept", at: facts.first { $0.initrd != nil }?.location))
            }
        }
        for (i, share) in shares.enumerated() {
            let tag = share.tag ?? "fs\(i)"
            var volume = ImportedSetup.VolumeEntry(source: Self.relative(share.host), destination: nil)
            volume.readOnly = facts.contains { f in f.readOnlyShares.contains { Self.relative($0) == volume.source } }
            if let j = fstab.firstIndex(where: { $0.device == tag && $0.filesystem == "9pfs" }) {
                volume.destination = fstab[j].mountPoint
                fstab.remove(at: j)
            } else if allAssignments["LIBVFSCORE_ROOTDEV"].map(ConfigWriter.unquote) == tag {
                volume.comment = "mounted at / by the image itself (CONFIG_LIBVFSCORE_ROOTDEV=\"\(tag)\")"
            }
            if tag != "fs\(i)" {
                diagnostics.append(.note("import-tag", "share '\(share.host)' has mount tag '\(tag)'; manifestc numbers tags fs0, fs1, … in volume order, so it becomes 'fs\(i)' (its fstab entry follows)",
                                         at: facts.first { $0.shares.contains { Self.relative($0.host) == volume.source } }?.location))
            }
            setup.volumes.append(volume)
        }
        // A 9p root compiled into the image, with no launch setting naming its folder.
        if shares.isEmpty, let rootdev = allAssignments["LIBVFSCORE_ROOTDEV"].map(ConfigWriter.unquote),
           allAssignments["LIBVFSCORE_ROOTFS_9PFS"] == "y" || allAssignments["LIBVFSCORE_ROOTFS"].map(ConfigWriter.unquote) == "9pfs",
           allAssignments["LIBVFSCORE_AUTOMOUNT_ROOTFS"] == "y" {
            let candidates = input.subfolders.filter { !$0.hasPrefix(".") && !["build", "workdir", "node_modules"].contains($0) }.sorted()
            let folder = candidates.count == 1 ? candidates[0] : candidates.first { $0.contains("fs") || $0.contains("root") }
            if let folder {
                setup.volumes.append(.init(source: "./" + folder, destination: nil,
                    comment: "guessed: the image mounts 9p tag '\(rootdev)' as its root (CONFIG_LIBVFSCORE_ROOTDEV) and no launch script names the folder; './\(folder)' is \(candidates.count == 1 ? "the only folder here" : "the likeliest folder here"); it is shared first, so it gets tag fs0"))
            } else {
                diagnostics.append(.warning("import-root-share", "the image mounts 9p tag '\(rootdev)' as its root, but no launch setting names the host folder and none was found here; add it to 'volumes'", at: nil))
            }
        }
        // The root entry manifestc writes itself when shares are mounted elsewhere than `/`
        // (with the fstab parameter on); any other root entry stays a kernel parameter.
        let destinations = setup.volumes.compactMap(\.destination)
        let regenerated = !destinations.isEmpty && !destinations.contains("/") && allAssignments["LIBVFSCORE_AUTOMOUNT_UP"] == "y"
        var kept: [String] = []
        for entry in fstab {
            let text = ([entry.device, entry.mountPoint, entry.filesystem] + entry.rest).joined(separator: ":")
            if entry.isGeneratedRoot && regenerated && (entry.device == "none") == (setup.initrd == nil) { continue }
            if ["initrd0", "embedded", "none"].contains(entry.device) {
                kept.append(text)
            } else {
                diagnostics.append(.warning("import-fstab", "fstab entry '\(text)' names device '\(entry.device)', which no share of the launch settings has as its tag; it is left out", at: readings.first?.1))
            }
        }
        if !kept.isEmpty {
            chosen.parameters = KernelCommandLine.list("vfs.fstab", kept) + chosen.parameters
            setup.comment("cmd", "the fstab entries that are not shared folders (\(kept.joined(separator: ", "))) stay kernel parameters")
        }
        if setup.initrd != nil {
            setup.comment("volumes", "the initrd is passed with driver 'initrd'")
        }

        // Environment.
        for entry in chosen.environment {
            guard let eq = entry.firstIndex(of: "=") else {
                diagnostics.append(.warning("import-env", "env.vars entry '\(entry)' has no '='; it is left out", at: readings.first?.1))
                continue
            }
            setup.env.append(.init(key: String(entry[..<eq]), value: String(entry[entry.index(after: eq)...])))
        }

        // Networks: interfaces and addresses, in order.
        // A launch script says most (Firecracker turns every interface into a tap, Xen keeps
        // only bridges); between VMM files, a bridge says more than a tap, a tap more than nothing.
        func rank(_ f: RunFacts) -> Int { ["launch.sh": 0, "qemu": 1, "qemu-guest": 1, "xen": 2, "firecracker": 3][f.kind] ?? 4 }
        let withInterfaces = facts.filter { !$0.interfaces.isEmpty }
        var interfaces: [RunFacts.Interface] = []
        if let best = withInterfaces.map(rank).min() {
            for f in withInterfaces where rank(f) == best {
                for (i, interface) in f.interfaces.enumerated() {
                    if i >= interfaces.count { interfaces.append(interface); continue }
                    if case .bridge = interfaces[i] { continue }
                    if case .bridge = interface { interfaces[i] = interface } else if case .user = interfaces[i], case .tap = interface { interfaces[i] = interface }
                }
            }
        }
        var keptAddresses: [String] = []
        for i in 0..<max(interfaces.count, chosen.addresses.count) {
            var settings: [ImportedSetup.Pair] = []
            var name = "net\(i)"
            switch interfaces[safe: i] ?? .user {
            case .bridge(let bridge): settings.append(.init(key: "bridge", value: bridge)); name = bridge
            case .tap(let tap): settings += [.init(key: "driver", value: "tap"), .init(key: "interface", value: tap)]; name = tap
            case .user: break
            }
            if let address = chosen.addresses[safe: i] {
                let parts = address.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
                if parts.count > 2, parts[2...].contains(where: { !$0.isEmpty }) {
                    diagnostics.append(.warning("import-netdev", "netdev.ip '\(address)' sets DNS servers, a host name or a domain, which a manifest network cannot say; it stays a kernel parameter", at: readings.first?.1))
                    keptAddresses.append(address)
                } else {
                    settings.append(.init(key: "ip", value: parts[0]))
                    if parts.count > 1, !parts[1].isEmpty { settings.append(.init(key: "gateway", value: parts[1])) }
                }
            }
            setup.networks.append(.init(name: name, settings: settings))
        }
        chosen.parameters += keptAddresses.map { "netdev.ip=" + $0 }

        if !readings.isEmpty || !chosen.arguments.isEmpty {
            let command = chosen.command
            setup.cmd = command.isEmpty ? nil : command
        }
    }

    private mutating func agreed(_ values: [(Int, SourceLocation)], what: String, unit: String) -> Int? {
        guard !values.isEmpty else { return nil }
        var counts: [Int: Int] = [:]
        for (v, _) in values { counts[v, default: 0] += 1 }
        var winner = values[0].0
        for (v, _) in values where counts[v]! > counts[winner]! { winner = v }
        for (v, location) in values where v != winner {
            diagnostics.append(.warning("import-run-differs", "\(what) \(v)\(unit) differs from the \(winner)\(unit) most launch settings use; a manifest has one value for all targets", at: location))
        }
        return winner
    }

    private func describe(_ k: KernelArguments) -> String {
        var parts: [String] = []
        if !k.fstab.isEmpty { parts.append("fstab \(k.fstab.joined(separator: " "))") }
        if !k.environment.isEmpty { parts.append("env \(k.environment.joined(separator: " "))") }
        if !k.addresses.isEmpty { parts.append("netdev.ip \(k.addresses.joined(separator: " "))") }
        parts.append("cmd [\(k.command.map { "'\($0)'" }.joined(separator: ", "))]")
        return parts.joined(separator: "; ")
    }

    // MARK: - Target order

    private func orderTargets(_ setup: inout ImportedSetup, makefile: inout MakefileReader?) {
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

    // MARK: - Helpers

    /// A library's enable symbol as the planner assumes it without a tree (`SeedBuilder`'s rule).
    static func librarySymbol(_ name: String) -> String {
        if let known = knownLibraries.first(where: { $0.name == name }) { return known.symbol }
        if let known = SeedBuilder.knownLibrarySymbols[name] { return known }
        var upper = name.uppercased().replacingDashes
        if upper.hasPrefix("LIB") { upper.removeFirst(3) }
        return "CONFIG_LIB" + upper
    }

    static func text(_ value: KconfigAssignment.Value) -> String {
        switch value {
        case .notSet: "n"
        case .raw(let t): t
        }
    }


    /// A host path as a manifest writes it: relative ones start with `./`.
    static func relative(_ path: String) -> String {
        for prefix in ["$(pwd)/", "$PWD/", "${PWD}/", "`pwd`/", "$(PWD)/"] where path.hasPrefix(prefix) { return "./" + path.dropFirst(prefix.count) }
        if path.hasPrefix("/") || path.hasPrefix("./") || path.hasPrefix("../") || path.hasPrefix("~") || path.hasPrefix("$") { return path }
        return "./" + path
    }
}

extension String {
    var replacingDashes: String { String(map { $0 == "-" || $0 == "." ? "_" : $0 }) }

    func replacingSuffix(_ suffix: String) -> String { hasSuffix(suffix) ? String(dropLast(suffix.count)) : self }

    func replacingOccurrences(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = ""
        var rest = Substring(self)
        while let r = rest.range(of: target) {
            out += rest[..<r.lowerBound] + replacement
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}

extension Substring {
    func range(of target: String) -> Range<Substring.Index>? {
        guard !target.isEmpty, count >= target.count else { return nil }
        var i = startIndex
        while i < endIndex {
            if self[i...].hasPrefix(target) { return i..<index(i, offsetBy: target.count) }
            i = index(after: i)
        }
        return nil
    }
}
