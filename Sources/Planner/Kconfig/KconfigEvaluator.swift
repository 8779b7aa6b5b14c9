import Diagnostics

/// Computes symbol values with conf's semantics (Linux 5.2 `sym_calc_value` as
/// patched by Unikraft), lazily and memoized, without loadable modules.
///
/// It is mutated only by `load` and `computeAll`; after that it is read-only (which is why it
/// may be `Sendable`).
final class KconfigEvaluator: @unchecked Sendable {
    let storage: KconfigStorage
    private var symbols: [KSymbol] { storage.symbols.symbols }

    // User values (conf's S_DEF_USER).
    var userTri: [Tri?]
    var userString: [String?]
    var userLocation: [SourceLocation?]
    var choiceUser: [Int?]
    var choiceUserTri: [Tri]

    // Computed state.
    private var state: [UInt8]
    private var visDepth = 0
    var tri: [Tri]
    var val: [String]
    var visible: [Tri]
    var write: [Bool]
    var selection: [Int?]
    var reasons: [[KconfigDecision]]
    var diagnostics = DiagnosticList()
    private var warnedUnmet: Set<Int> = []
    private var depth = 0
    private var depthReported = false
    /// How many symbols one evaluation may chain through (each needs stack).
    static let maxDepth = 1000

    init(storage: KconfigStorage) {
        self.storage = storage
        let n = storage.symbols.symbols.count
        userTri = Array(repeating: nil, count: n)
        userString = Array(repeating: nil, count: n)
        userLocation = Array(repeating: nil, count: n)
        choiceUser = Array(repeating: nil, count: n)
        choiceUserTri = Array(repeating: .n, count: n)
        state = Array(repeating: 0, count: n)
        tri = Array(repeating: .n, count: n)
        val = Array(repeating: "", count: n)
        visible = Array(repeating: .n, count: n)
        write = Array(repeating: false, count: n)
        selection = Array(repeating: nil, count: n)
        reasons = Array(repeating: [], count: n)
    }

    // MARK: Seed

    /// Loads assignments as conf's `conf_read_simple` does for user values.
    func load(_ seed: [KconfigAssignment]) {
        var assigned = Set<Int>()
        for a in seed {
            guard let id = storage.symbols.byName[a.name] else { continue }
            let s = symbols[id]
            if assigned.contains(id) {
                diagnostics.append(.warning("kconfig-seed-override", "'\(configPrefix)\(a.name)' is assigned again; the last value wins", at: a.location))
            }
            var newTri: Tri?
            switch a.value {
            case .notSet:
                guard s.type.isBoolean else { continue }
                newTri = .n
                userTri[id] = .n
            case .raw(let text):
                switch s.type {
                case .bool, .tristate:
                    let first = text.utf8.first
                    if first == UInt8(ascii: "m") && s.type == .tristate { newTri = .m }
                    else if first == UInt8(ascii: "y") { newTri = .y }
                    else if first == UInt8(ascii: "n") { newTri = .n }
                    else {
                        diagnostics.append(.warning("kconfig-seed-value",
                            "value '\(text)' is invalid for bool '\(a.name)'; write 'y' or 'n' (the line is ignored)", at: a.location))
                        continue
                    }
                    userTri[id] = newTri
                case .string:
                    guard let value = Self.unquote(text) else {
                        if text.hasPrefix("\"") {
                            diagnostics.append(.warning("kconfig-seed-value",
                                "string value for '\(a.name)' has no closing quote (the line is ignored)", at: a.location))
                        } else {
                            diagnostics.append(.warning("kconfig-seed-value",
                                "string value '\(text)' for '\(a.name)' is not quoted; write \"\(text)\" (the line is ignored)", at: a.location))
                        }
                        continue
                    }
                    userString[id] = value
                case .int, .hex:
                    guard Self.isValid(text, type: s.type) else {
                        let hint = s.type == .int ? "a decimal number without leading zeros" : "hex digits with an optional '0x'"
                        diagnostics.append(.warning("kconfig-seed-value",
                            "value '\(text)' is invalid for \(s.type.rawValue) '\(a.name)'; write \(hint) (the line is ignored)", at: a.location))
                        continue
                    }
                    userString[id] = text
                case .unknown:
                    continue
                }
            }
            assigned.insert(id)
            userLocation[id] = a.location
            if let c = s.choice, let t = newTri {
                if t == .y {
                    if let previous = choiceUser[c], previous != id {
                        diagnostics.append(.warning("kconfig-seed-choice",
                            "'\(configPrefix)\(a.name)' changes the choice already set to '\(symbols[previous].name)'; the last one wins",
                            at: a.location))
                    }
                    choiceUser[c] = id
                }
                choiceUserTri[c] = choiceUserTri[c] || t
            }
        }
    }

