import Diagnostics

extension DecodeContext {
    /// Decodes a `kconfig:` section in list form (`- CONFIG_X=y`) or map form
    /// (`CONFIG_X: y`) into one ordered list. A key given twice is a warning and
    /// the later value wins (real catalog files repeat `CONFIG_` keys).
    mutating func kconfig(_ node: YAMLNode, _ owner: String) -> [KconfigOption] {
        let what = "the kconfig of \(owner)"
        let count = node.sequence?.count ?? node.mapping?.count ?? 0
        guard within(count, \.maxKconfigOptions, what, node.range) else { return [] }
        var options: [KconfigOption] = []
        if let items = node.sequence {
            for item in items {
                if let option = kconfigListItem(item, what) { options.append(option) }
            }
        } else if let pairs = node.mapping {
            for pair in pairs {
                if let option = kconfigMapEntry(pair, what) { options.append(option) }
            }
        } else if node.scalar?.resolved == .null {
            return []
        } else {
            error("type-mismatch", "\(what) must be a list of 'CONFIG_X=value' items or a map of 'CONFIG_X: value' entries, not \(node.kindDescription)", node.range)
            return []
        }
        return dropOverridden(options, what)
    }

    private mutating func dropOverridden(_ options: [KconfigOption], _ what: String) -> [KconfigOption] {
        var seen = Set<String>(minimumCapacity: options.count)
        guard !options.allSatisfy({ seen.insert($0.symbol.value).inserted }) else { return options }
        var lastIndex: [String: Int] = [:]
        for (i, option) in options.enumerated() { lastIndex[option.symbol.value] = i }
        var kept: [KconfigOption] = []
        for (i, option) in options.enumerated() {
            let last = lastIndex[option.symbol.value]!
            if last == i {
                kept.append(option)
            } else {
                let later = options[last]
                warning("kconfig-duplicate", "'\(option.symbol.value)' is set again in \(what); the later value '\(later.value.value.seedText)' wins",
                        later.symbol.range,
                        notes: [DiagnosticNote("first set here to '\(option.value.value.seedText)'", at: location(option.symbol.range))])
            }
        }
        return kept
    }

    private mutating func kconfigListItem(_ item: YAMLNode, _ what: String) -> KconfigOption? {
        guard let scalar = item.scalar, scalar.resolved != .null else {
            error("kconfig-item", "items of \(what) must be 'CONFIG_X=value' strings, not \(item.kindDescription)", item.range)
            return nil
        }
        let text = interpolate(scalar, item.range)
        let contentStart = SourcePosition(line: item.range.start.line, column: item.range.start.column + (scalar.style == .plain ? 0 : 1))
        guard let eq = text.unicodeScalars.firstIndex(of: "=") else {
            let symbol = symbolName(text.trimmingSpaces, item.range)
            warning("kconfig-no-value", "'\(text)' has no '=value'; it is read as '\(symbol)=y'", item.range,
                    fixIt: FixIt(range: item.range, replacement: "\(symbol)=y"))
            return KconfigOption(symbol: Located(symbol, at: item.range), value: Located(KconfigLiteral(text: "y"), at: item.range))
        }
        let key = String(text.unicodeScalars[..<eq]).trimmingSpaces
        let rawValue = String(text.unicodeScalars[text.unicodeScalars.index(after: eq)...])
        let keyLength = text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: eq)
        let sameLine = item.range.start.line == item.range.end.line
        let keyRange = sameLine
            ? SourceRange(start: contentStart, end: SourcePosition(line: contentStart.line, column: contentStart.column + keyLength))
            : item.range
        let valueRange = sameLine
            ? SourceRange(start: SourcePosition(line: contentStart.line, column: contentStart.column + keyLength + 1), end: item.range.end)
            : item.range
        guard !key.isEmpty else {
            error("kconfig-item", "'\(text)' has no symbol name before '='", item.range)
            return nil
        }
        let symbol = symbolName(key, keyRange)
        return KconfigOption(symbol: Located(symbol, at: keyRange), value: Located(kconfigText(rawValue, valueRange), at: valueRange))
    }

    private mutating func kconfigMapEntry(_ pair: YAMLPair, _ what: String) -> KconfigOption? {
        guard let key = pair.key.scalar else {
            error("key-not-string", "keys in \(what) must be symbol names, not \(pair.key.kindDescription)", pair.key.range)
            return nil
        }
        let symbol = symbolName(key.text.trimmingSpaces, pair.key.range)
        guard let scalar = pair.value.scalar else {
            error("kconfig-value", "the value of '\(symbol)' must be 'y', 'n', a number or a string, not \(pair.value.kindDescription)", pair.value.range)
            return nil
        }
        let value: KconfigLiteral
        switch scalar.resolved {
        case .null:
            error("kconfig-value", "'\(symbol)' has no value; write 'y', 'n', a number or a string", pair.value.range.start == pair.value.range.end ? pair.key.range : pair.value.range)
            return nil
        case .bool(let b):
            value = KconfigLiteral(text: b ? "y" : "n")
        default:
            value = kconfigText(interpolate(scalar, pair.value.range), pair.value.range)
        }
        return KconfigOption(symbol: Located(symbol, at: pair.key.range), value: Located(value, at: pair.value.range))
    }

    /// `X` → `CONFIG_X`, with a note; a name with characters Kconfig does not allow is an error.
    private mutating func symbolName(_ key: String, _ range: SourceRange) -> String {
        let valid = key.utf8.allSatisfy { c in
            (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z"))
                || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "_")
        }
        if !valid || key.isEmpty {
            error("kconfig-symbol", "'\(key)' is not a Kconfig symbol name; names are letters, digits and '_'", range)
            return key
        }
        if key.hasPrefix("CONFIG_") { return key }
        note("kconfig-prefix", "'\(key)' is read as 'CONFIG_\(key)'", range)
        return "CONFIG_" + key
    }

    /// A value's text: `"…"` is a Kconfig string with `\"` and `\\` escapes. A `.config`
    /// holds one value per line, so line breaks and other control characters are errors.
    private mutating func kconfigText(_ raw: String, _ range: SourceRange) -> KconfigLiteral {
        if !KconfigLiteral.canHold(raw) {
            error("kconfig-value", "a kconfig value cannot hold a line break or another control character; a .config has one value per line", range)
            return KconfigLiteral(text: "")
        }
        let scalars = Array(raw.unicodeScalars)
        guard scalars.count >= 2, scalars.first == "\"", scalars.last == "\"" else {
            if scalars.first == "\"" {
                error("kconfig-value", "the string value \(raw) has no closing '\"'", range)
            }
            return KconfigLiteral(text: raw)
        }
        var out = String.UnicodeScalarView()
        var i = 1
        while i < scalars.count - 1 {
            if scalars[i] == "\\", i + 1 < scalars.count - 1 {
                out.append(scalars[i + 1])
                i += 2
                continue
            }
            out.append(scalars[i])
            i += 1
        }
        return KconfigLiteral(text: String(out), quoted: true)
    }
}
