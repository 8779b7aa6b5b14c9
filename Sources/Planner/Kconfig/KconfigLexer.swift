import Diagnostics

/// A token of a Kconfig file.
struct KToken {
    enum Kind: Equatable {
        case eol, eof
        case word, quoted, assignValue
        case keyword(String)
        case op(String)
    }

    var kind: Kind
    var text: String
    var line: Int
    var column: Int
}

/// Tokenizes one Kconfig file the way conf's flex lexer does: keywords anywhere,
/// `#` comments, backslash-newline continuation, quoted strings with escapes,
/// macros expanded inside words and strings, raw values after `X =`, and help
/// bodies ended by indentation.
struct KconfigLexer {
    static let keywords: Set<String> = [
        "allnoconfig_y", "bool", "choice", "comment", "config", "def_bool", "def_tristate", "default",
        "defconfig_list", "depends", "endchoice", "endif", "endmenu", "help", "---help---", "hex", "if",
        "imply", "int", "mainmenu", "menu", "menuconfig", "modules", "on", "option", "optional", "prompt",
        "range", "select", "source", "string", "tristate", "visible", "osource", "rsource", "orsource",
        "transitional", "boolean",
    ]

    let bytes: [UInt8]
    let file: String
    let preprocessor: KconfigPreprocessor
    private var index = 0
    private var line = 1
    private var lineStart = 0
    private var previous: KToken.Kind = .eol
    private var beforePrevious: KToken.Kind = .eol
    private var emittedFinalEOL = false

    init(bytes: [UInt8], file: String, preprocessor: KconfigPreprocessor) {
        self.bytes = bytes
        self.file = file
        self.preprocessor = preprocessor
    }

    private var columnCache = (index: 0, column: 1)

    /// The 1-based column (in Unicode scalars) of byte `i` on the current line.
    private mutating func column(at i: Int) -> Int {
        var (j, col) = columnCache.index >= lineStart && columnCache.index <= i ? columnCache : (lineStart, 1)
        while j < i {
            if bytes[j] & 0xC0 != 0x80 { col += 1 }
            j += 1
        }
        columnCache = (i, col)
        return col
    }

    func location(line: Int, column: Int) -> SourceLocation {
        SourceLocation(file: file, line: line, column: column)
    }

    private static func isWordByte(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c == 0x2D
    }

    private mutating func newline(at i: Int) {
        line += 1
        lineStart = i + 1
    }

    /// The next token.
    mutating func next() -> KToken {
        let token = scan()
        beforePrevious = previous
        previous = token.kind
        return token
    }

