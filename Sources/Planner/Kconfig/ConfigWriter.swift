import Diagnostics

/// Writes a configuration exactly as conf's `conf_write` writes `.config`.
public enum ConfigWriter {
    /// The `.config` text: header, then the menu tree depth-first with menu and comment
    /// headings, `# end of …` lines, and each written symbol once, at its first place.
    public static func write(_ configuration: KconfigConfiguration) -> String {
        withLargeStack { writeOnThisThread(configuration) }
    }

    private static func writeOnThisThread(_ configuration: KconfigConfiguration) -> String {
        let e = configuration.evaluator
        let symbols = e.storage.symbols.symbols
        var out = heading(e.storage.mainMenu)
        var written = Array(repeating: false, count: symbols.count)
        var needNewline = false

        func isVisible(_ node: MenuNode) -> Bool {
            guard node.prompt != nil else { return false }
            if let v = node.visibility, e.eval(v) == .n { return false }
            return e.eval(node.dependency) != .n
        }

        func visit(_ node: MenuNode) {
            switch node.kind {
            case .menu, .comment:
                if isVisible(node) {
                    out += "\n#\n# \(node.prompt!)\n#\n"
                    needNewline = false
                }
            case .symbol(let id):
                let s = symbols[id]
                e.compute(id)
                if e.write[id] && !written[id] && s.type != .unknown {
                    written[id] = true
                    if needNewline {
                        out += "\n"
                        needNewline = false
                    }
                    out += line(for: s, evaluator: e)
                }
            case .choice, .ifBlock, .root:
                break
            }
            for child in node.children { visit(child) }
            if !node.children.isEmpty, case .menu = node.kind, isVisible(node) {
                out += "# end of \(node.prompt!)\n"
                needNewline = true
            }
        }
        for child in e.storage.root.children { visit(child) }
        return out
    }

    /// conf formats "\nAutomatically generated file; DO NOT EDIT.\n<title>\n" into a 256-byte
    /// buffer, then writes each line as a comment (`#` alone for empty lines).
    static func heading(_ title: String) -> String {
        var buffer = Array("\nAutomatically generated file; DO NOT EDIT.\n\(title)\n".utf8)
        if buffer.count > 255 { buffer.removeLast(buffer.count - 255) }
        var out = ""
        for line in buffer.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            out += line.isEmpty ? "#\n" : "# " + String(decoding: line, as: UTF8.self) + "\n"
        }
        return out
    }

    static func line(for s: KSymbol, evaluator e: KconfigEvaluator) -> String {
        switch s.type {
        case .bool, .tristate:
            // Without modules, `m` never survives evaluation.
            return e.tri[s.id] == .n ? "# CONFIG_\(s.name) is not set\n" : "CONFIG_\(s.name)=y\n"
        case .string:
            return "CONFIG_\(s.name)=\(quote(e.val[s.id]))\n"
        case .int, .hex:
            return "CONFIG_\(s.name)=\(e.val[s.id])\n"
        case .unknown:
            return ""
        }
    }

    /// `"text"` with `\` and `"` backslash-escaped, as conf writes strings.
    /// The inverse of `quote`: a `"…"` value without its quotes and escapes; other text as it is.
    public static func unquote(_ text: String) -> String {
        guard text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") else { return text }
        var out = ""
        var escaped = false
        for c in text.dropFirst().dropLast() {
            if escaped || c != "\\" { out.append(c); escaped = false } else { escaped = true }
        }
        return out
    }

    public static func quote(_ text: String) -> String {
        var out = "\""
        for c in text.unicodeScalars {
            if c == "\"" || c == "\\" { out += "\\" }
            out.unicodeScalars.append(c)
        }
        return out + "\""
    }
}
