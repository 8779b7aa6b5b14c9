import Diagnostics

extension DecodeContext {
    /// `targets:` (0.5 and later): strings `plat/arch` or maps.
    mutating func targets(_ node: YAMLNode, spec: SpecVersion) -> [Target] {
        guard let items = list(node, "'targets'"), within(items.count, \.maxTargets, "'targets'", node.range) else { return [] }
        var targets: [Target] = []
        for item in items {
            if let scalar = item.scalar, scalar.resolved != .null {
                if let target = targetShorthand(item) { targets.append(target) }
                continue
            }
            guard let entries = map(item, "a target", known: ManifestKeys.target(spec)) else { continue }
            var name: Located<String>?
            var platformNode: YAMLNode?
            var architectureNode: YAMLNode?
            var kconfigOptions: [KconfigOption] = []
            for (key, value) in entries {
                switch key.value {
                case "name", "kernel":
                    if name != nil {
                        error("duplicate-key", "a target has both 'name' and 'kernel'; 'kernel' is another spelling of 'name', keep one", key.range)
                    }
                    name = string(value, "'\(key.value)' of a target")
                case "platform", "plat":
                    if platformNode != nil {
                        error("duplicate-key", "a target has both 'platform' and 'plat'; keep one", key.range)
                    }
                    platformNode = value
                case "architecture", "arch":
                    if architectureNode != nil {
                        error("duplicate-key", "a target has both 'architecture' and 'arch'; keep one", key.range)
                    }
                    architectureNode = value
                case "kconfig":
                    kconfigOptions = kconfig(value, "a target")
                default:
                    break
                }
            }
            var platform: Located<Platform>?
            var architecture: Located<Architecture>?
            if let platformNode, let text = string(platformNode, "'platform' of a target") {
                // `platform: qemu/x86_64` also names the architecture.
                if let slash = text.value.firstIndex(of: "/") {
                    platform = self.platform(Located(String(text.value[..<slash]), at: text.range))
                    if let architectureNode {
                        error("target-conflict", "'\(text.value)' already names the architecture; remove the target's architecture key, or write only the platform here",
                              text.range, notes: [DiagnosticNote("the architecture is also given here", at: location(architectureNode.range))])
                    } else {
                        architecture = self.architecture(Located(String(text.value[text.value.index(after: slash)...]), at: text.range))
                    }
                } else {
                    platform = self.platform(text)
                }
            }
            if let architectureNode, let text = string(architectureNode, "'architecture' of a target") {
                architecture = self.architecture(text)
            }
            if platformNode == nil {
                error("target-incomplete", "this target has no 'platform'; add one of 'qemu', 'fc', 'xen', 'linuxu'", item.range)
            }
            if architectureNode == nil && architecture == nil && platformNode?.scalar?.text.contains("/") != true {
                error("target-incomplete", "this target has no 'architecture'; add one of 'x86_64', 'arm64', 'arm'", item.range)
            }
            if let platform, let architecture {
                targets.append(Target(name: name, platform: platform, architecture: architecture, kconfig: kconfigOptions, range: item.range))
            }
        }
        return targets
    }

    private mutating func targetShorthand(_ item: YAMLNode) -> Target? {
        guard let text = string(item, "a target") else { return nil }
        guard let slash = text.value.firstIndex(of: "/") else {
            error("target-format", "target '\(text.value)' must be written 'platform/architecture', such as 'qemu/x86_64'", item.range)
            return nil
        }
        let plat = String(text.value[..<slash])
        let arch = String(text.value[text.value.index(after: slash)...])
        // Ranges of the two halves, when the scalar is written on one line.
        let quote = item.scalar?.style == .plain ? 0 : 1
        let start = item.range.start
        let platLength = plat.unicodeScalars.count
        let oneLine = item.range.start.line == item.range.end.line
        let platRange = oneLine ? SourceRange(start: SourcePosition(line: start.line, column: start.column + quote),
                                              end: SourcePosition(line: start.line, column: start.column + quote + platLength)) : item.range
        let archRange = oneLine ? SourceRange(start: SourcePosition(line: start.line, column: start.column + quote + platLength + 1),
                                              end: SourcePosition(line: start.line, column: start.column + quote + platLength + 1 + arch.unicodeScalars.count)) : item.range
        let platform = platform(Located(plat, at: platRange))
        let architecture = architecture(Located(arch, at: archRange))
        guard let platform, let architecture else { return nil }
        return Target(name: nil, platform: platform, architecture: architecture, kconfig: [], range: item.range)
    }

