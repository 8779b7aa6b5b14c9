import Diagnostics

/// A manifest's bytes with their located YAML tree, and the byte arithmetic a text edit
/// needs: offsets of positions, line ends, the file's line break. Positions follow
/// `SourcePosition` (1-based, columns in Unicode scalars).
struct EditableText {
    let bytes: [UInt8]
    let source: SourceText
    let root: YAMLNode

    /// Reads `bytes`; nil with the reader's diagnostics when they are not one YAML document.
    static func read(_ bytes: [UInt8], file: String) -> (EditableText?, [Diagnostic]) {
        let result = YAMLReader().read(bytes, file: file)
        guard let root = result.root, !result.diagnostics.contains(where: { $0.severity == .error }) else {
            return (nil, result.diagnostics)
        }
        return (EditableText(bytes: bytes, source: result.source, root: root), [])
    }

    func offset(_ position: SourcePosition) -> Int { source.byteOffset(of: position) }

    /// The offset just after the last character of `line` (before its line break).
    func contentEnd(ofLine line: Int) -> Int {
        offset(SourcePosition(line: line, column: source.line(line).unicodeScalars.count + 1))
    }

    func lineStart(_ line: Int) -> Int { offset(SourcePosition(line: line, column: 1)) }

    /// The text from the start of the node's line to the node.
    func prefix(of node: YAMLNode) -> String {
        String(decoding: bytes[lineStart(node.range.start.line)..<offset(node.range.start)], as: UTF8.self)
    }

    /// The text after the node on its last line.
    func suffix(of node: YAMLNode) -> String {
        String(decoding: bytes[offset(node.range.end)..<contentEnd(ofLine: node.range.end.line)], as: UTF8.self)
    }

    /// The first byte of the node's text (`*` for an alias, `&` for an anchor, `!` for a tag, `[`/`{` for flow style).
    func firstByte(of node: YAMLNode) -> UInt8? {
        let at = offset(node.range.start)
        return at < bytes.count ? bytes[at] : nil
    }

    func isFlow(_ node: YAMLNode) -> Bool {
        node.scalar == nil && (firstByte(of: node) == UInt8(ascii: "[") || firstByte(of: node) == UInt8(ascii: "{"))
    }

    /// The line break the file uses: that of the first line that has one, else `\n`.
    var lineBreak: String {
        guard let lf = bytes.firstIndex(where: { $0 == 0x0A || $0 == 0x0D }) else { return "\n" }
        if bytes[lf] == 0x0D { return lf + 1 < bytes.count && bytes[lf + 1] == 0x0A ? "\r\n" : "\r" }
        return "\n"
    }

    /// The last line holding text of `node` (a block scalar's or block collection's end mark is
    /// at the start of the line after it).
    func lastLine(of node: YAMLNode) -> Int {
        switch node.kind {
        case .scalar:
            let end = node.range.end
            return end.column == 1 && end.line > node.range.start.line ? end.line - 1 : end.line
        case .sequence(let items):
            if isFlow(node) { return node.range.end.line }
            return items.map(lastLine).max() ?? node.range.start.line
        case .mapping(let pairs):
            if isFlow(node) { return node.range.end.line }
            return pairs.map { max(lastLine(of: $0.key), lastLine(of: $0.value)) }.max() ?? node.range.start.line
        }
    }

    /// The bytes with `range` replaced by `text`.
    func replacing(_ range: Range<Int>, with text: String) -> [UInt8] {
        var out = bytes
        out.replaceSubrange(range, with: Array(text.utf8))
        return out
    }

    func location(_ node: YAMLNode) -> SourceLocation {
        SourceLocation(file: source.file, range: node.range)
    }
}
