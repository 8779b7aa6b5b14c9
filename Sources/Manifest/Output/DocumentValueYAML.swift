import Diagnostics

extension DocumentValue {
    // MARK: - YAML

    /// Block-style YAML; strings are quoted whenever a YAML 1.1 reader could read them
    /// as anything but the same string.
    public func yaml() -> String {
        var out = ""
        writeYAML(into: &out, indent: 0, inline: false)
        return out.isEmpty || out.hasSuffix("\n") ? out : out + "\n"
    }

    private var isScalar: Bool {
        switch self {
        case .list(let items): return items.isEmpty
        case .map(let pairs): return pairs.isEmpty
        default: return true
        }
    }

    fileprivate func scalarYAML() -> String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .string(let s): return Self.yamlString(s)
        case .list: return "[]"
        case .map: return "{}"
        }
    }

    fileprivate func writeYAML(into out: inout String, indent: Int, inline: Bool) {
        let pad = String(repeating: "  ", count: indent)
        switch self {
        case .list(let items) where !items.isEmpty:
            for (i, item) in items.enumerated() {
                out += (inline && i == 0 ? "" : pad) + "- "
                if item.isScalar {
                    out += item.scalarYAML() + "\n"
                } else {
                    item.writeYAML(into: &out, indent: indent + 1, inline: true)
                }
            }
        case .map(let pairs) where !pairs.isEmpty:
            for (i, (key, value)) in pairs.enumerated() {
                out += (inline && i == 0 ? "" : pad) + Self.yamlString(key) + ":"
                if value.isScalar {
                    out += " " + value.scalarYAML() + "\n"
                } else {
                    out += "\n"
                    value.writeYAML(into: &out, indent: indent + 1, inline: false)
                }
            }
        default:
            out += scalarYAML() + "\n"
        }
    }

    static func yamlString(_ s: String) -> String {
        let plainSafe = !s.isEmpty
            && YAMLScalar(text: s).resolved == .string
            && s.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "_-./=+@".unicodeScalars.contains($0) }
            && !s.hasPrefix("-") && !s.hasPrefix("@")
        if plainSafe { return s }
        if s.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F && !(0x80...0x9F).contains($0.value) }) {
            return "'" + s.replacingQuotes + "'"
        }
        return jsonString(s)
    }
}

extension String {
    fileprivate var replacingQuotes: String {
        var out = ""
        for c in self {
            if c == "'" { out += "''" } else { out.append(c) }
        }
        return out
    }
}
