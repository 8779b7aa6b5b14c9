/// Writes a string as a YAML scalar that libyaml (and the manifest's `${…}` interpolation)
/// reads back as exactly that string: plain when nothing in it could be read otherwise,
/// else single-quoted, else double-quoted with escapes.
public enum YAMLScalarWriter {
    /// The scalar for `text`, in `preferred` style when it can hold the text exactly.
    /// `interpolated`: the text goes through `${…}` interpolation, so `$` is written `$$`.
    public static func scalar(_ text: String, preferred: ScalarStyle = .plain, interpolated: Bool = true) -> String {
        let content = interpolated ? doubling("$", in: text) : text
        if preferred == .plain, isPlainSafe(content), !isSpecialWord(content) { return content }
        if preferred != .doubleQuoted, isSingleQuoteSafe(content) {
            return "'" + doubling("'", in: content) + "'"
        }
        return doubleQuoted(content)
    }

    private static func doubling(_ c: Character, in text: String) -> String {
        var out = ""
        for x in text {
            if x == c { out.append(c) }
            out.append(x)
        }
        return out
    }

    /// Plain scalars are kept to characters that mean nothing to YAML in block or flow
    /// context, starting with a letter, digit, `_`, `.` or `/`, with inner single spaces.
    static func isPlainSafe(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard let first = scalars.first, let last = scalars.last, last != " " else { return false }
        func word(_ c: Unicode.Scalar) -> Bool {
            (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c == "_" || c == "." || c == "/"
        }
        guard word(first) else { return false }
        var previous: Unicode.Scalar = first
        for c in scalars.dropFirst() {
            let ok = word(c) || c == "-" || c == "=" || c == "+" || c == "\"" || c == "@" || c == "%" || c == "(" || c == ")"
                || (c == " " && previous != " ")
            guard ok else { return false }
            previous = c
        }
        return true
    }

    /// Plain words YAML 1.1 reads as null (the decoder refuses those as values).
    static func isSpecialWord(_ text: String) -> Bool {
        YAMLScalar(text: text).resolved == .null
    }

    /// Single quotes hold any printable text on one line; only `'` is doubled.
    static func isSingleQuoteSafe(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { c in c == "\t" || (isPrintable(c) && !isBreak(c)) }
    }

    /// Characters YAML reads as line breaks inside a quoted scalar (and folds).
    static func isBreak(_ c: Unicode.Scalar) -> Bool {
        c == "\n" || c == "\r" || c.value == 0x85 || c.value == 0x2028 || c.value == 0x2029
    }

    /// YAML's printable set, without the byte-order mark.
    static func isPrintable(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x20...0x7E, 0xA0...0xD7FF: return true
        case 0xE000...0xFFFD: return c.value != 0xFEFF
        case 0x10000...0x10FFFF: return true
        default: return false
        }
    }

    static func doubleQuoted(_ text: String) -> String {
        var out = "\""
        for c in text.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default:
                if isPrintable(c) && !isBreak(c) {
                    out.unicodeScalars.append(c)
                } else if c.value <= 0xFF {
                    out += "\\x" + hex(c.value, 2)
                } else if c.value <= 0xFFFF {
                    out += "\\u" + hex(c.value, 4)
                } else {
                    out += "\\U" + hex(c.value, 8)
                }
            }
        }
        return out + "\""
    }

    private static func hex(_ value: UInt32, _ width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
