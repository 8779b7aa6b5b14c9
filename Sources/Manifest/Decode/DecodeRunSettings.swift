import Diagnostics

extension DecodeContext {
    // MARK: - Volumes

    /// Volumes in any form: a map keyed by name (0.4 `run.volumes`, 0.5), a list of
    /// `src[:dst[:ro|rw]]` strings or maps (0.6, 0.7), or a single string.
    mutating func volumes(_ node: YAMLNode) -> [Volume] {
        guard within(node.sequence?.count ?? node.mapping?.count ?? 0, \.maxVolumes, "'volumes'", node.range) else { return [] }
        if let pairs = node.mapping {
            var volumes: [Volume] = []
            for pair in pairs {
                if let volume = namedVolume(pair) { volumes.append(volume) }
            }
            return volumes
        }
        guard let items = list(node, "'volumes'", singleAllowed: true) else { return [] }
        var volumes: [Volume] = []
        for item in items {
            if item.scalar != nil {
                if let volume = volumeString(item) { volumes.append(volume) }
                continue
            }
            guard let entries = map(item, "a volume", known: ManifestKeys.volume) else { continue }
            var volume = Volume(readOnly: false, range: item.range)
            for (key, value) in entries {
                switch key.value {
                case "source": volume.source = string(value, "'source' of a volume")
                case "destination": volume.destination = string(value, "'destination' of a volume")
                case "driver": volume.driver = string(value, "'driver' of a volume")
                case "readonly", "readOnly":
                    guard case .bool(let b)? = value.scalar?.resolved else {
                        error("type-mismatch", "'\(key.value)' of a volume must be true or false, not \(value.kindDescription)", value.range)
                        continue
                    }
                    volume.readOnly = b
                case "mode":
                    if let mode = string(value, "'mode' of a volume") { volume.readOnly = readOnlyMode(mode) ?? false }
                default: break
                }
            }
            if volume.source == nil && volume.driver == nil {
                error("volume-incomplete", "this volume has no 'source'; name the host folder to share", item.range)
            }
            volumes.append(volume)
        }
        return volumes
    }

    private mutating func readOnlyMode(_ mode: Located<String>) -> Bool? {
        switch mode.value {
        case "ro": return true
        case "rw": return false
        default:
            error("volume-mode", "volume mode '\(mode.value)' is neither 'ro' (read-only) nor 'rw' (read-write)", mode.range)
            return nil
        }
    }

    /// `guest_fs: {driver: 9pfs}`: the host folder is `./guest_fs`, next to the manifest.
    private mutating func namedVolume(_ pair: YAMLPair) -> Volume? {
        guard let key = pair.key.scalar else {
            error("key-not-string", "volume names must be strings", pair.key.range)
            return nil
        }
        if key.text.hasPrefix("x-") { return nil }
        var volume = Volume(source: Located("./" + key.text, at: pair.key.range), readOnly: false, range: pair.key.range)
        guard let entries = map(pair.value, "volume '\(key.text)'", known: ManifestKeys.namedVolume) else { return nil }
        for (field, value) in entries {
            switch field.value {
            case "driver", "type":
                // Both are read (and type-checked) whatever their order; 'driver' wins.
                let text = string(value, "'\(field.value)' of volume '\(key.text)'")
                if entries.contains(where: { $0.key.value == "driver" }) && entries.contains(where: { $0.key.value == "type" }) && field.value == "type" {
                    warning("duplicate-key", "volume '\(key.text)' has both 'driver' and 'type'; 'driver' is used", field.range)
                    continue
                }
                volume.driver = text
            case "source": volume.archive = string(value, "'source' of volume '\(key.text)'")
            case "workdir": _ = string(value, "'workdir' of volume '\(key.text)'", nullable: true)
            default: break
            }
        }
        return volume
    }

    private mutating func volumeString(_ item: YAMLNode) -> Volume? {
        guard let text = string(item, "a volume") else { return nil }
        let parts = text.value.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        if parts.count > 3 || parts.contains(where: \.isEmpty) {
            error("volume-format", "volume '\(text.value)' must be written 'source', 'source:destination' or 'source:destination:ro'", item.range)
            return nil
        }
        var volume = Volume(source: Located(parts[0], at: item.range), readOnly: false, range: item.range)
        volume.destination = Located(parts.count > 1 ? parts[1] : "/", at: item.range)
        if parts.count == 3, let readOnly = readOnlyMode(Located(parts[2], at: item.range)) {
            volume.readOnly = readOnly
        }
        return volume
    }

    // MARK: - Networks

    /// Networks as a map keyed by name or a list of maps.
    mutating func networks(_ node: YAMLNode) -> [Network] {
        var networks: [Network] = []
        if let pairs = node.mapping {
            for pair in pairs {
                guard let key = pair.key.scalar else {
                    error("key-not-string", "network names must be strings", pair.key.range)
                    continue
                }
                if key.text.hasPrefix("x-") { continue }
                if case .bool(false)? = pair.value.scalar?.resolved { continue }
                let settings = networkSettings(pair.value, "network '\(key.text)'", allowBool: true)
                networks.append(Network(name: Located(key.text, at: pair.key.range), settings: settings, range: pair.key.range))
            }
            return networks
        }
        guard let items = list(node, "'networks'") else { return [] }
        for item in items {
            var settings = networkSettings(item, "a network", allowBool: false)
            var name: Located<String>?
            if let i = settings.firstIndex(where: { $0.key.value == "name" }) {
                name = settings[i].value
                settings.remove(at: i)
            }
            networks.append(Network(name: name, settings: settings, range: item.range))
        }
        return networks
    }

