import Diagnostics

extension DecodeContext {
    /// The spec version of a top-level map: from `spec` / `specification`, or, when
    /// neither is there, the version the file's shape implies (with a warning).
    /// nil when the version is given but not supported (an error is reported).
    mutating func specVersion(_ pairs: [YAMLPair], root: YAMLNode) -> SpecVersion? {
        var found: [(key: Located<String>, value: Located<String>, version: SpecVersion?)] = []
        for pair in pairs {
            guard let key = pair.key.scalar?.text, key == "spec" || key == "specification" else { continue }
            guard let scalar = pair.value.scalar, scalar.resolved != .null, !scalar.text.trimmingSpaces.isEmpty else {
                error("spec-invalid", "'\(key)' must be a version such as 'v0.6', not \(pair.value.kindDescription == "null" ? "empty" : pair.value.kindDescription)",
                      pair.value.range.start == pair.value.range.end ? pair.key.range : pair.value.range)
                return nil
            }
            let text = scalar.text
            let version = SpecVersion(text: text)
            if version == nil {
                error("spec-unsupported", "unsupported spec version '\(text)'; manifestc reads \(SpecVersion.supportedList)", pair.value.range)
                return nil
            }
            found.append((Located(key, at: pair.key.range), Located(text, at: pair.value.range), version))
        }
        if found.count == 2 {
            let (a, b) = (found[0], found[1])
            if a.version != b.version {
                error("spec-conflict", "'\(b.key.value)' says \(b.value.value) but '\(a.key.value)' says \(a.value.value); keep one of the two keys", b.value.range,
                      notes: [DiagnosticNote("'\(a.key.value)' is given here", at: location(a.value.range))])
                return nil
            }
            warning("spec-twice", "both 'spec' and 'specification' are given; keep one", b.key.range,
                    notes: [DiagnosticNote("the other one is here", at: location(a.key.range))])
        }
        if let version = found.first?.version { return version }

        let keys = Dictionary(pairs.compactMap { p in p.key.scalar.map { ($0.text, p.value) } }, uniquingKeysWith: { a, _ in a })
        let implied: SpecVersion
        if keys["architectures"] != nil || keys["platforms"] != nil {
            implied = .v0_4
        } else if keys["volumes"]?.mapping != nil || keys["networks"]?.mapping != nil
                    || (keys["targets"]?.sequence.map { !$0.isEmpty && $0.allSatisfy { $0.mapping != nil } } ?? false) && keys["runtime"] == nil && keys["cmd"] == nil {
            implied = .v0_5
        } else {
            implied = .v0_6
        }
        let insertAt = SourceRange(at: root.range.start)
        let spelling = implied <= .v0_5 ? "specification: '\(implied.rawValue)'" : "spec: v\(implied.rawValue)"
        warning("spec-missing", "the manifest does not say which spec version it follows; it is read as v\(implied.rawValue), which its keys suggest",
                insertAt, fixIt: FixIt(range: insertAt, replacement: spelling + "\n"))
        return implied
    }
}
