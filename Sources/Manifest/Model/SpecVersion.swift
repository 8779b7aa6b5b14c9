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
