import Diagnostics

/// One step of why a symbol has its value.
public struct KconfigDecision: Sendable, Hashable, CustomStringConvertible {
    /// What decided: the seed, a `default`, a `select`, an `imply`, the choice, a `range`, or nothing.
    public enum Kind: String, Sendable, Hashable {
        case user, defaultValue = "default", selected, implied, choice, range, noValue = "none"
    }

    /// What kind of step this is.
    public var kind: Kind
    /// A short lower-case sentence, naming symbols in single quotes.
    public var message: String
    /// The seed line or Kconfig line responsible.
    public var location: SourceLocation?

    init(_ kind: Kind, _ message: String, at location: SourceLocation?) {
        self.kind = kind
        self.message = message
        self.location = location
    }

    /// `file:line:col: message`, or just the message.
    public var description: String {
        location.map { "\($0): \(message)" } ?? message
    }
}

/// The value of one symbol after evaluation.
public struct KconfigValue: Sendable, Hashable {
    /// The name without `CONFIG_`.
    public var name: String
    /// The declared type (`tristate` evaluates like `bool`: Unikraft has no modules).
    public var type: KconfigType
    /// `y`/`n` for booleans, the text for strings (unescaped), the spelling for int/hex.
    public var value: String
    /// Whether conf writes it into `.config`.
    public var isWritten: Bool
    /// Why it has this value, most decisive step last.
    public var explanation: [KconfigDecision]
}

/// The full configuration of a tree for one seed.
public struct KconfigConfiguration: Sendable {
    let evaluator: KconfigEvaluator

    /// The `mainmenu` title.
    public var mainMenu: String { evaluator.storage.mainMenu }

    /// The value of symbol `name` (without `CONFIG_`), or `nil` when it is not defined.
    public func value(of name: String) -> KconfigValue? {
        guard let id = evaluator.storage.symbols.byName[name] else { return nil }
        let s = evaluator.storage.symbols.symbols[id]
        guard s.hasDefinition, !s.isChoice else { return nil }
        return KconfigValue(name: s.name, type: s.type,
                            value: s.type.isBoolean ? evaluator.tri[id].letter : evaluator.val[id],
                            isWritten: evaluator.write[id] && s.type != .unknown,
                            explanation: evaluator.reasons[id])
    }

    /// The int and hex symbols conf writes without a value while their prompt is visible:
    /// Unikraft's configuration step would stop and ask for each of them on the terminal.
    public var visibleNumbersWithoutValue: [KconfigValue] {
        evaluator.storage.symbols.symbols.indices.compactMap { id in
            let s = evaluator.storage.symbols.symbols[id]
            guard s.type == .int || s.type == .hex, !s.isConstant, s.hasDefinition, let value = value(of: s.name),
                  value.isWritten, value.value.isEmpty, evaluator.visibility(id) != .n else { return nil }
            return value
        }
    }

    /// Every defined symbol's value, in definition order.
    public var values: [KconfigValue] {
        evaluator.storage.symbols.symbols.compactMap { s in
            s.isConstant || s.isChoice || !s.hasDefinition ? nil : value(of: s.name)
        }
    }
}
