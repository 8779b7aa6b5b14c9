import CLibYAML
import Diagnostics

/// Reads one YAML document into a located node tree, driving libyaml's event parser.
///
/// Never crashes on bad input: every problem (invalid UTF-8, syntax errors, a tab in
/// indentation, several documents, an empty file, an alias bomb, too deep nesting)
/// becomes a diagnostic at a precise position.
public struct YAMLReader {
    public var limits: YAMLLimits

    public init(limits: YAMLLimits = YAMLLimits()) {
        self.limits = limits
    }

    /// The result of reading: the root node (nil when the file has no usable document)
    /// and the diagnostics found.
    public struct Result: Sendable {
        public var root: YAMLNode?
        public var diagnostics: [Diagnostic]
        public var source: SourceText
    }

    public func read(_ bytes: [UInt8], file: String) -> Result {
        let source = SourceText(file: file, bytes: bytes)
        func at(_ position: SourcePosition) -> SourceLocation {
            SourceLocation(file: file, range: SourceRange(at: position))
        }
        func fail(_ d: Diagnostic) -> Result { Result(root: nil, diagnostics: [d], source: source) }

        if bytes.count > limits.maxBytes {
            return fail(.error(
                "limit-input-size",
                "the file is \(bytes.count) bytes, more than the limit of \(limits.maxBytes) bytes",
                at: at(SourcePosition(line: 1, column: 1)),
                notes: [DiagnosticNote(Limits.howToRaise(\.maxBytes))]))
        }
        if bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE]) {
            return fail(.error(
                "yaml-encoding", "the file is UTF-16 encoded; manifests must be UTF-8",
                at: at(SourcePosition(line: 1, column: 1)),
                notes: [DiagnosticNote("convert it, for example with 'iconv -f UTF-16 -t UTF-8'")]))
        }
        if let (offset, byte) = SourceText.firstInvalidUTF8(in: bytes) {
            let hex = String(byte, radix: 16, uppercase: true)
            return fail(.error(
                "yaml-encoding", "invalid UTF-8 byte 0x\(hex.count == 1 ? "0" + hex : hex); manifests must be UTF-8 text",
                at: at(source.position(ofByteOffset: offset))))
        }
        // libyaml would count a byte-order mark as a column; positions start after it.
        let bomLength = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var builder = TreeBuilder(file: file, source: source, limits: limits, byteOffsetBase: bomLength)
        bytes[bomLength...].withUnsafeBufferPointer { buffer in
            builder.run(buffer)
        }
        return Result(root: builder.root, diagnostics: builder.diagnostics, source: source)
    }
}

/// Turns libyaml events into nodes. One instance reads one stream.
private struct TreeBuilder {
    let file: String
    let source: SourceText
    let limits: YAMLLimits
    /// Bytes of the input not given to libyaml (a byte-order mark), for mapping its byte offsets.
    let byteOffsetBase: Int

    var root: YAMLNode?
    var diagnostics: [Diagnostic] = []

    /// Open collections, innermost last.
    private var stack: [Frame] = []
    private var anchors: [String: (node: YAMLNode, size: Int, bytes: Int)] = [:]
    private var nodeCount = 0
    /// Bytes of scalar text in the tree, aliases expanded (what the decoder and emitters will copy).
    private var expandedBytes = 0
    private var documents = 0
    private var firstDocumentStart: SourcePosition?

    private struct Frame {
        var isMapping: Bool
        var start: SourcePosition
        var anchor: String?
        var items: [YAMLNode] = []
        var size = 1
        var bytes = 0
    }

    init(file: String, source: SourceText, limits: YAMLLimits, byteOffsetBase: Int) {
        self.file = file
        self.source = source
        self.limits = limits
        self.byteOffsetBase = byteOffsetBase
    }

    private func location(_ start: SourcePosition, _ end: SourcePosition? = nil) -> SourceLocation {
        SourceLocation(file: file, range: SourceRange(start: start, end: end ?? start))
    }

