import Diagnostics

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
