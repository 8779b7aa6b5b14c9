/// The manifest specification versions manifestc reads.
public enum SpecVersion: String, CaseIterable, Comparable, Sendable {
    case v0_4 = "0.4"
    case v0_5 = "0.5"
    case v0_6 = "0.6"
    case v0_7 = "0.7"

    /// Parses `0.6`, `v0.6`, `0.6.0`, `V0.6` (surrounding spaces ignored).
    public init?(text: String) {
        var t = Substring(text.trimmingSpaces)
        if t.first == "v" || t.first == "V" { t = t.dropFirst() }
        if t.hasSuffix(".0"), t.filter({ $0 == "." }).count == 2 { t = t.dropLast(2) }
        self.init(rawValue: String(t))
    }

    public static func < (a: SpecVersion, b: SpecVersion) -> Bool {
        a.rawValue < b.rawValue
    }

    public static var supportedList: String {
        allCases.map { "'v\($0.rawValue)'" }.joined(separator: ", ")
    }
}

extension String {
    var trimmingSpaces: String {
        let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")
        if let f = utf8.first, let l = utf8.last, f != space, f != tab, l != space, l != tab { return self }
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }

}
