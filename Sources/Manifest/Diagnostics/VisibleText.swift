/// Text from an untrusted file made safe to print in a diagnostic: control characters
/// (C0 but tab, DEL, C1), line and paragraph separators and the bidirectional controls that
/// can reorder what a reader sees ("Trojan Source") are shown as `\u{…}` escapes, so a
/// manifest cannot send terminal escape sequences, fake a second diagnostic line or start a
/// CI log line of its own (`::set-output …`).
public enum VisibleText {
    /// `text` with every unsafe scalar replaced by its escape; tabs are kept when `keepTabs`.
    public static func escaped(_ text: String, keepTabs: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: { isUnsafe($0, keepTabs: keepTabs) }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isUnsafe(scalar, keepTabs: keepTabs) { out.append(contentsOf: escape(scalar).unicodeScalars) } else { out.append(scalar) }
        }
        return String(out)
    }

    /// How `scalar` is printed: itself, or its escape.
    public static func printed(_ scalar: Unicode.Scalar, keepTabs: Bool = false) -> String {
        isUnsafe(scalar, keepTabs: keepTabs) ? escape(scalar) : String(scalar)
    }

    static func isUnsafe(_ s: Unicode.Scalar, keepTabs: Bool) -> Bool {
        switch s.value {
        case 0x09: return !keepTabs
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x2028, 0x2029: return true                    // line and paragraph separators
        case 0x200E, 0x200F, 0x061C: return true            // directional marks
        case 0x202A...0x202E, 0x2066...0x2069: return true  // embeddings, overrides, isolates
        default: return false
        }
    }

    private static func escape(_ s: Unicode.Scalar) -> String {
        "\\u{" + String(s.value, radix: 16, uppercase: true) + "}"
    }
}
