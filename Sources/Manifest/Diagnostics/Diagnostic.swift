/// How serious a diagnostic is.
public enum Severity: String, Sendable, Comparable {
    case note, warning, error

    private var rank: Int {
        switch self {
        case .note: 0
        case .warning: 1
        case .error: 2
        }
    }

    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// A suggested edit: replace `range` with `replacement`.
public struct FixIt: Hashable, Sendable {
    public var range: SourceRange
    public var replacement: String

    public init(range: SourceRange, replacement: String) {
        self.range = range
        self.replacement = replacement
    }
}

/// A secondary message attached to a diagnostic, optionally at its own location.
public struct DiagnosticNote: Hashable, Sendable {
    public var message: String
    public var location: SourceLocation?

    public init(_ message: String, at location: SourceLocation? = nil) {
        self.message = message
        self.location = location
    }
}

/// One problem found in the user's input.
///
/// Stages return diagnostics as values; only the command-line layer prints them.
/// `id` is stable across releases and names the kind of problem (`yaml-syntax`,
/// `unknown-key`, …) so that tests and tools can match on it.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    public var id: String
    public var severity: Severity
    public var message: String
    public var location: SourceLocation?
    public var notes: [DiagnosticNote]
    public var fixIt: FixIt?

    public init(
        _ severity: Severity, _ id: String, _ message: String,
        at location: SourceLocation?, notes: [DiagnosticNote] = [], fixIt: FixIt? = nil
    ) {
        self.id = id
        self.severity = severity
        self.message = message
        self.location = location
        self.notes = notes
        self.fixIt = fixIt
    }

    public static func error(
        _ id: String, _ message: String, at location: SourceLocation?,
        notes: [DiagnosticNote] = [], fixIt: FixIt? = nil
    ) -> Diagnostic {
        Diagnostic(.error, id, message, at: location, notes: notes, fixIt: fixIt)
    }

    public static func warning(
        _ id: String, _ message: String, at location: SourceLocation?,
        notes: [DiagnosticNote] = [], fixIt: FixIt? = nil
    ) -> Diagnostic {
        Diagnostic(.warning, id, message, at: location, notes: notes, fixIt: fixIt)
    }

    public static func note(
        _ id: String, _ message: String, at location: SourceLocation?,
        notes: [DiagnosticNote] = [], fixIt: FixIt? = nil
    ) -> Diagnostic {
        Diagnostic(.note, id, message, at: location, notes: notes, fixIt: fixIt)
    }

    /// `path:line:col: severity: message [id]`, the first line of the rendered form.
    public var description: String {
        let place = location.map { "\($0.file):\($0.range.start.line):\($0.range.start.column): " } ?? ""
        return "\(place)\(severity.rawValue): \(message) [\(id)]"
    }
}

extension Diagnostic {
    /// Sorted by file, then line and column (diagnostics without a location last); stable.
    public static func sortedByLocation(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.enumerated().sorted { a, b in
            switch (a.element.location, b.element.location) {
            case (let x?, let y?):
                if x.file != y.file { return x.file < y.file }
                return x.range.start != y.range.start ? x.range.start < y.range.start : a.offset < b.offset
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a.offset < b.offset
            }
        }.map(\.element)
    }
}

/// Collects diagnostics from one stage; the caller decides what an error means.
public struct DiagnosticList: Sendable {
    public private(set) var all: [Diagnostic] = []

    public init() {}

    public mutating func append(_ diagnostic: Diagnostic) { all.append(diagnostic) }
    public mutating func append(contentsOf other: [Diagnostic]) { all.append(contentsOf: other) }

    public var hasErrors: Bool { all.contains { $0.severity == .error } }
    public var errors: [Diagnostic] { all.filter { $0.severity == .error } }
    public var warnings: [Diagnostic] { all.filter { $0.severity == .warning } }

    /// Turns warnings into errors (`--strict`); ids and locations are kept.
    public mutating func promoteWarnings() {
        for i in all.indices where all[i].severity == .warning { all[i].severity = .error }
    }
}
