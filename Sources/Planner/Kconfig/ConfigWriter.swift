import Manifest

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
    public static func quote(_ text: String) -> String {
        var out = "\""
        for c in text.unicodeScalars {
            if c == "\"" || c == "\\" { out += "\\" }
            out.unicodeScalars.append(c)
        }
        return out + "\""
    }
}

/// Reads `.config` files and seeds with conf's rules (`conf_read_simple`).
public enum ConfigReader {
    /// The assignments in `text`, in order, and warnings for lines conf would ignore or complain about.
    ///
    /// `CONFIG_X=value` keeps `value` raw (the evaluator checks it against the symbol's type);
    /// `# CONFIG_X is not set` is `.notSet`; other `#` lines are comments. A trailing `\r` is removed.
    public static func read(_ text: String, file: String) -> (assignments: [KconfigAssignment], diagnostics: [Diagnostic]) {
        var assignments: [KconfigAssignment] = []
        var diagnostics: [Diagnostic] = []
        var lineNumber = 0
        // Split on bytes: as a `Character`, "\r\n" is one grapheme and would not split on "\n".
        for raw in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            var bytes = Array(raw)
            if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
            let line = String(decoding: bytes, as: UTF8.self)
            if bytes.first == UInt8(ascii: "#") {
                guard bytes.count > 9, String(decoding: bytes[2..<9], as: UTF8.self) == "CONFIG_",
                      let space = bytes[9...].firstIndex(of: UInt8(ascii: " ")) else { continue }
                let rest = bytes[(space + 1)...]
                guard rest.starts(with: "is not set".utf8) else { continue }
                let name = String(decoding: bytes[9..<space], as: UTF8.self)
                assignments.append(KconfigAssignment(name: name, value: .notSet,
                                                     location: SourceLocation(file: file, line: lineNumber, column: 3)))
            } else if line.hasPrefix("CONFIG_") {
                guard let eq = bytes.firstIndex(of: UInt8(ascii: "=")) else {
                    diagnostics.append(.warning("config-malformed",
                        "'\(line)' has no '='; write 'CONFIG_NAME=value' (the line is ignored)",
                        at: SourceLocation(file: file, line: lineNumber, column: 1)))
                    continue
                }
                let name = String(decoding: bytes[7..<eq], as: UTF8.self)
                let value = String(decoding: bytes[(eq + 1)...], as: UTF8.self)
                let column = String(decoding: bytes[..<eq], as: UTF8.self).unicodeScalars.count + 2
                assignments.append(KconfigAssignment(name: name, value: .raw(value),
                                                     location: SourceLocation(file: file, line: lineNumber, column: column)))
            } else if !bytes.isEmpty {
                diagnostics.append(.warning("config-unexpected",
                    "unexpected data '\(line)'; expected 'CONFIG_NAME=value', '# CONFIG_NAME is not set' or a comment (the line is ignored)",
                    at: SourceLocation(file: file, line: lineNumber, column: 1)))
            }
        }
        return (assignments, diagnostics)
    }
}
