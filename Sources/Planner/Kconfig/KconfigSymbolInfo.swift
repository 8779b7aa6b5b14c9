import Manifest

/// What a tree says about one symbol: for type-checking values and for explanations.
public struct KconfigSymbolInfo: Sendable, Hashable {
    /// The name without `CONFIG_`.
    public var name: String
    public var type: KconfigType
    /// The first prompt, or `nil` for a symbol users cannot set.
    public var prompt: String?
    /// Every `config`/`menuconfig` line that defines it.
    public var definedAt: [SourceLocation]
    /// The `range` lines as written (bounds as symbol names or numbers).
    public var ranges: [KconfigRange]
    /// Whether it is a member of a `choice`.
    public var isChoiceMember: Bool
    public var help: String?

    init(symbol s: KSymbol, table: SymbolTable) {
        name = s.name
        type = s.type
        prompt = s.prompts.first?.text
        definedAt = s.definitions
        ranges = s.ranges.map { KconfigRange(low: table.symbols[$0.low].name, high: table.symbols[$0.high].name, location: $0.location) }
        isChoiceMember = s.choice != nil
        help = s.help
    }
}

/// A `range low high` of an int or hex symbol.
public struct KconfigRange: Sendable, Hashable {
    public var low: String
    public var high: String
    public var location: SourceLocation
}
