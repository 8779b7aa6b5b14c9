/// What each consumer of a manifest value can carry. A value that its consumer cannot
/// express is refused at plan time (with a located diagnostic, by the caller); the
/// emitters still quote what they write, as a second line of defence.
public enum ValueRules {
    /// Why `name` cannot be a host network interface (a bridge or a tap), or nil when it
    /// can: Linux takes 1 to 15 bytes without `/`, `:` or whitespace, and QEMU's and xl's
    /// option lists split at `,` and `=`.
    public static func interfaceNameProblem(_ name: String) -> String? {
        if name.isEmpty { return "it is empty" }
        if name.utf8.count > 15 { return "it is \(name.utf8.count) bytes long and Linux allows at most 15" }
        if name == "." || name == ".." { return "'.' and '..' are not interface names" }
        if let bad = name.unicodeScalars.first(where: { !isInterfaceScalar($0) }) {
            return "it holds \(describe(bad)), which an interface name (or QEMU's and xl's option lists) cannot hold; use letters, digits, '.', '_' and '-'"
        }
        return nil
    }

    private static func isInterfaceScalar(_ s: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s) || "._-".unicodeScalars.contains(s)
    }

    /// Whether `text` is a dotted IPv4 address (`10.0.0.2`). A part with a leading zero is
    /// refused: the guest's parser (lwIP's `inet_aton`) would read it as octal.
    public static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            !part.isEmpty && part.count <= 3 && part.unicodeScalars.allSatisfy { ("0"..."9").contains($0) } && (Int(part) ?? 256) <= 255
                && (part == "0" || !part.hasPrefix("0"))
        }
    }

    /// Why `path` cannot appear in the Makefile, or nil when it can. The Makefile hands
    /// paths to Unikraft's make, which puts them unquoted into shell recipes, `L=`'s
    /// colon-separated list and its own functions: only letters, digits and `._+@-/`
    /// (and a leading `~`) are read back as they are written. Unikraft's make cannot
    /// handle spaces in paths at all.
    public static func makePathProblem(_ path: String) -> String? {
        for (i, s) in path.unicodeScalars.enumerated() {
            if s == "~", i == 0 { continue }
            if isMakePathScalar(s) { continue }
            if s.properties.isWhitespace {
                return "it holds \(describe(s)); Unikraft's make cannot handle paths with spaces, so move or rename the folder"
            }
            return "it holds \(describe(s)), which make and the shell commands of Unikraft's build would not read as part of the path; use letters, digits and '._+@-/'"
        }
        return nil
    }

    private static func isMakePathScalar(_ s: Unicode.Scalar) -> Bool {
        if ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s) || "._+@-/".unicodeScalars.contains(s) { return true }
        // Letters and digits beyond ASCII are plain bytes to make and the shell.
        return s.value > 0x7F && (s.properties.isAlphabetic || s.properties.numericType != nil)
    }

    /// Whether `text` holds a line break or another control character (other than a tab).
    public static func hasControlCharacter(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.properties.generalCategory == .control && $0 != "\t" }
    }

    /// A character, named so that a message shows it even when it is invisible.
    static func describe(_ s: Unicode.Scalar) -> String {
        switch s {
        case "\n": return "a line break"
        case "\r": return "a carriage return"
        case "\t": return "a tab"
        case " ": return "a space"
        case "'": return "\"'\""
        default:
            if s.properties.generalCategory == .control || s.properties.isWhitespace {
                return "the character U+" + String(s.value, radix: 16, uppercase: true).leftPadded(4)
            }
            return "'\(s)'"
        }
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
