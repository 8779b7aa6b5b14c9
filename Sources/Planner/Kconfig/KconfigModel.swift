import Diagnostics

/// The type of a Kconfig symbol.
public enum KconfigType: String, Sendable, Hashable {
    case unknown, bool, tristate, string, int, hex

    /// Whether values of this type are `n`/`m`/`y`.
    public var isBoolean: Bool { self == .bool || self == .tristate }
}

/// A Kconfig tristate value, ordered `n < m < y`.
enum Tri: UInt8, Comparable {
    case n = 0, m = 1, y = 2

    static func < (a: Tri, b: Tri) -> Bool { a.rawValue < b.rawValue }
    static func && (a: Tri, b: Tri) -> Tri { min(a, b) }
    static func || (a: Tri, b: Tri) -> Tri { max(a, b) }
    static prefix func ! (a: Tri) -> Tri { Tri(rawValue: 2 - a.rawValue)! }

    var letter: String { self == .y ? "y" : self == .m ? "m" : "n" }
}

/// A comparison operator in a Kconfig expression.
enum CompareOp: String {
    case equal = "=", unequal = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
}

/// An expression over symbol ids.
indirect enum KExpr: Equatable {
    case symbol(Int)
    case not(KExpr)
    case and(KExpr, KExpr)
    case or(KExpr, KExpr)
    case compare(CompareOp, Int, Int)

    /// Every symbol id the expression mentions.
    func forEachSymbol(_ body: (Int) -> Void) {
        switch self {
        case .symbol(let s): body(s)
        case .not(let e): e.forEachSymbol(body)
        case .and(let a, let b), .or(let a, let b): a.forEachSymbol(body); b.forEachSymbol(body)
        case .compare(_, let a, let b): body(a); body(b)
        }
    }

    /// `m` in a dependency means `m && MODULES`; without modules it is `n` (conf's `rewrite_m`).
    func rewritingM() -> KExpr {
        switch self {
        case .symbol(let s): return s == SymbolTable.mID ? .symbol(SymbolTable.nID) : self
        case .not(let e): return .not(e.rewritingM())
        case .and(let a, let b): return .and(a.rewritingM(), b.rewritingM())
        case .or(let a, let b): return .or(a.rewritingM(), b.rewritingM())
        case .compare: return self
        }
    }
}

/// `a && b` where a missing side means "yes".
func andExpr(_ a: KExpr?, _ b: KExpr?) -> KExpr? {
    guard let a else { return b }
    guard let b else { return a }
    return .and(a, b)
}

/// `a || b` where a missing side means "nothing yet".
func orExpr(_ a: KExpr?, _ b: KExpr) -> KExpr {
    guard let a else { return b }
    return .or(a, b)
}

/// A prompt of a symbol, with its full visibility condition.
struct PromptProperty {
    var text: String
    var visible: KExpr?
    var location: SourceLocation
}

/// A `default`, with its full condition (own `if` and inherited dependencies).
struct DefaultProperty {
    var value: KExpr
    var visible: KExpr?
    var location: SourceLocation
}

/// A `range low high`, with its full condition.
struct RangeProperty {
    var low: Int
    var high: Int
    var visible: KExpr?
    var location: SourceLocation
}

/// One `select`/`imply` that reaches a symbol: who, under which condition, where.
struct ReverseDependency {
    var source: Int
    var condition: KExpr?
    var location: SourceLocation
}

/// A symbol (or a constant, or a choice) with everything the parser learnt about it.
final class KSymbol {
    let id: Int
    let name: String
    let isConstant: Bool
    var type: KconfigType = .unknown
    var isChoice = false
    var isOptionalChoice = false
    var choice: Int?
    var members: [Int] = []
    var prompts: [PromptProperty] = []
    var defaults: [DefaultProperty] = []
    var ranges: [RangeProperty] = []
    var selects: [ReverseDependency] = []
    var implies: [ReverseDependency] = []
    var selectedBy: [ReverseDependency] = []
    var impliedBy: [ReverseDependency] = []
    /// The dependencies of each definition that has some (conf ORs them; none means `y`).
    var directDependencies: [KExpr] = []
    var hasDefinition = false
    var definitions: [SourceLocation] = []
    var help: String?

    init(id: Int, name: String, isConstant: Bool) {
        self.id = id
        self.name = name
        self.isConstant = isConstant
    }
}

/// All symbols of a tree, looked up like conf's `sym_lookup`.
struct SymbolTable {
    static let nID = 0, mID = 1, yID = 2

    var symbols: [KSymbol] = []
    var byName: [String: Int] = [:]
    var constants: [String: Int] = [:]

    init() {
        for name in ["n", "m", "y"] {
            let s = KSymbol(id: symbols.count, name: name, isConstant: true)
            s.type = .tristate
            symbols.append(s)
        }
    }

    /// The id of the symbol `name` (a word in the source), created on first use.
    mutating func lookup(_ name: String) -> Int {
        if let special = Self.special(name) { return special }
        if let id = byName[name] { return id }
        let id = symbols.count
        symbols.append(KSymbol(id: id, name: name, isConstant: false))
        byName[name] = id
        return id
    }

    /// The id of the constant `text` (a quoted string in the source).
    mutating func constant(_ text: String) -> Int {
        if let special = Self.special(text) { return special }
        if let id = constants[text] { return id }
        let id = symbols.count
        symbols.append(KSymbol(id: id, name: text, isConstant: true))
        constants[text] = id
        return id
    }

    /// A new choice symbol (named choices are shared by name).
    mutating func choice(named name: String?) -> Int {
        if let name, let id = byName["\u{1}choice:" + name] { return id }
        let id = symbols.count
        let s = KSymbol(id: id, name: name ?? "<choice>", isConstant: false)
        s.isChoice = true
        symbols.append(s)
        if let name { byName["\u{1}choice:" + name] = id }
        return id
    }

    private static func special(_ name: String) -> Int? {
        switch name {
        case "n": nID
        case "m": mID
        case "y": yID
        default: nil
        }
    }
}

/// A node of the menu tree, in source order.
final class MenuNode {
    enum Kind {
        case root
        case symbol(Int)
        case choice(Int)
        case menu
        case comment
        case ifBlock
    }

    let kind: Kind
    let location: SourceLocation
    var prompt: String?
    /// `depends on` lines and the `if` condition of this node, before propagation.
    var ownDependencies: [KExpr] = []
    /// `visible if` of a menu.
    var visibility: KExpr?
    /// The full condition of the prompt written at this node (conf's `menu->prompt->visible.expr`).
    var promptVisibility: KExpr?
    /// Whether this node has a prompt (a symbol prompt, or a menu or comment title).
    var hasPrompt = false
    /// Parent dependencies and own dependencies (conf's `menu->dep` after finalization).
    var dependency: KExpr?
    var children: [MenuNode] = []
    weak var parent: MenuNode?

    init(_ kind: Kind, at location: SourceLocation) {
        self.kind = kind
        self.location = location
    }

    var symbolID: Int? {
        if case .symbol(let id) = kind { return id }
        return nil
    }
}