    private mutating func networkSettings(_ node: YAMLNode, _ what: String, allowBool: Bool) -> [(key: Located<String>, value: Located<String>)] {
        if allowBool, case .bool(true)? = node.scalar?.resolved { return [] }
        guard let entries = map(node, what, known: ManifestKeys.network) else { return [] }
        var settings: [(key: Located<String>, value: Located<String>)] = []
        for (key, value) in entries {
            if let text = string(value, "'\(key.value)' of \(what)") { settings.append((key, text)) }
        }
        return settings
    }

    // MARK: - cmd, env, labels

    /// `cmd` as a list (argv) or a string, split like a POSIX shell.
    mutating func command(_ node: YAMLNode, _ what: String) -> [Located<String>]? {
        if let items = node.sequence {
            var words: [Located<String>] = []
            for item in items {
                if let word = string(item, "an item of \(what)") { words.append(word) }
            }
            return words
        }
        guard let text = string(node, what) else { return nil }
        switch ShellWords.split(text.value) {
        case .success(let words):
            return words.map { Located($0, at: node.range) }
        case .failure(let problem):
            error("cmd-quote", "the \(problem.quote) opened here is not closed; \(what) is split into words like a shell command line", node.range)
            return nil
        }
    }

    /// `env` as a list of `NAME=value` / `NAME`, or a map.
    mutating func environment(_ node: YAMLNode) -> [EnvironmentVariable] {
        var variables: [EnvironmentVariable] = []
        if let pairs = node.mapping {
            var seen: [String: SourceRange] = [:]
            for pair in pairs {
                guard let key = pair.key.scalar else {
                    error("key-not-string", "environment variable names must be strings, not \(pair.key.kindDescription)", pair.key.range)
                    continue
                }
                guard checkEnvironmentName(key.text, pair.key.range) else { continue }
                if let first = seen[key.text] {
                    error("duplicate-key", "environment variable '\(key.text)' is set twice", pair.key.range,
                          notes: [DiagnosticNote("first set here", at: location(first))])
                    continue
                }
                seen[key.text] = pair.key.range
                let value = string(pair.value, "the value of '\(key.text)'", nullable: true)
                variables.append(EnvironmentVariable(name: Located(key.text, at: pair.key.range), value: value))
            }
            return variables
        }
        guard let items = list(node, "'env'") else { return [] }
        for item in items {
            guard let text = string(item, "an item of 'env'") else { continue }
            let parts = text.value.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            guard checkEnvironmentName(name, item.range) else { continue }
            let value = parts.count == 2 ? Located(String(parts[1]), at: item.range) : nil
            variables.append(EnvironmentVariable(name: Located(name, at: item.range), value: value))
        }
        return variables
    }

    private mutating func checkEnvironmentName(_ name: String, _ range: SourceRange) -> Bool {
        let scalars = name.unicodeScalars
        let ok = !name.isEmpty && !("0"..."9").contains(scalars.first!)
            && scalars.allSatisfy { ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
        if !ok {
            error("env-name", "'\(name)' is not an environment variable name; names are letters, digits and '_', not starting with a digit", range)
        }
        return ok
    }

    mutating func labels(_ node: YAMLNode) -> [Label] {
        guard let pairs = node.mapping else {
            if node.scalar?.resolved != .null {
                error("type-mismatch", "'labels' must be a map from label to value, not \(node.kindDescription)", node.range)
            }
            return []
        }
        var labels: [Label] = []
        for pair in pairs {
            guard let key = pair.key.scalar else {
                error("key-not-string", "label names must be strings", pair.key.range)
                continue
            }
            if let value = string(pair.value, "label '\(key.text)'") {
                labels.append(Label(key: Located(key.text, at: pair.key.range), value: value))
            }
        }
        return labels
    }

    // MARK: - rootfs

    /// `rootfs` as a path string or (0.7) `{source: path | {type, path, dockerfile}, format}`.
    mutating func rootfs(_ node: YAMLNode, _ what: String) -> Rootfs? {
        if node.scalar != nil {
            return string(node, what).map { Rootfs(source: $0, range: node.range) }
        }
        guard let entries = map(node, what, known: ManifestKeys.rootfs) else { return nil }
        var source: Located<String>?
        var type: Located<String>?
        var format: Located<String>?
        for (key, value) in entries {
            switch key.value {
            case "format": format = string(value, "'format' of \(what)")
            case "source":
                if value.scalar != nil {
                    source = string(value, "'source' of \(what)")
                } else if let fields = map(value, "'source' of \(what)", known: ManifestKeys.rootfsSource) {
                    for (field, fieldValue) in fields {
                        switch field.value {
                        case "type": type = string(fieldValue, "'type' of \(what)")
                        case "path", "dockerfile": source = string(fieldValue, "'\(field.value)' of \(what)")
                        default: break
                        }
                    }
                }
            default: break
            }
        }
        guard let source else {
            error("rootfs-incomplete", "\(what) has no 'source'; name a folder, archive or Dockerfile", node.range)
            return nil
        }
        return Rootfs(source: source, type: type, format: format, range: node.range)
    }
}
