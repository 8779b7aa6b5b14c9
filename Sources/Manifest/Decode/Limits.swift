/// Bounds on what manifestc reads, so that hostile input cannot exhaust memory or time.
/// Each overrun is a located diagnostic naming the limit and how to raise it
/// (`--limit NAME=VALUE` on the command line).
public struct Limits: Sendable, Equatable {
    /// Largest input, in bytes.
    public var maxBytes: Int
    /// Deepest nesting of lists and maps.
    public var maxDepth: Int
    /// Most nodes in the YAML tree after expanding aliases ("billion laughs" guard).
    public var maxNodes: Int
    /// Longest single value (a scalar), in bytes.
    public var maxScalarBytes: Int
    /// Most bytes of values in the whole document after expanding aliases: what the
    /// emitted files can copy (a big value aliased hundreds of times).
    public var maxExpandedBytes: Int
    /// Most targets, libraries, volumes, and kconfig options in one section.
    public var maxTargets: Int
    public var maxLibraries: Int
    public var maxVolumes: Int
    public var maxKconfigOptions: Int

    public init(maxBytes: Int = 64 << 20, maxDepth: Int = 128, maxNodes: Int = 2_000_000, maxScalarBytes: Int = 1 << 20,
                maxExpandedBytes: Int = 16 << 20, maxTargets: Int = 256, maxLibraries: Int = 1024, maxVolumes: Int = 256, maxKconfigOptions: Int = 20_000) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxNodes = maxNodes
        self.maxScalarBytes = maxScalarBytes
        self.maxExpandedBytes = maxExpandedBytes
        self.maxTargets = maxTargets
        self.maxLibraries = maxLibraries
        self.maxVolumes = maxVolumes
        self.maxKconfigOptions = maxKconfigOptions
    }

    /// The names `--limit NAME=VALUE` takes, and the field each sets (immutable: key paths are not `Sendable`).
    nonisolated(unsafe) public static let names: [(name: String, field: WritableKeyPath<Limits, Int>)] = [
        ("input-bytes", \.maxBytes), ("depth", \.maxDepth), ("nodes", \.maxNodes), ("scalar-bytes", \.maxScalarBytes),
        ("expanded-bytes", \.maxExpandedBytes),
        ("targets", \.maxTargets), ("libraries", \.maxLibraries), ("volumes", \.maxVolumes), ("kconfig-options", \.maxKconfigOptions),
    ]

    /// How to raise a limit, for diagnostics' notes.
    static func howToRaise(_ field: WritableKeyPath<Limits, Int>) -> String {
        let name = names.first { $0.field == field }?.name ?? "?"
        return "raise it with '--limit \(name)=N' if the input is meant to be this large"
    }
}

/// The limits the YAML reader applies (the same struct: one set of limits for a manifest).
public typealias YAMLLimits = Limits
