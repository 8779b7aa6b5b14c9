import Diagnostics

/// Reads a `.env` file: `NAME=value` lines, `export NAME=value`, `#` comments,
/// blank lines, and values in single quotes (literal) or double quotes (with
/// `\n`, `\"` and `\\` escapes). Unquoted values end at ` #` and are trimmed.
public enum EnvFile {
    public static func parse(_ text: String, file: String) -> (values: [String: String], diagnostics: [Diagnostic]) {
        var values: [String: String] = [:]
        var diagnostics: [Diagnostic] = []
        let source = SourceText(file: file, text: text)
        for number in 1...max(1, source.lineCount) {
            let raw = source.line(number)
            var line = Substring(raw.trimmingSpaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = line.dropFirst("export ".count) }
            let indent = raw.unicodeScalars.count - raw.trimmingSpaces.unicodeScalars.count
            guard let eq = line.firstIndex(of: "=") else {
                diagnostics.append(.warning("env-file-syntax", "expected 'NAME=value'; the line is ignored",
                                            at: SourceLocation(file: file, line: number, column: indent + 1)))
                continue
            }
            let name = String(line[..<eq]).trimmingSpaces
            guard !name.isEmpty, name.unicodeScalars.allSatisfy({ $0 == "_" || ("0"..."9").contains($0) || ("A"..."Z").contains($0) || ("a"..."z").contains($0) }),
                  let first = name.unicodeScalars.first, !("0"..."9").contains(first) else {
                diagnostics.append(.warning("env-file-syntax", "'\(name)' is not a variable name; the line is ignored",
                                            at: SourceLocation(file: file, line: number, column: indent + 1)))
                continue
            }
            values[name] = value(String(line[line.index(after: eq)...]).trimmingSpaces)
        }
        return (values, diagnostics)
    }

    private static func value(_ raw: String) -> String {
        if raw.count >= 2, raw.hasPrefix("'"), raw.hasSuffix("'") { return String(raw.dropFirst().dropLast()) }
        if raw.count >= 2, raw.hasPrefix("\""), raw.hasSuffix("\"") {
            var out = ""
            var escaped = false
            for c in raw.dropFirst().dropLast() {
                if escaped {
                    out.append(c == "n" ? "\n" : c)
                    escaped = false
                } else if c == "\\" {
                    escaped = true
                } else {
                    out.append(c)
                }
            }
            return out
        }
        let scalars = Array(raw.unicodeScalars)
        for i in scalars.indices.dropFirst() where scalars[i] == "#" && (scalars[i - 1] == " " || scalars[i - 1] == "\t") {
            return String(String.UnicodeScalarView(scalars[..<i])).trimmingSpaces
        }
        return raw
    }
}