    private static func position(_ mark: yaml_mark_t) -> SourcePosition {
        SourcePosition(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    mutating func run(_ buffer: UnsafeBufferPointer<UInt8>) {
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard yaml_parser_initialize(parser) == 1 else {
            diagnostics.append(.error("yaml-internal", "could not initialise the YAML parser (out of memory)", at: nil))
            return
        }
        defer { yaml_parser_delete(parser) }
        yaml_parser_set_input_string(parser, buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!, buffer.count)
        yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)

        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(parser, &event) == 1 else {
                reportParserError(parser.pointee)
                return
            }
            let keepGoing = handle(&event)
            let type = event.type
            yaml_event_delete(&event)
            if !keepGoing || type == YAML_STREAM_END_EVENT { break }
        }
        if documents == 0 && diagnostics.isEmpty {
            diagnostics.append(.error(
                "manifest-empty", "the file is empty; a manifest is a YAML map with at least a 'spec' key",
                at: location(SourcePosition(line: 1, column: 1)),
                notes: [DiagnosticNote("start it with 'spec: v0.6' and a 'targets' list, or delete it")]))
        }
    }

    /// Handles one event; returns false to stop reading.
    private mutating func handle(_ event: inout yaml_event_t) -> Bool {
        let start = Self.position(event.start_mark)
        let end = Self.position(event.end_mark)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents == 1 {
                firstDocumentStart = start
            } else {
                diagnostics.append(.error(
                    "yaml-multiple-documents",
                    "the file holds more than one YAML document; a manifest is a single document",
                    at: location(start, end),
                    notes: [DiagnosticNote("the first document starts here", at: location(firstDocumentStart ?? start))]))
                return false
            }
        case YAML_SCALAR_EVENT:
            let s = event.data.scalar
            if s.length > limits.maxScalarBytes {
                diagnostics.append(.error(
                    "limit-scalar-size", "this value is \(s.length) bytes, more than the limit of \(limits.maxScalarBytes) bytes",
                    at: location(start, end), notes: [DiagnosticNote(Limits.howToRaise(\.maxScalarBytes))]))
                return false
            }
            let text = String(decoding: UnsafeBufferPointer(start: s.value, count: s.length), as: UTF8.self)
            let style: ScalarStyle
            switch s.style {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
            case YAML_LITERAL_SCALAR_STYLE: style = .literal
            case YAML_FOLDED_SCALAR_STYLE: style = .folded
            default: style = .plain
            }
            let tag = s.tag.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
            let node = YAMLNode(.scalar(YAMLScalar(text: text, style: style, tag: tag)), range: SourceRange(start: start, end: end))
            return add(node, size: 1, bytes: s.length, anchor: Self.string(s.anchor))
        case YAML_ALIAS_EVENT:
            let name = Self.string(event.data.alias.anchor) ?? ""
            guard let target = anchors[name] else {
                diagnostics.append(.error("yaml-unknown-alias", "alias '*\(name)' refers to no anchor defined before it", at: location(start, end)))
                return false
            }
            var copy = target.node
            copy.range = SourceRange(start: start, end: end)
            return add(copy, size: target.size, bytes: target.bytes, anchor: nil)
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            if stack.count >= limits.maxDepth {
                diagnostics.append(.error(
                    "limit-nesting-depth",
                    "lists and maps are nested more than \(limits.maxDepth) levels deep",
                    at: location(start, end),
                    notes: [DiagnosticNote("no manifest needs this much nesting; the limit guards against hostile input"), DiagnosticNote(Limits.howToRaise(\.maxDepth))]))
                return false
            }
            let anchor = event.type == YAML_SEQUENCE_START_EVENT
                ? Self.string(event.data.sequence_start.anchor) : Self.string(event.data.mapping_start.anchor)
            stack.append(Frame(isMapping: event.type == YAML_MAPPING_START_EVENT, start: start, anchor: anchor))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            let frame = stack.removeLast()
            let range = SourceRange(start: frame.start, end: end)
            let node: YAMLNode
            if frame.isMapping {
                var pairs: [YAMLPair] = []
                pairs.reserveCapacity(frame.items.count / 2)
                var i = 0
                while i + 1 < frame.items.count {
                    pairs.append(YAMLPair(key: frame.items[i], value: frame.items[i + 1]))
                    i += 2
                }
                node = YAMLNode(.mapping(pairs), range: range)
            } else {
                node = YAMLNode(.sequence(frame.items), range: range)
            }
            return add(node, size: frame.size, bytes: frame.bytes, anchor: frame.anchor, counted: true)
        default:
            break
        }
        return true
    }

    /// Adds a finished node to the innermost open collection, or makes it the root.
    private mutating func add(_ node: YAMLNode, size: Int, bytes: Int, anchor: String?, counted: Bool = false) -> Bool {
        if !counted {
            nodeCount += size
            expandedBytes += bytes
        } else {
            nodeCount += 1
        }
        if expandedBytes > limits.maxExpandedBytes {
            diagnostics.append(.error(
                "limit-expanded-size",
                "the document's values add up to more than \(limits.maxExpandedBytes) bytes with aliases expanded",
                at: location(node.range.start, node.range.end),
                notes: [DiagnosticNote("aliases ('*name') copy what their anchor holds into every file that uses it"), DiagnosticNote(Limits.howToRaise(\.maxExpandedBytes))]))
            return false
        }
        if nodeCount > limits.maxNodes {
            diagnostics.append(.error(
                "limit-alias-expansion",
                "the document expands to more than \(limits.maxNodes) nodes",
                at: location(node.range.start, node.range.end),
                notes: [DiagnosticNote("aliases ('*name') copy what their anchor holds; nested aliases multiply it"), DiagnosticNote(Limits.howToRaise(\.maxNodes))]))
            return false
        }
        if let anchor { anchors[anchor] = (node, size, bytes) }
        if stack.isEmpty {
            root = node
        } else {
            stack[stack.count - 1].items.append(node)
            stack[stack.count - 1].size += size
            stack[stack.count - 1].bytes += bytes
        }
        return true
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
    }

    // MARK: - Errors

    private mutating func reportParserError(_ parser: yaml_parser_t) {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown error"
        if parser.error == YAML_READER_ERROR {
            let position = source.position(ofByteOffset: parser.problem_offset + byteOffsetBase)
            diagnostics.append(.error("yaml-syntax", Self.reword(problem, at: nil), at: location(position)))
            return
        }
        let position = Self.position(parser.problem_mark)
        var notes: [DiagnosticNote] = []
        if let context = parser.context.map({ String(cString: $0) }) {
            notes.append(DiagnosticNote(context, at: location(Self.position(parser.context_mark))))
        }
        let character = scalar(at: position)
        if character == "\t" {
            diagnostics.append(.error(
                "yaml-tab", "a tab character is not allowed here; YAML indents with spaces only",
                at: location(position, SourcePosition(line: position.line, column: position.column + 1)),
                fixIt: FixIt(range: SourceRange(start: position, end: SourcePosition(line: position.line, column: position.column + 1)), replacement: "  ")))
            return
        }
        diagnostics.append(.error("yaml-syntax", Self.reword(problem, at: character), at: location(position), notes: notes))
    }

    /// The scalar at a position, if the position is inside the text.
    private func scalar(at position: SourcePosition) -> Unicode.Scalar? {
        let line = Array(source.line(position.line).unicodeScalars)
        let index = position.column - 1
        return index >= 0 && index < line.count ? line[index] : nil
    }

    /// libyaml's messages, made to follow the house style where it helps.
    private static func reword(_ problem: String, at character: Unicode.Scalar?) -> String {
        switch problem {
        case "found character that cannot start any token":
            if let c = character { return "the character '\(c)' cannot start a YAML value here; quote the value" }
            return "a character here cannot start a YAML value; quote the value"
        case "mapping values are not allowed in this context":
            return "a ':' here starts a map where none is allowed; quote the value if the colon is part of it, or fix the indentation"
        case "did not find expected key":
            return "expected a key at this indentation; check that the lines of this map line up"
        case "did not find expected '-' indicator":
            return "expected a '-' list item at this indentation; check that the items of this list line up"
        case "found undefined tag handle":
            return "unknown tag handle; only '!' and '!!' tags are defined"
        default:
            return problem
        }
    }
}
