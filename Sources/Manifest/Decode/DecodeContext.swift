import Diagnostics

/// Shared state and helpers for decoding one manifest: the file, the environment
/// for interpolation, and the diagnostics collected so far.
struct DecodeContext {
    let file: String
    let interpolator: Interpolator
    let strict: Bool
    let limits: Limits
    var diagnostics: [Diagnostic] = []
    /// The kind and place of every diagnostic reported so far (add diagnostics through `error`,
    /// `warning`, `note`). Nodes copied by an alias keep the anchor's ranges, so decoding the
    /// copies repeats the same findings at the same place (only the owner named in the message
    /// differs): a 1.6 KB manifest of nested aliases gave 62,250 warnings (180 MB of output).
    /// One diagnostic per kind and places (its own and its notes') is kept.
    var reported = Set<String>()

    /// Reports `count` items over `limit` once, at the section; true when within the limit.
    mutating func within(_ count: Int, _ field: WritableKeyPath<Limits, Int>, _ what: String, _ range: SourceRange) -> Bool {
        let limit = limits[keyPath: field]
        guard count > limit else { return true }
        error("limit-count", "\(what) has \(count) entries, more than the limit of \(limit)", range,
              notes: [DiagnosticNote(Limits.howToRaise(field))])
        return false
    }

    // MARK: - Locations and reporting

    func location(_ range: SourceRange) -> SourceLocation {
        SourceLocation(file: file, range: range)
    }

    /// Adds `diagnostic` unless one of the same kind was reported at the same place before.
    private mutating func report(_ diagnostic: Diagnostic) {
        let places = [diagnostic.location] + diagnostic.notes.map(\.location)
        let key = diagnostic.id + " " + places.map { $0.map { "\($0.file):\($0.range)" } ?? "-" }.joined(separator: " ")
        if reported.insert(key).inserted { diagnostics.append(diagnostic) }
    }

    mutating func error(_ id: String, _ message: String, _ range: SourceRange, notes: [DiagnosticNote] = [], fixIt: FixIt? = nil) {
        report(.error(id, message, at: location(range), notes: notes, fixIt: fixIt))
    }

    mutating func warning(_ id: String, _ message: String, _ range: SourceRange, notes: [DiagnosticNote] = [], fixIt: FixIt? = nil) {
        report(.warning(id, message, at: location(range), notes: notes, fixIt: fixIt))
    }

    mutating func note(_ id: String, _ message: String, _ range: SourceRange) {
        report(Diagnostic(.note, id, message, at: location(range)))
    }

    // MARK: - Shapes

    /// The pairs of a map, checked: keys are strings, known, and not repeated.
    /// Returns the first pair per key, in source order. `x-*` extension keys are skipped silently.
    mutating func map(_ node: YAMLNode, _ what: String, known: [String], hint: (String) -> String? = { _ in nil }) -> [(key: Located<String>, value: YAMLNode)]? {
        guard let pairs = node.mapping else {
            if node.scalar?.resolved == .null { return [] }
            error("type-mismatch", "\(what) must be a map, not \(node.kindDescription)", node.range)
            return nil
        }
        var seen: [String: SourceRange] = [:]
        var out: [(key: Located<String>, value: YAMLNode)] = []
        for pair in pairs {
            guard let key = pair.key.scalar else {
                error("key-not-string", "keys in \(what) must be strings, not \(pair.key.kindDescription)", pair.key.range)
                continue
            }
            let name = key.text
            if let first = seen[name] {
                error("duplicate-key", "duplicate key '\(name)' in \(what)", pair.key.range,
                      notes: [DiagnosticNote("'\(name)' is first given here", at: location(first))])
                continue
            }
            seen[name] = pair.key.range
            if name.hasPrefix("x-") { continue }
            if !known.contains(name) {
                var notes: [DiagnosticNote] = []
                if let h = hint(name) { notes.append(DiagnosticNote(h)) }
                let message = "unknown key '\(name)' in \(what)\(Suggestion.didYouMean(name, among: known))"
                if strict {
                    error("unknown-key", message, pair.key.range, notes: notes)
                } else {
                    warning("unknown-key", message, pair.key.range, notes: notes)
                }
                continue
            }
            out.append((Located(name, at: pair.key.range), pair.value))
        }
        return out
    }

    /// The items of a list; a single value stands for a one-item list when `singleAllowed`.
    mutating func list(_ node: YAMLNode, _ what: String, singleAllowed: Bool = false) -> [YAMLNode]? {
        if let items = node.sequence { return items }
        if node.scalar?.resolved == .null { return [] }
        if singleAllowed, node.scalar != nil { return [node] }
        error("type-mismatch", "\(what) must be a list, not \(node.kindDescription)", node.range)
        return nil
    }

    /// A scalar's text, interpolated. Numbers and booleans count as their text.
    /// A list, a map or (unless `nullable`) null is an error.
    mutating func string(_ node: YAMLNode, _ what: String, nullable: Bool = false) -> Located<String>? {
        guard let scalar = node.scalar else {
            error("type-mismatch", "\(what) must be a string, not \(node.kindDescription)", node.range)
            return nil
        }
        if scalar.resolved == .null {
            if !nullable {
                error("missing-value", "\(what) has no value", node.range)
            }
            return nil
        }
        return Located(interpolate(scalar, node.range), at: node.range)
    }

    /// Interpolates a scalar's text, reporting problems at their place inside the scalar
    /// when it sits on one line.
    mutating func interpolate(_ scalar: YAMLScalar, _ range: SourceRange) -> String {
        let (text, problems) = interpolator.interpolate(scalar.text)
        for problem in problems {
            var at = range
            let simple = range.start.line == range.end.line && (scalar.style == .plain || scalar.style == .singleQuoted || scalar.style == .doubleQuoted)
            if simple && !scalar.text.contains("\\") && !scalar.text.contains("'") {
                let column = range.start.column + (scalar.style == .plain ? 0 : 1) + problem.offset
                at = SourceRange(start: SourcePosition(line: range.start.line, column: column),
                                 end: SourcePosition(line: range.start.line, column: column + problem.length))
            }
            if problem.isWarning { warning(problem.id, problem.message, at) } else { error(problem.id, problem.message, at) }
        }
        return text
    }

    /// Warns when a YAML 1.1 reader (PyYAML, KraftKit) would read a plain scalar as a
    /// number that prints differently from what was written (`0.10` → 0.1).
    mutating func warnIfNumberReading(_ node: YAMLNode, _ what: String) {
        guard let scalar = node.scalar, scalar.style == .plain else { return }
        let canonical: String?
        switch scalar.resolved {
        case .int(let i): canonical = String(i)
        case .float: canonical = Double(scalar.text.replacingUnderscores).map { String($0) }
        default: canonical = nil
        }
        guard let canonical, canonical != scalar.text else { return }
        warning("yaml-number-text", "\(what) '\(scalar.text)' is read as written, but YAML 1.1 tools read the number \(canonical); quote it to make that clear",
                node.range, fixIt: FixIt(range: node.range, replacement: "'\(scalar.text)'"))
    }
}

extension String {
    var replacingUnderscores: String { String(filter { $0 != "_" }) }
}
