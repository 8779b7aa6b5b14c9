import Diagnostics

/// Propagates dependencies down the menu tree into every property (conf's `menu_finalize`),
/// links selects and implies to their targets, and sets up choices.
struct KconfigFinalizer {
    let parser: KconfigParser
    private var diagnostics = DiagnosticList()

    init(parser: KconfigParser) {
        self.parser = parser
    }

    private var symbols: [KSymbol] { parser.symbols.symbols }

    mutating func run() -> [Diagnostic] {
        walk(parser.root, parentDependency: nil)
        check()
        diagnostics.append(contentsOf: KconfigDependencyCheck(symbols: symbols).run())
        return diagnostics.all
    }

    private mutating func walk(_ node: MenuNode, parentDependency: KExpr?) {
        for child in node.children {
            var dep = parentDependency
            for e in child.ownDependencies { dep = andExpr(dep, e.rewritingM()) }
            child.dependency = dep
            switch child.kind {
            case .symbol(let id), .choice(let id):
                let s = symbols[id]
                for p in parser.rawProperties[ObjectIdentifier(child)] ?? [] {
                    apply(p, to: s, dependency: dep)
                    if case .prompt(_, let cond, _) = p, !child.hasPrompt {
                        child.hasPrompt = true
                        child.promptVisibility = andExpr(dep, cond?.rewritingM())
                    }
                }
                if let dep { s.directDependencies.append(dep) }
                if case .choice = child.kind {
                    walk(child, parentDependency: .symbol(id))
                    collectMembers(of: child, choice: s)
                }
            case .menu, .ifBlock:
                if case .menu = child.kind {
                    child.hasPrompt = true
                    child.promptVisibility = dep
                }
                walk(child, parentDependency: dep)
            case .comment, .root:
                break
            }
        }
    }

    private func apply(_ p: RawProperty, to s: KSymbol, dependency dep: KExpr?) {
        switch p {
        case .prompt(let text, let cond, let loc):
            s.prompts.append(PromptProperty(text: text, visible: andExpr(dep, cond?.rewritingM()), location: loc))
        case .defaultValue(let value, let cond, let loc):
            s.defaults.append(DefaultProperty(value: value, visible: andExpr(dep, cond?.rewritingM()), location: loc))
        case .select(let target, let cond, let loc):
            let r = ReverseDependency(source: s.id, condition: andExpr(dep, cond?.rewritingM()), location: loc)
            s.selects.append(ReverseDependency(source: target, condition: r.condition, location: loc))
            symbols[target].selectedBy.append(r)
        case .imply(let target, let cond, let loc):
            let r = ReverseDependency(source: s.id, condition: andExpr(dep, cond?.rewritingM()), location: loc)
            s.implies.append(ReverseDependency(source: target, condition: r.condition, location: loc))
            symbols[target].impliedBy.append(r)
        case .range(let low, let high, let cond, let loc):
            s.ranges.append(RangeProperty(low: low, high: high, visible: andExpr(dep, cond?.rewritingM()), location: loc))
        }
    }

    /// The top-level `&&` operands of `e`.
    private static func conjuncts(_ e: KExpr?) -> [KExpr] {
        guard let e else { return [] }
        if case .and(let a, let b) = e { return conjuncts(a) + conjuncts(b) }
        return [e]
    }

    /// conf's `expr_depends_symbol`: `dep` requires `id` through a top-level `&&` operand.
    private static func dependsAbsolutely(_ dep: KExpr?, on id: Int) -> Bool {
        conjuncts(dep).contains { c in
            switch c {
            case .symbol(id): return true
            case .compare(.equal, id, SymbolTable.yID), .compare(.equal, id, SymbolTable.mID): return true
            case .compare(.unequal, id, SymbolTable.nID): return true
            default: return false
            }
        }
    }

    private static func contains(_ e: KExpr?, _ id: Int) -> Bool {
        var found = false
        e?.forEachSymbol { if $0 == id { found = true } }
        return found
    }

    /// The nodes conf's automatic submenu creation moves under an earlier symbol in `list`:
    /// the consecutive following siblings whose dependencies require that symbol, or contain
    /// it and include all of its prompt's conditions. Such symbols are not choice members.
    private static func autoSubmenuChildren(_ list: [MenuNode]) -> Set<ObjectIdentifier> {
        var moved = Set<ObjectIdentifier>()
        var i = 0
        while i < list.count {
            guard case .symbol(let id) = list[i].kind else { i += 1; continue }
            let base = conjuncts(list[i].hasPrompt ? list[i].promptVisibility : nil)
            var j = i + 1
            while j < list.count {
                let sibling = list[j]
                let dep = sibling.hasPrompt ? sibling.promptVisibility : sibling.dependency
                guard contains(dep, id) else { break }
                let own = conjuncts(dep)
                guard dependsAbsolutely(dep, on: id) || base.allSatisfy({ own.contains($0) }) else { break }
                moved.insert(ObjectIdentifier(sibling))
                j += 1
            }
            i = j
        }
        return moved
    }

    /// Symbols directly in a choice (through `if` blocks) are its members.
    private func collectMembers(of node: MenuNode, choice: KSymbol) {
        func visit(_ n: MenuNode) {
            let moved = Self.autoSubmenuChildren(n.children)
            for child in n.children where !moved.contains(ObjectIdentifier(child)) {
                switch child.kind {
                case .symbol(let id):
                    let m = symbols[id]
                    if m.choice == nil && !choice.members.contains(id) {
                        m.choice = choice.id
                        choice.members.append(id)
                    }
                case .ifBlock:
                    visit(child)
                default:
                    break
                }
            }
        }
        visit(node)
        if choice.type == .unknown {
            choice.type = choice.members.lazy.map { self.symbols[$0].type }.first { $0 != .unknown } ?? .unknown
        }
        for id in choice.members where symbols[id].type == .unknown {
            symbols[id].type = choice.type
        }
    }

    private mutating func check() {
        for s in symbols where s.hasDefinition && !s.isConstant {
            if s.type == .unknown && !s.isChoice {
                diagnostics.append(.warning("kconfig-no-type",
                    "config symbol '\(s.name)' is defined without a type; add 'bool', 'tristate', 'string', 'int' or 'hex'",
                    at: s.definitions.first))
            }
            if s.isChoice && s.prompts.isEmpty {
                diagnostics.append(.warning("kconfig-choice-prompt", "a choice must have a prompt", at: s.definitions.first))
            }
            if s.choice != nil, let d = s.defaults.first {
                diagnostics.append(.warning("kconfig-choice-default",
                    "defaults for choice values are not supported; put the default on the choice", at: d.location))
            }
            for r in s.selects + s.implies where symbols[r.source].hasDefinition && !symbols[r.source].type.isBoolean
                && symbols[r.source].type != .unknown {
                diagnostics.append(.warning("kconfig-select-type",
                    "'\(symbols[r.source].name)' has type \(symbols[r.source].type.rawValue); 'select' and 'imply' only accept bool and tristate symbols",
                    at: r.location))
            }
        }
    }
}
