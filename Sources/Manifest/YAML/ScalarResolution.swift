/// The type a YAML 1.1 reader (PyYAML, Go yaml.v2) gives a scalar.
///
/// manifestc never uses the resolved value in place of the text: `version: 0.10`
/// stays "0.10". Resolution only answers "what would other tools have read here",
/// so that a surprising reading can be warned about and booleans can be told apart.
public enum ResolvedScalar: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case float
    case string
}

extension YAMLScalar {
    private static let words: [String: ResolvedScalar] = {
        var table: [String: ResolvedScalar] = ["~": .null, "null": .null, "Null": .null, "NULL": .null]
        for w in ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"] { table[w] = .bool(true) }
        for w in ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"] { table[w] = .bool(false) }
        return table
    }()

    /// Only plain scalars without a `!!str` tag are anything but strings.
    static func resolve(_ text: String, style: ScalarStyle, tag: String?) -> ResolvedScalar {
        if style != .plain || tag == "tag:yaml.org,2002:str" { return .string }
        guard let first = text.utf8.first else { return .null }
        switch first {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."):
            if let i = integer(text) { return .int(i) }
            return isFloat(text) ? .float : .string
        case UInt8(ascii: "~"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "y"), UInt8(ascii: "Y"),
             UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "o"), UInt8(ascii: "O"):
            return text.utf8.count <= 5 ? words[text] ?? .string : .string
        default:
            return .string
        }
    }

    /// Decimal, `0x` hexadecimal, `0o`/leading-zero octal and `0b` binary, with an
    /// optional sign and `_` separators, as YAML 1.1 allows.
    static func integer(_ text: String) -> Int? {
        var digits = Array(text.utf8)
        var negative = false
        if let first = digits.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            digits.removeFirst()
        }
        guard let first = digits.first, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return nil }
        digits.removeAll { $0 == UInt8(ascii: "_") }
        var radix = 10
        var start = 0
        if digits.count > 1, digits[0] == UInt8(ascii: "0") {
            switch digits[1] {
            case UInt8(ascii: "x"): radix = 16; start = 2
            case UInt8(ascii: "b"): radix = 2; start = 2
            case UInt8(ascii: "o"): radix = 8; start = 2
            default: radix = 8; start = 1
            }
        }
        guard start < digits.count else { return nil }
        var value = 0
        for d in digits[start...] {
            let digit: Int
            switch d {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = Int(d - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = Int(d - UInt8(ascii: "a")) + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = Int(d - UInt8(ascii: "A")) + 10
            default: return nil
            }
            guard digit < radix else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: radix)
            let (a, o2) = m.addingReportingOverflow(digit)
            if o1 || o2 { return nil }
            value = a
        }
        return negative ? -value : value
    }

    static func isFloat(_ text: String) -> Bool {
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN": return true
        default: break
        }
        var sawDigit = false, sawDot = false, sawExponent = false
        var previous: UInt8 = 0
        for (i, c) in text.utf8.enumerated() {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): sawDigit = true
            case UInt8(ascii: "_"): break
            case UInt8(ascii: "."): if sawDot || sawExponent { return false }; sawDot = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"): if sawExponent || !sawDigit { return false }; sawExponent = true
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                if !(i == 0 || previous == UInt8(ascii: "e") || previous == UInt8(ascii: "E")) { return false }
            default: return false
            }
            previous = c
        }
        return sawDigit && (sawDot || sawExponent)
    }
}
