import Diagnostics

/// What a tree says about one symbol: for type-checking values and for explanations.
public struct KconfigSymbolInfo: Sendable, Hashable {
    /// The name without `CONFIG_`.
    public var name: String
    /// The declared type.
    public var type: KconfigType
    /// The first prompt, or `nil` for a symbol users cannot set.
    public var prompt: String?
    /// Every `config`/`menuconfig` line that defines it.
    public var definedAt: [SourceLocation]
    /// The `range` lines as written (bounds as symbol names or numbers).
    public var ranges: [KconfigRange]
    /// Whether it is a member of a `choice`.
    public var isChoiceMember: Bool
    /// The help text of the first definition that has one.
    public var help: String?

    /// Why conf would reject `value` for this symbol (as text after `CONFIG_NAME=`), or `nil` when it accepts it.
    ///
    /// Only the spelling is checked (and literal `range` bounds): whether the value is used also
    /// depends on the symbol's visibility, which only evaluation knows.
    public func problem(with value: String) -> String? {
        switch type {
        case .bool, .tristate:
            let ok = value.hasPrefix("y") || value.hasPrefix("n") || (type == .tristate && value.hasPrefix("m"))
            return ok ? nil : "value '\(value)' is invalid for bool '\(name)'; use 'y' or 'n'"
        case .string:
            return KconfigEvaluator.unquote(value) == nil
                ? "value \(value) for string '\(name)' must be a double-quoted string, like \(ConfigWriter.quote(value))" : nil
        case .int, .hex:
            guard KconfigEvaluator.isValid(value, type: type) else {
                return type == .int
                    ? "value '\(value)' is invalid for int '\(name)'; use a decimal number without leading zeros"
                    : "value '\(value)' is invalid for hex '\(name)'; use hex digits with an optional '0x'"
            }
            let base = type == .int ? 10 : 16
            for r in ranges {
                let lo = CNumber.parse(r.low, base: base), hi = CNumber.parse(r.high, base: base)
                guard lo.end == r.low.utf8.count, hi.end == r.high.utf8.count else { continue }
                let v = CNumber.strtoll(value, base: base)
                if v < lo.value || v > hi.value {
                    return "value '\(value)' for '\(name)' is outside its range \(r.low)..\(r.high)"
                }
                break
            }
            return nil
        case .unknown:
            return nil
        }
    }

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
    /// The lower bound: a number or a symbol name.
    public var low: String
    /// The upper bound: a number or a symbol name.
    public var high: String
    /// The `range` line.
    public var location: SourceLocation
}
