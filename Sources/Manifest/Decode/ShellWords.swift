/// Splits a string into words the way a POSIX shell does, without any expansion:
/// blanks separate words; single quotes keep everything; double quotes keep
/// everything but `\"`, `\\`, `\$` and `` \` ``; a backslash outside quotes keeps the next character.
public enum ShellWords {
    public struct Unterminated: Error, Equatable {
        /// Offset of the opening quote, in Unicode scalars.
        public var offset: Int
        public var quote: Character
    }

    public static func split(_ text: String) -> Result<[String], Unterminated> {
        var words: [String] = []
        var word = String.UnicodeScalarView()
        var inWord = false
        let s = Array(text.unicodeScalars)
        var i = 0
        while i < s.count {
            let c = s[i]
            switch c {
            case " ", "\t", "\n", "\r":
                if inWord { words.append(String(word)); word = .init(); inWord = false }
                i += 1
            case "'":
                guard let close = s[(i + 1)...].firstIndex(of: "'") else { return .failure(Unterminated(offset: i, quote: "'")) }
                word.append(contentsOf: s[(i + 1)..<close])
                inWord = true
                i = close + 1
            case "\"":
                var j = i + 1
                var closed = false
                while j < s.count {
                    if s[j] == "\"" { closed = true; break }
                    if s[j] == "\\", j + 1 < s.count, ["\"", "\\", "$", "`"].contains(s[j + 1]) {
                        word.append(s[j + 1])
                        j += 2
                        continue
                    }
                    word.append(s[j])
                    j += 1
                }
                guard closed else { return .failure(Unterminated(offset: i, quote: "\"")) }
                inWord = true
                i = j + 1
            case "\\":
                if i + 1 < s.count { word.append(s[i + 1]) }
                inWord = true
                i += 2
            default:
                word.append(c)
                inWord = true
                i += 1
            }
        }
        if inWord { words.append(String(word)) }
        return .success(words)
    }
}
