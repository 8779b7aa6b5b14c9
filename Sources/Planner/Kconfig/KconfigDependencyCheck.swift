import Diagnostics

/// Finds dependency loops the way conf's `sym_check_deps` does, which makes conf refuse the tree.
///
/// A symbol depends on the symbols in its direct dependencies, its selectors and implyers (and
/// their conditions), its prompt, default and range conditions, and its default values. A choice
/// and its members count as one symbol.
struct KconfigDependencyCheck {
    let symbols: [KSymbol]

    private func group(_ id: Int) -> Int { symbols[id].choice ?? id }

    private func edges(of node: Int) -> [(to: Int, location: SourceLocation?)] {
        ([node] + symbols[node].members).flatMap(references).compactMap { s, loc in
            let g = group(s)
            return g == node && symbols[node].isChoice ? nil : (g, loc)
        }
    }

    /// The symbols `id`'s definition names (conf's `sym_check_sym_deps`), with where.
    private func references(_ id: Int) -> [(symbol: Int, location: SourceLocation?)] {
        var out: [(Int, SourceLocation?)] = []
        func add(_ e: KExpr?, _ loc: SourceLocation?) {
            e?.forEachSymbol { s in
                let sym = symbols[s]
                guard !sym.isConstant, sym.hasDefinition else { return }
                out.append((s, loc))
            }
        }
        let s = symbols[id]
        let loc = s.definitions.first
        for d in s.directDependencies { add(d, loc) }
        for r in s.selectedBy { add(.symbol(r.source), r.location); add(r.condition, r.location) }
        for r in s.impliedBy { add(.symbol(r.source), r.location); add(r.condition, r.location) }
        for p in s.prompts { add(p.visible, p.location) }
        for d in s.defaults {
            add(d.visible, d.location)
            if !s.isChoice { add(d.value, d.location) }
        }
        for r in s.ranges { add(r.visible, r.location) }
        return out
    }

    /// conf checks a choice with all of its values on its stack at once, so a value (or the
    /// choice) whose definition names a value of the same choice is a loop. (A symbol conf moved
    /// under an earlier value is no value of the choice, so it may name that one.)
    private func choiceValueLoops() -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for choice in symbols.indices where symbols[choice].isChoice {
            for id in [choice] + symbols[choice].members {
                guard let (named, location) = references(id).first(where: { symbols[$0.symbol].choice == choice }) else { continue }
                let what = id == choice ? "the choice" : "'\(symbols[id].name)'"
                diagnostics.append(.error("kconfig-recursive-dependency",
                    "recursive dependency: \(what) depends on '\(symbols[named].name)', a value of the same choice; conf refuses such a tree (a value may depend on the value just before it, which conf then shows it under)",
                    at: location ?? symbols[id].definitions.first))
            }
        }
        return diagnostics
    }

    /// One error per loop found.
    func run() -> [Diagnostic] {
        let n = symbols.count
        var color = [UInt8](repeating: 0, count: n)  // 0 new, 1 on stack, 2 done
        var diagnostics: [Diagnostic] = []
        var reported = Set<Int>()
        for startID in 0..<n {
            let start = group(startID)
            guard color[start] == 0, symbols[start].hasDefinition, !symbols[start].isConstant else { continue }
            // Iterative DFS: (node, its edges, next edge index).
            var stack: [(node: Int, edges: [(to: Int, location: SourceLocation?)], next: Int)] = [(start, edges(of: start), 0)]
            color[start] = 1
            while !stack.isEmpty {
                let top = stack.count - 1
                if stack[top].next >= stack[top].edges.count {
                    color[stack[top].node] = 2
                    stack.removeLast()
                    continue
                }
                let edge = stack[top].edges[stack[top].next]
                stack[top].next += 1
                switch color[edge.to] {
                case 0:
                    color[edge.to] = 1
                    stack.append((edge.to, edges(of: edge.to), 0))
                case 1:
                    guard let from = stack.firstIndex(where: { $0.node == edge.to }) else { continue }
                    let loop = stack[from...].map(\.node)
                    if loop.contains(where: { reported.contains($0) }) { continue }
                    reported.formUnion(loop)
                    let names = loop.map { "'\(symbols[$0].name)'" } + ["'\(symbols[edge.to].name)'"]
                    var notes: [DiagnosticNote] = []
                    for (i, entry) in stack[from...].enumerated() {
                        let e = entry.edges[entry.next - 1]
                        notes.append(DiagnosticNote("'\(symbols[entry.node].name)' depends on '\(symbols[names.count > i + 1 ? loop[(i + 1) % loop.count] : e.to].name)' here", at: e.location))
                    }
                    diagnostics.append(.error("kconfig-recursive-dependency",
                        "recursive dependency: \(names.joined(separator: " depends on ")); conf refuses such a tree",
                        at: symbols[edge.to].definitions.first, notes: notes))
                default:
                    break
                }
            }
        }
        return diagnostics + choiceValueLoops()
    }
}
