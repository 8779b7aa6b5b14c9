/// Bounds on what the YAML reader accepts, so that hostile input cannot exhaust
/// memory or time. Each overrun is a located diagnostic naming the limit.
public struct YAMLLimits: Sendable {
    /// Largest input, in bytes.
    public var maxBytes: Int
    /// Deepest nesting of sequences and mappings.
    public var maxDepth: Int
    /// Most nodes in the tree after expanding aliases ("billion laughs" guard).
    public var maxNodes: Int

    public init(maxBytes: Int = 64 << 20, maxDepth: Int = 128, maxNodes: Int = 2_000_000) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxNodes = maxNodes
    }
}
