
/// Why a symbol has its value in a configuration, and what it would take to turn it on.
public struct SymbolExplanation: Sendable {
    public var symbol: KconfigSymbolInfo
    public var value: KconfigValue
    /// For a bool or tristate that is off: the other symbols to turn on (a smallest set
    /// found) so that it can be set; empty when it can be set as it is; nil when enabling
    /// symbols is not enough (a `!X` dependency, a comparison, a choice already made).
    public var toEnable: [String]?
}

extension KconfigConfiguration {
    /// The explanation of symbol `name` (without `CONFIG_`), or nil when it is not defined.
    public func explain(_ name: String) -> SymbolExplanation? {
        guard let id = evaluator.storage.symbols.byName[name], let value = value(of: name) else { return nil }
        let info = KconfigSymbolInfo(symbol: evaluator.storage.symbols.symbols[id], table: evaluator.storage.symbols)
        var toEnable: [String]?
        if value.type.isBoolean, value.value == "n" {
            var search = EnableSearch(evaluator: evaluator)
            toEnable = search.requirements(ofSettable: id).map { $0.subtracting([id]).map { evaluator.storage.symbols.symbols[$0].name }.sorted() }
        }
        return SymbolExplanation(symbol: info, value: value, toEnable: toEnable)
    }
}

/// Finds a small set of symbols whose being on lets a symbol be on: through its prompt
/// (visibility and dependencies) or through a `select`. Greedy over alternatives, memoized,
/// and bounded, so it terminates on any tree; it is a help for people, not a solver.
private struct EnableSearch {
    let evaluator: KconfigEvaluator
    private var memo: [Int: Set<Int>?] = [:]
    private var visiting: Set<Int> = []

    init(evaluator: KconfigEvaluator) { self.evaluator = evaluator }

    private var symbols: [KSymbol] { evaluator.storage.symbols.symbols }

    /// What must be on for `id` to be settable by the user (it itself is included).
    mutating func requirements(ofSettable id: Int) -> Set<Int>? {
        let s = symbols[id]
        var best: Set<Int>?
        if !s.prompts.isEmpty {
            let prompt = s.prompts.compactMap { p -> Set<Int>? in need(p.visible) }.min { $0.count < $1.count }
            let dependencies = s.directDependencies.isEmpty ? Set<Int>() : s.directDependencies.compactMap { need($0) }.min { $0.count < $1.count }
            if let prompt, let dependencies { best = prompt.union(dependencies).union([id]) }
        }
        return best ?? requirements(of: id)
    }

    /// What must be on for `id` to be on (it itself included), memoized.
    mutating func requirements(of id: Int) -> Set<Int>? {
        if evaluator.tri[id] == .y { return [] }
        if let known = memo[id] { return known }
        if visiting.contains(id) || visiting.count > 64 { return nil }
        visiting.insert(id)
        defer { visiting.remove(id) }
        let s = symbols[id]
        var options: [Set<Int>] = []
        if s.isConstant { return nil }
        if !s.prompts.isEmpty, s.choice == nil {
            let prompt = s.prompts.compactMap { p -> Set<Int>? in need(p.visible) }.min { $0.count < $1.count }
            let dependencies = s.directDependencies.isEmpty ? Set<Int>() : s.directDependencies.compactMap { need($0) }.min { $0.count < $1.count }
            if let prompt, let dependencies { options.append(prompt.union(dependencies).union([id])) }
        }
        for r in s.selectedBy {
            if let source = requirements(of: r.source), let condition = need(r.condition) {
                options.append(source.union(condition))
            }
        }
        let result = options.min { $0.count < $1.count }
        memo[id] = result
        return result
    }

    /// What must be on for expression `e` to be true; nil when turning symbols on cannot make it so.
    mutating func need(_ e: KExpr?) -> Set<Int>? {
        guard let e else { return [] }
        if evaluator.eval(e) == .y { return [] }
        switch e {
        case .symbol(let s): return requirements(of: s)
        case .and(let a, let b):
            guard let x = need(a), let y = need(b) else { return nil }
            return x.union(y)
        case .or(let a, let b):
            return [need(a), need(b)].compactMap { $0 }.min { $0.count < $1.count }
        case .not, .compare:
            return nil
        }
    }
}
