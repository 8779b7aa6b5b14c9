/// Blanks (spaces and tabs) around a manifest's words, as YAML and `.env` text leave them.
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
