/// Fills the `@NAME@` placeholders of an emitted script's template in one pass: a value is
/// inserted as it is and never scanned again (a manifest value holding `@NAME@` stays
/// literal), and a placeholder without a value, or a value without its placeholder, is a
/// programming error that stops the emitter (the golden and launch tests emit every template).
enum TemplateFiller {
    static func fill(_ template: String, _ values: [String: String]) -> String {
        var out = ""
        var used = Set<String>()
        var rest = Substring(template)
        while let at = rest.firstIndex(of: "@") {
            out += rest[..<at]
            let after = rest.index(after: at)
            let name = rest[after...].prefix { ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
            guard name.first.map({ ("A"..."Z").contains($0) }) == true, name.endIndex < rest.endIndex, rest[name.endIndex] == "@" else {
                out.append("@")
                rest = rest[after...]
                continue
            }
            guard let value = values[String(name)] else { preconditionFailure("template placeholder @\(name)@ has no value") }
            out += value
            used.insert(String(name))
            rest = rest[rest.index(after: name.endIndex)...]
        }
        out += rest
        let unused = Set(values.keys).subtracting(used)
        precondition(unused.isEmpty, "template has no placeholder for \(unused.sorted().map { "@\($0)@" }.joined(separator: ", "))")
        return out
    }
}
