import Diagnostics

extension DecodeContext {
    /// `unikraft:`, a library's value or `template:`: a scalar shorthand or a map.
    /// A scalar is a version unless it is clearly a source (a URL, or a path
    /// starting with `/`, `./`, `../` or `~`); `scalarIsSource` makes every scalar a
    /// source (spec 0.7's `template`).
    mutating func component(_ node: YAMLNode, _ what: String, known: [String], scalarIsSource: Bool = false) -> Component? {
        if let scalar = node.scalar {
            switch scalar.resolved {
            case .null:
                return Component(range: node.range)
            case .bool:
                error("component-bool", "\(what) cannot be \(scalar.text); give a version such as 'stable', a map, or remove the entry", node.range)
                return nil
            default:
                break
            }
            guard let text = string(node, what) else { return nil }
            if scalarIsSource || Self.isSource(text.value) {
                return Component(source: text, range: node.range)
            }
            warnIfNumberReading(node, "the version")
            return Component(version: text, range: node.range)
        }
        guard let entries = map(node, what, known: known) else { return nil }
        var component = Component(range: node.range)
        for (key, value) in entries {
            if case .bool? = value.scalar?.resolved, key.value != "kconfig" {
                error("component-bool", "'\(key.value)' of \(what) cannot be \(value.scalar!.text); write a version such as 'stable' or a source, quoted if needed", value.range)
                continue
            }
            switch key.value {
            case "source":
                component.source = string(value, "'source' of \(what)")
            case "version":
                if value.scalar?.resolved == .null {
                    error("missing-value", "'version' of \(what) is null; write a version such as 'stable', or remove the key", value.range)
                } else {
                    warnIfNumberReading(value, "the version")
                    component.version = string(value, "'version' of \(what)")
                }
            case "kconfig":
                component.kconfig = kconfig(value, what)
            default:
                break
            }
        }
        return component
    }

    /// A string names a source rather than a version when it has a URL scheme, is an
    /// scp-style git address, or is a path.
    static func isSource(_ text: String) -> Bool {
        text.contains("://") || text.hasPrefix("git@") || text.hasPrefix("/") || text.hasPrefix("./")
            || text.hasPrefix("../") || text.hasPrefix("~") || text == "." || text == ".."
    }

    /// `libraries:`, a map from name to component, in manifest order.
    mutating func libraries(_ node: YAMLNode) -> [Library] {
        guard let pairs = node.mapping else {
            if node.scalar?.resolved == .null { return [] }
            if let items = node.sequence {
                error("type-mismatch", "'libraries' must be a map from library name to version or settings, not a list", node.range,
                      notes: [DiagnosticNote("write each item as 'name: version', for example 'musl: stable'")])
                _ = items
            } else {
                error("type-mismatch", "'libraries' must be a map from library name to version or settings, not \(node.kindDescription)", node.range)
            }
            return []
        }
        guard within(pairs.count, \.maxLibraries, "'libraries'", node.range) else { return [] }
        var libraries: [Library] = []
        var seen: [String: SourceRange] = [:]
        for pair in pairs {
            guard let key = pair.key.scalar, key.resolved != .null else {
                error("key-not-string", "library names must be strings, not \(pair.key.kindDescription)", pair.key.range)
                continue
            }
            if let first = seen[key.text] {
                error("duplicate-key", "library '\(key.text)' is listed twice", pair.key.range,
                      notes: [DiagnosticNote("first listed here", at: location(first))])
                continue
            }
            seen[key.text] = pair.key.range
            if key.text.hasPrefix("x-") { continue }
            if let problem = PathComponent.problem(key.text) {
                error("name-not-component", "library name '\(key.text)' cannot name its folder 'lib-<name>': \(problem)", pair.key.range,
                      notes: [DiagnosticNote("a library name is \(PathComponent.rule), such as 'musl'")])
                continue
            }
            if let component = component(pair.value, "library '\(key.text)'", known: ManifestKeys.component) {
                libraries.append(Library(name: Located(key.text, at: pair.key.range), component: component))
            }
        }
        return libraries
    }
}