    private var configPrefix: String { "CONFIG_" }

    /// conf's string parsing: `"…"` with backslash escapes, ending at the first unescaped quote.
    static func unquote(_ text: String) -> String? {
        var scalars = text.unicodeScalars.makeIterator()
        guard scalars.next() == "\"" else { return nil }
        var out = String.UnicodeScalarView()
        while let c = scalars.next() {
            if c == "\"" { return String(out) }
            if c == "\\" {
                guard let n = scalars.next() else { return nil }
                out.append(n)
                continue
            }
            out.append(c)
        }
        return nil
    }

    /// conf's `sym_string_valid` for int and hex.
    static func isValid(_ text: String, type: KconfigType) -> Bool {
        var b = Array(text.utf8)[...]
        func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        func isHex(_ c: UInt8) -> Bool { isDigit(c) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x66) }
        switch type {
        case .int:
            if b.first == UInt8(ascii: "-") { b = b.dropFirst() }
            guard let first = b.first, isDigit(first) else { return false }
            if first == 0x30 && b.count > 1 { return false }
            return b.allSatisfy(isDigit)
        case .hex:
            if b.count >= 2 && b[b.startIndex] == 0x30 && b[b.startIndex + 1] | 0x20 == UInt8(ascii: "x") { b = b.dropFirst(2) }
            return !b.isEmpty && b.allSatisfy(isHex)
        case .string: return true
        default: return false
        }
    }

    // MARK: Expressions

    func eval(_ e: KExpr?) -> Tri {
        guard let e else { return .y }
        switch e {
        case .symbol(let s):
            compute(s)
            return tri[s]
        case .not(let a): return !eval(a)
        case .and(let a, let b): return eval(a) && eval(b)
        case .or(let a, let b): return eval(a) || eval(b)
        case .compare(let op, let l, let r): return compare(op, l, r)
        }
    }

    /// `sym_get_string_value`: `n`/`m`/`y` for booleans, else the current value.
    func stringValue(_ id: Int) -> String {
        compute(id)
        let s = symbols[id]
        if s.type.isBoolean && !(s.isConstant && id > SymbolTable.yID) {
            return tri[id] == .m ? "n" : tri[id].letter
        }
        return val[id]
    }

    private enum Kind { case string, signed, unsigned }

    private func parseForCompare(_ str: String, type: KconfigType) -> (Kind, Int64, UInt64) {
        switch type {
        case .bool, .tristate:
            let v: Int64 = str == "n" ? 0 : str == "m" ? 1 : str == "y" ? 2 : -1
            return (.signed, v, UInt64(bitPattern: v))
        default:
            let base = type == .int ? 10 : type == .hex ? 16 : 0
            let p = CNumber.parse(str, base: base, unsigned: type == .hex)
            let b = Array(str.utf8)
            let ok = !p.overflow && p.end == b.count && p.end > 0 && Self.isHexDigit(b[p.end - 1])
            if !ok { return (.string, 0, 0) }
            return (type == .hex ? .unsigned : .signed, p.value, p.unsignedValue)
        }
    }

    private static func isHexDigit(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x66)
    }

    private func compare(_ op: CompareOp, _ l: Int, _ r: Int) -> Tri {
        let s1 = stringValue(l), s2 = stringValue(r)
        let t1 = typeForCompare(l), t2 = typeForCompare(r)
        var res: Int
        if t1 == .string && t2 == .string {
            res = Self.strcmp(s1, s2)
        } else {
            let (k1, lv, lu) = parseForCompare(s1, type: t1)
            let (k2, rv, ru) = parseForCompare(s2, type: t2)
            if k1 == .string || k2 == .string { res = Self.strcmp(s1, s2) }
            else if k1 == .unsigned || k2 == .unsigned { res = lu > ru ? 1 : lu < ru ? -1 : 0 }
            else { res = lv > rv ? 1 : lv < rv ? -1 : 0 }
        }
        let result: Bool
        switch op {
        case .equal: result = res == 0
        case .unequal: result = res != 0
        case .less: result = res < 0
        case .lessEqual: result = res <= 0
        case .greater: result = res > 0
        case .greaterEqual: result = res >= 0
        }
        return result ? .y : .n
    }

    private func typeForCompare(_ id: Int) -> KconfigType {
        let s = symbols[id]
        if s.isConstant && id > SymbolTable.yID { return .unknown }
        return s.type
    }

    private static func strcmp(_ a: String, _ b: String) -> Int {
        let x = Array(a.utf8), y = Array(b.utf8)
        return x.lexicographicallyPrecedes(y) ? -1 : (x == y ? 0 : 1)
    }

    // MARK: Symbols

    /// Prompt visibility (`sym_calc_visibility`), with `m` rounded up without modules.
    func visibility(_ id: Int) -> Tri {
        // Not memoized: conf recomputes visibility on every call, and a choice member's
        // visibility depends on its choice while the choice is being computed.
        if visDepth > 10_000 { return visible[id] }
        visDepth += 1
        defer { visDepth -= 1 }
        var v = Tri.n
        for p in symbols[id].prompts { v = v || eval(p.visible) }
        if v == .m { v = .y }
        visible[id] = v
        return v
    }

    private func firstActive<T>(_ items: [T], _ condition: (T) -> KExpr?) -> (T, Tri)? {
        for item in items {
            let t = eval(condition(item))
            if t != .n { return (item, t) }
        }
        return nil
    }

    /// Computes the value of `id` once (`sym_calc_value`).
    func compute(_ id: Int) {
        if state[id] != 0 { return }
        if depth >= Self.maxDepth {
            if !depthReported {
                depthReported = true
                diagnostics.append(.error("kconfig-evaluation-depth",
                    "evaluating '\(symbols[id].name)' needs a chain of more than \(Self.maxDepth) symbols; the limit is \(Self.maxDepth), values past it are taken as 'n'",
                    at: symbols[id].definitions.first))
            }
            return
        }
        depth += 1
        defer { depth -= 1 }
        let s = symbols[id]
        if s.isConstant {
            state[id] = 2
            switch id {
            case SymbolTable.nID: tri[id] = .n; val[id] = "n"
            case SymbolTable.mID: tri[id] = .m; val[id] = "m"
            case SymbolTable.yID: tri[id] = .y; val[id] = "y"
            default: tri[id] = .n; val[id] = s.name
            }
            return
        }
        if s.type == .unknown && !s.isChoice {
            state[id] = 2
            tri[id] = .n
            val[id] = s.name
            return
        }
        state[id] = 1
        tri[id] = .n
        val[id] = s.type.isBoolean || s.isChoice ? "n" : ""
        let vis = visibility(id)
        var shouldWrite = vis != .n
        var why: [KconfigDecision] = []

        switch s.type {
        case .bool, .tristate, .unknown:
            var newval = Tri.n
            if let c = s.choice, vis == .y {
                compute(c)
                newval = selection[c] == id ? .y : .n
                why.append(KconfigDecision(.choice, newval == .y
                    ? "selected in its choice\(choiceHow(c))" : "another member of its choice is selected",
                    at: symbols[c].definitions.first))
            } else {
                var dirDep = Tri.y, revDep = Tri.n, implied = Tri.n
                if s.choice == nil {
                    dirDep = s.directDependencies.isEmpty ? .y : s.directDependencies.reduce(Tri.n) { $0 || eval($1) }
                    if dirDep == .m { dirDep = .y }
                    revDep = s.selectedBy.reduce(Tri.n) { $0 || eval(.symbol($1.source)) && eval($1.condition) }
                    if s.isChoice, !s.isOptionalChoice, !s.prompts.isEmpty {
                        // conf adds `<prompt visibility> && m` as a reverse dependency of non-optional choices.
                        revDep = revDep || (s.prompts.reduce(Tri.n) { $0 || eval($1.visible) } && .m)
                    }
                    if revDep == .m { revDep = .y }
                    if dirDep != .n {
                        implied = s.impliedBy.reduce(Tri.n) { $0 || eval(.symbol($1.source)) && eval($1.condition) }
                        if implied == .m { implied = .y }
                    }
                }
                var fromUser = false
                if vis != .n {
                    if s.isChoice {
                        newval = choiceUserTri[id] && vis
                        fromUser = true
                    } else if let u = userTri[id] {
                        newval = u && vis
                        fromUser = true
                        why.append(KconfigDecision(.user, "set to '\(u.letter)' by the seed", at: userLocation[id]))
                    }
                }
                if !fromUser {
                    if revDep != .n { shouldWrite = true }
                    if !s.isChoice {
                        if let (d, cond) = firstActive(s.defaults, { $0.visible }) {
                            newval = eval(d.value) && cond
                            if newval != .n { shouldWrite = true }
                            why.append(KconfigDecision(.defaultValue, "default '\(newval == .m ? "y" : newval.letter)'", at: d.location))
                        }
                        if implied != .n {
                            shouldWrite = true
                            if newval < implied {
                                for r in s.impliedBy where (eval(.symbol(r.source)) && eval(r.condition)) != .n {
                                    why.append(KconfigDecision(.implied, "implied by '\(symbols[r.source].name)'", at: r.location))
                                }
                            }
                            newval = newval || implied
                        }
                    }
                }
                if dirDep < revDep && !s.isChoice { warnUnmet(id, dirDep: dirDep) }
                if newval < revDep && !s.isChoice {
                    for r in s.selectedBy where (eval(.symbol(r.source)) && eval(r.condition)) != .n {
                        why.append(KconfigDecision(.selected, "selected by '\(symbols[r.source].name)'", at: r.location))
                    }
                }
                newval = newval || revDep
            }
            if newval == .m { newval = .y }
            tri[id] = newval
            if why.isEmpty {
                why.append(KconfigDecision(.noValue, vis == .n
                    ? "not visible and no active default, select or imply" : "no value given and no active default", at: nil))
            }
            if s.isChoice && newval == .y {
                selection[id] = calcChoice(id)
                if selection[id] == nil { tri[id] = .n }
            }
        case .string, .int, .hex:
            var value = ""
            var done = false
            if vis != .n, let u = userString[id] {
                if s.type == .string || withinRange(id, u) {
                    value = u
                    done = true
                    why.append(KconfigDecision(.user, "set by the seed", at: userLocation[id]))
                } else {
                    diagnostics.append(.warning("kconfig-seed-range",
                        "value '\(u)' for '\(s.name)' is outside its range\(rangeText(id)); the default is used instead",
                        at: userLocation[id]))
                }
            }
            if !done, let (d, _) = firstActive(s.defaults, { $0.visible }) {
                if case .symbol(let ds) = d.value {
                    shouldWrite = true
                    compute(ds)
                    value = val[ds]
                    why.append(KconfigDecision(.defaultValue, symbols[ds].isConstant || symbols[ds].type == .unknown
                        ? "default" : "default from '\(symbols[ds].name)'", at: d.location))
                } else {
                    why.append(KconfigDecision(.defaultValue, "default is an expression, which has no \(s.type.rawValue) value", at: d.location))
                }
            }
            if why.isEmpty { why.append(KconfigDecision(.noValue, "no value given and no active default", at: nil)) }
            val[id] = value
            if s.type != .string, let clamped = clamp(id, value) {
                val[id] = clamped.value
                why.append(KconfigDecision(.range, "clamped into its range", at: clamped.location))
            }
        }
        write[id] = shouldWrite
        reasons[id] = why
        state[id] = 2
    }

    private func choiceHow(_ c: Int) -> String {
        if let u = choiceUser[c], selection[c] == u { return " by the seed" }
        return ""
    }

    /// `sym_calc_choice`: the user's member if visible, else the first active visible default, else the first visible member.
    private func calcChoice(_ c: Int) -> Int? {
        let s = symbols[c]
        for m in s.members { _ = visibility(m) }
        if let u = choiceUser[c], visibility(u) != .n { return u }
        for d in s.defaults where eval(d.visible) != .n {
            if case .symbol(let ds) = d.value, visibility(ds) != .n { return ds }
        }
        return s.members.first { visibility($0) != .n }
    }

    private func rangeBound(_ id: Int, base: Int) -> Int64 {
        compute(id)
        let s = symbols[id]
        let b = s.isConstant && id > SymbolTable.yID ? base : (s.type == .int ? 10 : s.type == .hex ? 16 : base)
        return CNumber.strtoll(val[id], base: b)
    }

    private func activeRange(_ id: Int) -> RangeProperty? {
        symbols[id].ranges.first { eval($0.visible) != .n }
    }

    private func rangeText(_ id: Int) -> String {
        guard let r = activeRange(id) else { return "" }
        return " \(val[r.low])..\(val[r.high])"
    }

    private func withinRange(_ id: Int, _ text: String) -> Bool {
        let s = symbols[id]
        guard s.type == .int || s.type == .hex, let r = activeRange(id) else { return true }
        let base = s.type == .int ? 10 : 16
        let v = CNumber.strtoll(text, base: base)
        return v >= rangeBound(r.low, base: base) && v <= rangeBound(r.high, base: base)
    }

    /// `sym_validate_range`: a value outside the active range becomes the nearest bound.
    private func clamp(_ id: Int, _ text: String) -> (value: String, location: SourceLocation)? {
        let s = symbols[id]
        guard let r = activeRange(id) else { return nil }
        let base = s.type == .int ? 10 : 16
        let v = CNumber.strtoll(text, base: base)
        var bound = rangeBound(r.low, base: base)
        if v >= bound {
            bound = rangeBound(r.high, base: base)
            if v <= bound { return nil }
        }
        return (s.type == .int ? String(bound) : CNumber.hexString(bound), r.location)
    }

    private func warnUnmet(_ id: Int, dirDep: Tri) {
        guard !warnedUnmet.contains(id) else { return }
        warnedUnmet.insert(id)
        let s = symbols[id]
        var notes: [DiagnosticNote] = []
        for r in s.selectedBy where (eval(.symbol(r.source)) && eval(r.condition)) != .n {
            notes.append(DiagnosticNote("selected by '\(symbols[r.source].name)' here", at: r.location))
        }
        diagnostics.append(.warning("kconfig-unmet-dependency",
            "unmet direct dependencies detected for '\(s.name)': it is selected, but its dependencies are 'n'; it is set to 'y' anyway",
            at: s.definitions.first, notes: notes))
    }

    /// Warns about seed values conf ignores silently because the symbol has no visible prompt.
    func reportIgnoredUserValues() {
        for id in symbols.indices where userLocation[id] != nil && state[id] == 2 && visibility(id) == .n {
            let s = symbols[id]
            let why = s.prompts.isEmpty ? "it has no prompt, so its value is computed" : "its prompt is hidden (dependencies not met)"
            diagnostics.append(.warning("kconfig-seed-ignored",
                "the value for '\(configPrefix)\(s.name)' is ignored: \(why)", at: userLocation[id],
                notes: s.definitions.prefix(1).map { DiagnosticNote("'\(s.name)' is defined here", at: $0) }))
        }
    }

    /// Computes every symbol. Symbols cut off by the depth limit are computed by a later pass,
    /// so that afterwards nothing changes any more: the evaluator is then read-only and can be
    /// shared between threads.
    func computeAll() {
        var pending = Array(symbols.indices)
        while !pending.isEmpty {
            for id in pending { compute(id) }
            let left = pending.filter { state[$0] == 0 }
            if left.count == pending.count { break }
            pending = left
        }
    }
}
