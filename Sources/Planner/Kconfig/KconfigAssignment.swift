import Diagnostics

/// One seed line: `CONFIG_NAME=value` or `# CONFIG_NAME is not set`.
public struct KconfigAssignment: Sendable, Hashable {
    /// What the line says.
    public enum Value: Sendable, Hashable {
        /// `# CONFIG_X is not set`.
        case notSet
        /// The text after `=`, exactly as in a `.config` (strings keep their quotes).
        case raw(String)
    }

    /// The symbol name without `CONFIG_`.
    public var name: String
    /// The value as written.
    public var value: Value
    /// Where the line is, for diagnostics.
    public var location: SourceLocation?

    /// A line for `name` (without `CONFIG_`).
    public init(name: String, value: Value, location: SourceLocation? = nil) {
        self.name = name
        self.value = value
        self.location = location
    }

    /// `CONFIG_NAME=y` or `# CONFIG_NAME is not set`.
    public static func bool(_ name: String, _ on: Bool, at location: SourceLocation? = nil) -> KconfigAssignment {
        KconfigAssignment(name: name, value: on ? .raw("y") : .notSet, location: location)
    }

    /// `CONFIG_NAME="text"` with `\` and `"` escaped.
    public static func string(_ name: String, _ text: String, at location: SourceLocation? = nil) -> KconfigAssignment {
        KconfigAssignment(name: name, value: .raw(ConfigWriter.quote(text)), location: location)
    }

    /// The line as it appears in a `.config`.
    public var line: String {
        switch value {
        case .notSet: "# CONFIG_\(name) is not set"
        case .raw(let text): "CONFIG_\(name)=\(text)"
        }
    }
}
