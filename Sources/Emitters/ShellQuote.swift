/// Quoting for POSIX shells.
public enum ShellQuote {
    /// `word` as one shell word: unchanged when it has only safe characters, else in
    /// single quotes with `'` written as `'\''`. Newlines and any other bytes survive.
    public static func quote(_ word: String) -> String {
        if !word.isEmpty, word.unicodeScalars.allSatisfy(isSafe) { return word }
        return "'" + word.replacingSingleQuotes + "'"
    }

    /// Words joined by spaces, each quoted.
    public static func join(_ words: [String]) -> String {
        words.map(quote).joined(separator: " ")
    }

    private static func isSafe(_ s: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s) || "_-./=:,+@%".unicodeScalars.contains(s)
    }
}

extension String {
    fileprivate var replacingSingleQuotes: String {
        var out = ""
        for c in unicodeScalars {
            if c == "'" { out += "'\\''" } else { out.unicodeScalars.append(c) }
        }
        return out
    }
}