    private mutating func scan() -> KToken {
        while true {
            guard index < bytes.count else {
                if !emittedFinalEOL && previous != .eol {
                    emittedFinalEOL = true
                    return KToken(kind: .eol, text: "", line: line, column: column(at: index))
                }
                return KToken(kind: .eof, text: "", line: line, column: column(at: index))
            }
            let c = bytes[index]
            let startColumn = column(at: index)
            let startLine = line
            switch c {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                index += 1
                continue
            case UInt8(ascii: "\\") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\n"):
                newline(at: index + 1)
                index += 2
                continue
            case UInt8(ascii: "#"):
                while index < bytes.count && bytes[index] != UInt8(ascii: "\n") { index += 1 }
                continue
            case UInt8(ascii: "\n"):
                newline(at: index)
                index += 1
                return KToken(kind: .eol, text: "", line: startLine, column: startColumn)
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                index += 1
                return KToken(kind: .quoted, text: scanString(quote: c), line: startLine, column: startColumn)
            default:
                break
            }
            if Self.isWordByte(c) || c == UInt8(ascii: "$") {
                var j = index
                var hasDollar = false
                while j < bytes.count && (Self.isWordByte(bytes[j]) || bytes[j] == UInt8(ascii: "$")) {
                    if bytes[j] == UInt8(ascii: "$") { hasDollar = true }
                    j += 1
                }
                if !hasDollar {
                    let text = String(decoding: bytes[index..<j], as: UTF8.self)
                    index = j
                    if Self.keywords.contains(text) {
                        return KToken(kind: .keyword(text), text: text, line: startLine, column: startColumn)
                    }
                    return KToken(kind: .word, text: text, line: startLine, column: startColumn)
                }
                preprocessor.location = location(line: startLine, column: startColumn)
                var k = index
                let lineEnd = bytes[index...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
                let rest = Array(bytes[index..<lineEnd])
                var local = 0
                let text = preprocessor.expand(rest, from: &local, args: [], isEnd: { !Self.isWordByte($0) })
                k += local
                index = k
                if text.isEmpty { continue }
                return KToken(kind: .word, text: text, line: startLine, column: startColumn)
            }
            let two = index + 1 < bytes.count ? String(decoding: bytes[index...index + 1], as: UTF8.self) : ""
            if ["&&", "||", "!=", "<=", ">=", ":=", "+="].contains(two) {
                index += 2
                return KToken(kind: .op(two), text: two, line: startLine, column: startColumn)
            }
            if "=<>!()".utf8.contains(c) {
                index += 1
                let text = String(UnicodeScalar(c))
                return KToken(kind: .op(text), text: text, line: startLine, column: startColumn)
            }
            // Unsupported character: conf warns and ignores it.
            let scalarEnd = nextScalarEnd(index)
            let ch = String(decoding: bytes[index..<scalarEnd], as: UTF8.self)
            preprocessor.diagnostics.append(.warning(
                "kconfig-character", "ignoring unsupported character '\(ch)'",
                at: location(line: startLine, column: startColumn)))
            index = scalarEnd
        }
    }

    private func nextScalarEnd(_ i: Int) -> Int {
        var j = i + 1
        while j < bytes.count && bytes[j] & 0xC0 == 0x80 { j += 1 }
        return j
    }

    /// After `NAME =`: the raw rest of the line (no comment stripping), or `nil` when empty.
    mutating func assignValue() -> KToken? {
        while index < bytes.count && (bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t")) { index += 1 }
        let start = index
        let startColumn = column(at: index)
        while index < bytes.count && bytes[index] != UInt8(ascii: "\n") { index += 1 }
        guard index > start else { return nil }
        var end = index
        if bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let token = KToken(kind: .assignValue, text: String(decoding: bytes[start..<end], as: UTF8.self), line: line, column: startColumn)
        beforePrevious = previous
        previous = .assignValue
        return token
    }

    private mutating func scanString(quote: UInt8) -> String {
        var out: [UInt8] = []
        let startLine = line
        while index < bytes.count {
            let c = bytes[index]
            if c == UInt8(ascii: "$") {
                preprocessor.location = location(line: line, column: column(at: index))
                index += 1
                let lineEnd = bytes[index...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
                let rest = Array(bytes[index..<lineEnd])
                var local = 0
                out.append(contentsOf: preprocessor.expandDollar(rest, from: &local, args: []).utf8)
                index += local
                continue
            }
            if c == UInt8(ascii: "\\") {
                index += 1
                if index < bytes.count && bytes[index] != UInt8(ascii: "\n") {
                    out.append(bytes[index])
                    index += 1
                }
                continue
            }
            if c == quote {
                index += 1
                return String(decoding: out, as: UTF8.self)
            }
            if c == UInt8(ascii: "\n") {
                preprocessor.diagnostics.append(.warning(
                    "kconfig-string", "multi-line strings are not supported; the string ends at the end of the line",
                    at: location(line: startLine, column: column(at: index))))
                return String(decoding: out, as: UTF8.self)
            }
            out.append(c)
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Reads a help body, starting just after the newline that ends the `help` line.
    mutating func readHelp() -> String {
        var text = ""
        var firstTs = 0
        var lastTs = 0
        func startsNonBlank(_ i: Int) -> Bool {
            i < bytes.count && bytes[i] != UInt8(ascii: " ") && bytes[i] != UInt8(ascii: "\t") && bytes[i] != UInt8(ascii: "\n")
        }
        while index < bytes.count {
            var j = index
            var ts = 0
            while j < bytes.count && (bytes[j] == UInt8(ascii: " ") || bytes[j] == UInt8(ascii: "\t")) {
                ts = bytes[j] == UInt8(ascii: "\t") ? (ts & ~7) + 8 : ts + 1
                j += 1
            }
            if j >= bytes.count { index = j; break }
            if bytes[j] == UInt8(ascii: "\n") {
                // blank line
                text += "\n"
                newline(at: j)
                index = j + 1
                if startsNonBlank(index) { break }
                continue
            }
            if j > index {
                lastTs = ts
                if firstTs != 0 && ts < firstTs {
                    index = j
                    break
                }
            }
            if firstTs != 0 {
                text += String(repeating: " ", count: max(0, ts - firstTs))
            }
            var end = j
            while end < bytes.count && bytes[end] != UInt8(ascii: "\n") { end += 1 }
            var trimmed = end
            while trimmed > j && (bytes[trimmed - 1] == UInt8(ascii: " ") || bytes[trimmed - 1] == UInt8(ascii: "\t") || bytes[trimmed - 1] == UInt8(ascii: "\r")) { trimmed -= 1 }
            text += String(decoding: bytes[j..<trimmed], as: UTF8.self)
            if firstTs == 0 { firstTs = lastTs }
            if end >= bytes.count { index = end; break }
            text += "\n"
            newline(at: end)
            index = end + 1
            if startsNonBlank(index) { break }
        }
        previous = .eol
        beforePrevious = .eol
        return text
    }
}
