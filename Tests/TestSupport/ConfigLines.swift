/// Comparing configuration texts line by line, for the tests' messages.
public enum ConfigLines {
    /// A short line diff: the first few differing positions.
    public static func diff(_ a: [Substring], _ b: [Substring], limit: Int = 6) -> String {
        var out: [String] = []
        let sa = Set(a), sb = Set(b)
        for l in a where !sb.contains(l) { out.append("- \(l)"); if out.count >= limit { break } }
        for l in b where !sa.contains(l) { out.append("+ \(l)"); if out.count >= 2 * limit { break } }
        if out.isEmpty { out.append("(same lines, different order)") }
        return out.joined(separator: "\n")
    }
}
