extension Diagnostic {
    /// The machine-readable form used by `--diagnostics-format json`.
    public var document: DocumentValue {
        var pairs: [(String, DocumentValue)] = [
            ("id", .string(id)),
            ("severity", .string(severity.rawValue)),
            ("message", .string(message)),
        ]
        pairs += Self.locationFields(location)
        if !notes.isEmpty {
            pairs.append(("notes", .list(notes.map { note in
                .map([("message", .string(note.message))] + Self.locationFields(note.location))
            })))
        }
        if let fixIt {
            pairs.append(("fixIt", .map([
                ("line", .int(fixIt.range.start.line)), ("column", .int(fixIt.range.start.column)),
                ("endLine", .int(fixIt.range.end.line)), ("endColumn", .int(fixIt.range.end.column)),
                ("replacement", .string(fixIt.replacement)),
            ])))
        }
        return .map(pairs)
    }

    private static func locationFields(_ location: SourceLocation?) -> [(String, DocumentValue)] {
        guard let location else { return [] }
        return [
            ("file", .string(location.file)),
            ("line", .int(location.range.start.line)), ("column", .int(location.range.start.column)),
            ("endLine", .int(location.range.end.line)), ("endColumn", .int(location.range.end.column)),
        ]
    }

    /// `{"version": 1, "diagnostics": [...]}`: the versioned envelope for a list.
    public static func document(_ diagnostics: [Diagnostic]) -> DocumentValue {
        .map([("version", .int(1)), ("diagnostics", .list(diagnostics.map(\.document)))])
    }
}
