/// Fills the `@NAME@` placeholders of an emitted script's template in one pass: a value is
/// inserted as it is and never scanned again (a manifest value holding `@NAME@` stays
/// literal), and a placeholder without a value, or a value without its placeholder, is a
/// programming error that stops the emitter (the golden and launch tests emit every template).
///
/// A name is an upper-case letter, then upper-case letters, digits and `_`. The template is
/// read as UTF-8 bytes: every character of the syntax is ASCII, and a template is our own text.
enum TemplateFiller {
    static func fill(_ template: String, _ values: [String: String]) -> String {
        let bytes = Array(template.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + values.values.reduce(0) { $0 + $1.utf8.count })
        var used = Set<String>()
        var i = 0
        while let at = bytes[i...].firstIndex(of: UInt8(ascii: "@")) {
            out += bytes[i..<at]
            var end = at + 1
            while end < bytes.count, isNameByte(bytes[end]) { end += 1 }
            guard end > at + 1, isLetter(bytes[at + 1]), end < bytes.count, bytes[end] == UInt8(ascii: "@") else {
                out.append(UInt8(ascii: "@"))
                i = at + 1
                continue
            }
            let name = String(decoding: bytes[(at + 1)..<end], as: UTF8.self)
            guard let value = values[name] else { preconditionFailure("template placeholder @\(name)@ has no value") }
            out += value.utf8
            used.insert(name)
            i = end + 1
        }
        out += bytes[i...]
        let unused = Set(values.keys).subtracting(used)
        precondition(unused.isEmpty, "template has no placeholder for \(unused.sorted().map { "@\($0)@" }.joined(separator: ", "))")
        return String(decoding: out, as: UTF8.self)
    }

    private static func isLetter(_ c: UInt8) -> Bool { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(c) }

    private static func isNameByte(_ c: UInt8) -> Bool {
        isLetter(c) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) || c == UInt8(ascii: "_")
    }
}
