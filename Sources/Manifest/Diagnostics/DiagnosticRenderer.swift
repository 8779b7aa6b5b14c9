/// Prints diagnostics the way compilers do:
///
///     kraft.yaml:12:15: error: unknown platform 'firecraker'; did you mean 'firecracker'? [unknown-platform]
///        12 |   - platform: firecraker
///           |               ^~~~~~~~~~
///     kraft.yaml:3:3: note: ...
///
/// Colour (ANSI) only when asked for, which the command line does on a terminal.
public struct DiagnosticRenderer {
    public var sources: [String: SourceText]
    public var color: Bool

    public init(sources: [String: SourceText] = [:], color: Bool = false) {
        self.sources = sources
        self.color = color
    }

    public func render(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map(render).joined()
    }

    public func render(_ d: Diagnostic) -> String {
        var out = headline(d.location, d.severity.rawValue, d.message + " [\(d.id)]", severity: d.severity)
        out += excerpt(d.location, fixIt: d.fixIt)
        for note in d.notes {
            out += headline(note.location, "note", note.message, severity: .note)
            if note.location != d.location { out += excerpt(note.location, fixIt: nil) }
        }
        return out
    }

    private func headline(_ location: SourceLocation?, _ label: String, _ message: String, severity: Severity) -> String {
        let colouredLabel: String
        switch severity {
        case .error: colouredLabel = paint("\(label):", "1;31")
        case .warning: colouredLabel = paint("\(label):", "1;35")
        case .note: colouredLabel = paint("\(label):", "1;36")
        }
        let file = location.map { VisibleText.escaped($0.file) } ?? ""
        let place = location.map { "\(file):\($0.range.start.line):\($0.range.start.column): " } ?? ""
        return paint(place, "1") + colouredLabel + " " + VisibleText.escaped(message) + "\n"
    }

    /// The source line with a caret under the start and `~` under the rest of the range
    /// (to the end of the line when the range spans lines).
    private func excerpt(_ location: SourceLocation?, fixIt: FixIt?) -> String {
        guard let location, let source = sources[location.file] else { return "" }
        let lineNumber = location.range.start.line
        guard lineNumber >= 1, lineNumber <= source.lineCount else { return "" }
        let line = source.line(lineNumber)
        let scalars = Array(line.unicodeScalars)
        let startColumn = max(1, min(location.range.start.column, scalars.count + 1))
        let endColumn: Int
        if location.range.end.line == lineNumber {
            endColumn = max(startColumn + 1, min(location.range.end.column, scalars.count + 1))
        } else {
            endColumn = max(startColumn + 1, scalars.count + 1)
        }
        // The line as printed (unsafe characters escaped); the marker counts printed widths
        // and keeps tabs, so the caret lines up under the character it points at.
        let printed = scalars.map { VisibleText.printed($0, keepTabs: true) }
        func blanks(_ range: Range<Int>) -> String {
            range.map { i in i < printed.count ? (printed[i] == "\t" ? "\t" : String(repeating: " ", count: printed[i].count)) : " " }.joined()
        }
        let underlined = (startColumn - 1..<endColumn - 1).map { i in i < printed.count ? max(1, printed[i].count) : 1 }.reduce(0, +)
        let marker = blanks(0..<startColumn - 1) + "^" + String(repeating: "~", count: max(0, underlined - 1))
        let gutter = String(lineNumber)
        let pad = String(repeating: " ", count: gutter.count)
        var out = " \(gutter) | \(printed.joined())\n \(pad) | \(paint(marker, "1;32"))\n"
        if let fixIt, fixIt.range.start.line == lineNumber {
            out += " \(pad) | fix-it: \(Self.describe(fixIt))\n"
        }
        return out
    }

    /// A fix-it in words: an insertion of whole lines is said as such, not as a replacement
    /// whose text ends in an escaped line break.
    public static func describe(_ fixIt: FixIt) -> String {
        let start = fixIt.range.start
        guard fixIt.range.end == start else { return "replace with `\(VisibleText.escaped(fixIt.replacement))`" }
        if start.column == 1, fixIt.replacement.hasSuffix("\n"), !fixIt.replacement.dropLast().contains("\n") {
            let line = VisibleText.escaped(String(fixIt.replacement.dropLast()))
            return start.line == 1 ? "insert `\(line)` as the first line" : "insert `\(line)` as a new line before line \(start.line)"
        }
        return "insert `\(VisibleText.escaped(fixIt.replacement))` here"
    }

    private func paint(_ text: String, _ code: String) -> String {
        color && !text.isEmpty ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