    mutating func platform(_ text: Located<String>) -> Located<Platform>? {
        let lowered = text.value.lowercased()
        guard let platform = Platform.spellings[lowered] else {
            let names = Platform.allCases.map(\.rawValue) + ["kvm", "firecracker"]
            let hint = Suggestion.closest(to: text.value, among: names)
            error("unknown-platform", "unknown platform '\(text.value)'" + (hint.map { "; did you mean '\($0)'?" } ?? "; the platforms are 'qemu' (or 'kvm'), 'fc' (or 'firecracker'), 'xen', 'linuxu' and 'kraftcloud'"),
                  text.range, fixIt: hint.map { FixIt(range: text.range, replacement: $0) })
            return nil
        }
        if lowered != text.value {
            note("platform-spelling", "platform '\(text.value)' is read as '\(platform.rawValue)'; platform names are lower case", text.range)
        }
        return Located(platform, at: text.range)
    }

    mutating func architecture(_ text: Located<String>) -> Located<Architecture>? {
        let lowered = text.value.lowercased()
        guard let architecture = Architecture.spellings[lowered] else {
            let names = Architecture.allCases.map(\.rawValue)
            let hint = Suggestion.closest(to: text.value, among: names + ["amd64", "aarch64"])
                .map { Architecture.spellings[$0]!.rawValue }
            error("unknown-architecture", "unknown architecture '\(text.value)'" + (hint.map { "; did you mean '\($0)'?" } ?? "; the architectures are 'x86_64', 'arm64' and 'arm'"),
                  text.range, fixIt: hint.map { FixIt(range: text.range, replacement: $0) })
            return nil
        }
        if lowered != architecture.rawValue {
            warning("architecture-alias", "'\(text.value)' is not Unikraft's name for this architecture; write '\(architecture.rawValue)'",
                    text.range, fixIt: FixIt(range: text.range, replacement: architecture.rawValue))
        } else if lowered != text.value {
            note("architecture-spelling", "architecture '\(text.value)' is read as '\(architecture.rawValue)'; architecture names are lower case", text.range)
        }
        return Located(architecture, at: text.range)
    }

    // MARK: - Spec 0.4

    /// One 0.4 `architectures:` or `platforms:` entry: enabled or not, and its kconfig.
    struct ProductEntry {
        var name: Located<String>
        var kconfig: [KconfigOption]
    }

    /// Reads 0.4's `architectures:`/`platforms:` maps; entries set to `false` are left out.
    mutating func productEntries(_ node: YAMLNode, _ section: String, known: [String]) -> [ProductEntry] {
        guard let pairs = node.mapping else {
            if node.scalar?.resolved != .null {
                error("type-mismatch", "'\(section)' must be a map from name to settings, not \(node.kindDescription)", node.range)
            }
            return []
        }
        var entries: [ProductEntry] = []
        for pair in pairs {
            guard let key = pair.key.scalar else {
                error("key-not-string", "names in '\(section)' must be strings", pair.key.range)
                continue
            }
            if key.text.hasPrefix("x-") { continue }
            let name = Located(key.text, at: pair.key.range)
            if let scalar = pair.value.scalar {
                if scalar.resolved == .bool(false) { continue }
                entries.append(ProductEntry(name: name, kconfig: []))
                continue
            }
            guard let fields = map(pair.value, "'\(section).\(key.text)'", known: known) else { continue }
            var options: [KconfigOption] = []
            for (field, value) in fields where field.value == "kconfig" {
                options = kconfig(value, "'\(section).\(key.text)'")
            }
            entries.append(ProductEntry(name: name, kconfig: options))
        }
        return entries
    }

    /// 0.4 targets: every enabled platform with every enabled architecture,
    /// platforms in manifest order, architectures in manifest order within each.
    mutating func productTargets(architectures: [ProductEntry], platforms: [ProductEntry]) -> [Target] {
        let archs = architectures.compactMap { entry in architecture(entry.name).map { ($0, entry.kconfig) } }
        let plats = platforms.compactMap { entry in platform(entry.name).map { ($0, entry.kconfig) } }
        var targets: [Target] = []
        for (platform, platformKconfig) in plats {
            for (architecture, architectureKconfig) in archs {
                targets.append(Target(name: nil, platform: platform, architecture: architecture,
                                      kconfig: architectureKconfig + platformKconfig, range: platform.range))
            }
        }
        return targets
    }
}
