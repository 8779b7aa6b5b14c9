/// A position in a source file.
///
/// Lines and columns are 1-based. Columns count Unicode scalars (code points),
/// not bytes and not grapheme clusters: this is what libyaml's marks count, and
/// it is pinned by a test (`PositionConventionTests`). A tab counts as one column.
public struct SourcePosition: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (a: SourcePosition, b: SourcePosition) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }

    public var description: String { "\(line):\(column)" }
}

/// A half-open range `[start, end)` in one source file.
public struct SourceRange: Hashable, Sendable, CustomStringConvertible {
    public var start: SourcePosition
    public var end: SourcePosition

    public init(start: SourcePosition, end: SourcePosition) {
        self.start = start
        self.end = max(start, end)
    }

    /// An empty range at `position`.
    public init(at position: SourcePosition) {
        self.init(start: position, end: position)
    }

    public var description: String { "\(start)-\(end)" }
}

/// A range in a named file: what a diagnostic points at.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var range: SourceRange

    public init(file: String, range: SourceRange) {
        self.file = file
        self.range = range
    }

    public init(file: String, line: Int, column: Int) {
        self.init(file: file, range: SourceRange(at: SourcePosition(line: line, column: column)))
    }

    public var description: String { "\(file):\(range.start)" }
}

/// A value together with the source range it was written at.
public struct Located<Value> {
    public var value: Value
    public var range: SourceRange
    /// The file the value was written in, when it is not the manifest's own (a template's).
    public var file: String?

    public init(_ value: Value, at range: SourceRange, file: String? = nil) {
        self.value = value
        self.range = range
        self.file = file
    }

    public func map<T>(_ transform: (Value) throws -> T) rethrows -> Located<T> {
        Located<T>(try transform(value), at: range, file: file)
    }

    /// Where the value is, in `defaultFile` unless it came from another file.
    public func location(in defaultFile: String) -> SourceLocation {
        SourceLocation(file: file ?? defaultFile, range: range)
    }
}

extension Located: Equatable where Value: Equatable {}
extension Located: Hashable where Value: Hashable {}
extension Located: Sendable where Value: Sendable {}
