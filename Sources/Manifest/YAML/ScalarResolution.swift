/// The type a YAML 1.1 reader (PyYAML, Go yaml.v2) gives a scalar.
///
/// manifestc never uses the resolved value in place of the text: `version: 0.10`
/// stays "0.10". Resolution only answers "what would other tools have read here",
/// so that a surprising reading can be warned about and booleans can be told apart.
public enum ResolvedScalar: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case float
    case string
}

extension YAMLScalar {
    private static let trueWords: Set<String> = ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"]
    private static let falseWords: Set<String> = ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"]
    private static let strTag = "tag:yaml.org,2002:str"

    /// The YAML 1.1 type of this scalar. Only plain scalars without a `!!str` tag
    /// are anything but strings.
    public var resolved: ResolvedScalar {
        if style != .plain || tag == Self.strTag { return .string }
        if text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL" { return .null }
        if Self.trueWords.contains(text) { return .bool(true) }
        if Self.falseWords.contains(text) { return .bool(false) }
        if let i = Self.integer(text) { return .int(i) }
        if Self.isFloat(text) { return .float }
        return .string
    }

    /// Decimal, `0x` hexadecimal, `0o`/leading-zero octal and `0b` binary, with an
    /// optional sign and `_` separators, as YAML 1.1 allows.
    static func integer(_ text: String) -> Int? {
        var s = Substring(text)
        var negative = false
        if let first = s.first, first == "-" || first == "+" {
            negative = first == "-"
            s = s.dropFirst()
        }
        guard let first = s.first, first.isASCII, first.isNumber else { return nil }
        let digits = s.replacingOccurrences("_")
        let value: Int?
        if digits.hasPrefix("0x") {
            value = Int(digits.dropFirst(2), radix: 16)
        } else if digits.hasPrefix("0b") {
            value = Int(digits.dropFirst(2), radix: 2)
        } else if digits.hasPrefix("0o") {
            value = Int(digits.dropFirst(2), radix: 8)
        } else if digits.count > 1, digits.hasPrefix("0") {
            value = Int(digits.dropFirst(), radix: 8)
        } else {
            value = Int(digits, radix: 10)
        }
        return value.map { negative ? -$0 : $0 }
    }

    static func isFloat(_ text: String) -> Bool {
        let lowered = text.lowercased()
        if [".inf", "+.inf", "-.inf", ".nan"].contains(lowered) { return true }
        var sawDigit = false, sawDot = false, sawExponent = false
        var previous: Character = " "
        for (i, c) in text.enumerated() {
            switch c {
            case "0"..."9": sawDigit = true
            case "_": break
            case ".": if sawDot || sawExponent { return false }; sawDot = true
            case "e", "E": if sawExponent || !sawDigit { return false }; sawExponent = true
            case "+", "-": if !(i == 0 || previous == "e" || previous == "E") { return false }
            default: return false
            }
            previous = c
        }
        return sawDigit && (sawDot || sawExponent)
    }
}

extension Substring {
    fileprivate func replacingOccurrences(_ character: Character) -> String {
        String(filter { $0 != character })
    }
}
