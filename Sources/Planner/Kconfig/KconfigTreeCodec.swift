import Diagnostics

/// A loaded tree (symbols, menus, the diagnostics of its load) in the cache's binary form.
///
/// Decoding checks everything the evaluator relies on: every symbol id is in range, the three
/// constants come first, tags are known, nesting is bounded. Malformed bytes throw, and the
/// caller parses the tree instead.
enum KconfigTreeCodec {
    /// How deep an expression or the menu tree may nest in the cache (deeper trees are not cached).
    static let maxDepth = 10_000

    struct TooDeep: Error {}

    // MARK: Encoding

    static func encode(_ storage: KconfigStorage, _ diagnostics: [Diagnostic], into w: inout ByteWriter) throws {
        let table = storage.symbols
        w.uint(table.symbols.count)
        for s in table.symbols { try symbol(s, into: &w) }
        w.array(table.byName.sorted { $0.value < $1.value }) { w, e in w.string(e.key); w.uint(e.value) }
        w.array(table.constants.sorted { $0.value < $1.value }) { w, e in w.string(e.key); w.uint(e.value) }
        try menu(storage.root, depth: 0, into: &w)
        w.string(storage.mainMenu)
        w.array(storage.files) { w, f in w.string(f) }
        w.array(diagnostics) { w, d in diagnostic(d, into: &w) }
    }

    private static func symbol(_ s: KSymbol, into w: inout ByteWriter) throws {
        w.string(s.name)
        w.u8((s.isConstant ? 1 : 0) | (s.isChoice ? 2 : 0) | (s.isOptionalChoice ? 4 : 0) | (s.hasDefinition ? 8 : 0))
        w.u8(typeCode(s.type))
        w.uint(s.choice.map { $0 + 1 } ?? 0)
        w.array(s.members) { w, m in w.uint(m) }
        var failed = false
        func e(_ w: inout ByteWriter, _ x: KExpr?) {
            w.optional(x) { w, x in if (try? expr(x, depth: 0, into: &w)) == nil { failed = true } }
        }
        w.array(s.prompts) { w, p in w.string(p.text); e(&w, p.visible); location(p.location, into: &w) }
        w.array(s.defaults) { w, d in e(&w, d.value); e(&w, d.visible); location(d.location, into: &w) }
        w.array(s.ranges) { w, r in w.uint(r.low); w.uint(r.high); e(&w, r.visible); location(r.location, into: &w) }
        for list in [s.selects, s.implies, s.selectedBy, s.impliedBy] {
            w.array(list) { w, r in w.uint(r.source); e(&w, r.condition); location(r.location, into: &w) }
        }
        w.array(s.directDependencies) { w, d in e(&w, d) }
        w.array(s.definitions) { w, l in location(l, into: &w) }
        w.optional(s.help) { w, h in w.string(h) }
        if failed { throw TooDeep() }
    }

    private static func expr(_ x: KExpr, depth: Int, into w: inout ByteWriter) throws {
        guard depth < maxDepth else { throw TooDeep() }
        switch x {
        case .symbol(let s): w.u8(0); w.uint(s)
        case .not(let a): w.u8(1); try expr(a, depth: depth + 1, into: &w)
        case .and(let a, let b): w.u8(2); try expr(a, depth: depth + 1, into: &w); try expr(b, depth: depth + 1, into: &w)
        case .or(let a, let b): w.u8(3); try expr(a, depth: depth + 1, into: &w); try expr(b, depth: depth + 1, into: &w)
        case .compare(let op, let l, let r): w.u8(4); w.u8(compareCode(op)); w.uint(l); w.uint(r)
        }
    }

    private static func menu(_ node: MenuNode, depth: Int, into w: inout ByteWriter) throws {
        guard depth < maxDepth else { throw TooDeep() }
        switch node.kind {
        case .root: w.u8(0)
        case .symbol(let id): w.u8(1); w.uint(id)
        case .choice(let id): w.u8(2); w.uint(id)
        case .menu: w.u8(3)
        case .comment: w.u8(4)
        case .ifBlock: w.u8(5)
        }
        location(node.location, into: &w)
        w.optional(node.prompt) { w, p in w.string(p) }
        w.uint(node.ownDependencies.count)
        for e in node.ownDependencies { try expr(e, depth: 0, into: &w) }
        for e in [node.visibility, node.promptVisibility, node.dependency] {
            w.bool(e != nil)
            if let e { try expr(e, depth: 0, into: &w) }
        }
        w.bool(node.hasPrompt)
        w.uint(node.children.count)
        for child in node.children { try menu(child, depth: depth + 1, into: &w) }
    }

    private static func location(_ l: SourceLocation, into w: inout ByteWriter) {
        w.string(l.file)
        w.uint(l.range.start.line); w.uint(l.range.start.column)
        w.uint(l.range.end.line); w.uint(l.range.end.column)
    }

    private static func diagnostic(_ d: Diagnostic, into w: inout ByteWriter) {
        w.u8(d.severity == .error ? 2 : d.severity == .warning ? 1 : 0)
        w.string(d.id)
        w.string(d.message)
        w.optional(d.location) { w, l in location(l, into: &w) }
        w.array(d.notes) { w, n in w.string(n.message); w.optional(n.location) { w, l in location(l, into: &w) } }
        w.optional(d.fixIt) { w, f in
            w.uint(f.range.start.line); w.uint(f.range.start.column)
            w.uint(f.range.end.line); w.uint(f.range.end.column)
            w.string(f.replacement)
        }
    }

    private static let types: [KconfigType] = [.unknown, .bool, .tristate, .string, .int, .hex]
    private static func typeCode(_ t: KconfigType) -> UInt8 { UInt8(types.firstIndex(of: t)!) }
    private static let ops: [CompareOp] = [.equal, .unequal, .less, .lessEqual, .greater, .greaterEqual]
    private static func compareCode(_ op: CompareOp) -> UInt8 { UInt8(ops.firstIndex(of: op)!) }

    // MARK: Decoding

    static func decode(from r: inout ByteReader) throws -> (storage: KconfigStorage, diagnostics: [Diagnostic]) {
        let n = try r.count()
        guard n >= 3 else { throw ByteReader.Malformed() }
        var table = SymbolTable()
        table.symbols = []
        table.symbols.reserveCapacity(n)
        for id in 0..<n { table.symbols.append(try symbol(id, count: n, from: &r)) }
        for (id, name) in ["n", "m", "y"].enumerated() {
            let s = table.symbols[id]
            guard s.name == name, s.isConstant, s.type == .tristate else { throw ByteReader.Malformed() }
        }
        table.byName = try names(count: n, from: &r)
        table.constants = try names(count: n, from: &r)
        let root = try menu(depth: 0, count: n, from: &r)
        guard case .root = root.kind else { throw ByteReader.Malformed() }
        let mainMenu = try r.string()
        let files = try r.array { try $0.string() }
        let diagnostics = try r.array { try diagnostic(from: &$0) }
        return (KconfigStorage(symbols: table, root: root, mainMenu: mainMenu, files: files), diagnostics)
    }

    private static func names(count n: Int, from r: inout ByteReader) throws -> [String: Int] {
        var out: [String: Int] = [:]
        for _ in 0..<(try r.count()) {
            let name = try r.string()
            out[name] = try r.id(below: n)
        }
        return out
    }

    private static func symbol(_ id: Int, count n: Int, from r: inout ByteReader) throws -> KSymbol {
        let name = try r.string()
        let flags = try r.u8()
        guard flags < 16 else { throw ByteReader.Malformed() }
        let s = KSymbol(id: id, name: name, isConstant: flags & 1 != 0)
        s.isChoice = flags & 2 != 0
        s.isOptionalChoice = flags & 4 != 0
        s.hasDefinition = flags & 8 != 0
        let type = Int(try r.u8())
        guard type < types.count else { throw ByteReader.Malformed() }
        s.type = types[type]
        let choice = try r.id(below: n + 1)
        s.choice = choice == 0 ? nil : choice - 1
        s.members = try r.array { try $0.id(below: n) }
        func e(_ r: inout ByteReader) throws -> KExpr? { try r.optional { try expr(depth: 0, count: n, from: &$0) } }
        func required(_ r: inout ByteReader) throws -> KExpr {
            guard let x = try e(&r) else { throw ByteReader.Malformed() }
            return x
        }
        s.prompts = try r.array { PromptProperty(text: try $0.string(), visible: try e(&$0), location: try location(from: &$0)) }
        s.defaults = try r.array { DefaultProperty(value: try required(&$0), visible: try e(&$0), location: try location(from: &$0)) }
        s.ranges = try r.array {
            RangeProperty(low: try $0.id(below: n), high: try $0.id(below: n), visible: try e(&$0), location: try location(from: &$0))
        }
        var lists: [[ReverseDependency]] = []
        for _ in 0..<4 {
            lists.append(try r.array { ReverseDependency(source: try $0.id(below: n), condition: try e(&$0), location: try location(from: &$0)) })
        }
        (s.selects, s.implies, s.selectedBy, s.impliedBy) = (lists[0], lists[1], lists[2], lists[3])
        s.directDependencies = try r.array { try required(&$0) }
        s.definitions = try r.array { try location(from: &$0) }
        s.help = try r.optional { try $0.string() }
        return s
    }

    private static func expr(depth: Int, count n: Int, from r: inout ByteReader) throws -> KExpr {
        guard depth < maxDepth else { throw ByteReader.Malformed() }
        switch try r.u8() {
        case 0: return .symbol(try r.id(below: n))
        case 1: return .not(try expr(depth: depth + 1, count: n, from: &r))
        case 2: return .and(try expr(depth: depth + 1, count: n, from: &r), try expr(depth: depth + 1, count: n, from: &r))
        case 3: return .or(try expr(depth: depth + 1, count: n, from: &r), try expr(depth: depth + 1, count: n, from: &r))
        case 4:
            let op = Int(try r.u8())
            guard op < ops.count else { throw ByteReader.Malformed() }
            return .compare(ops[op], try r.id(below: n), try r.id(below: n))
        default: throw ByteReader.Malformed()
        }
    }

    private static func menu(depth: Int, count n: Int, from r: inout ByteReader) throws -> MenuNode {
        guard depth < maxDepth else { throw ByteReader.Malformed() }
        let kind: MenuNode.Kind
        switch try r.u8() {
        case 0: kind = .root
        case 1: kind = .symbol(try r.id(below: n))
        case 2: kind = .choice(try r.id(below: n))
        case 3: kind = .menu
        case 4: kind = .comment
        case 5: kind = .ifBlock
        default: throw ByteReader.Malformed()
        }
        let node = MenuNode(kind, at: try location(from: &r))
        node.prompt = try r.optional { try $0.string() }
        node.ownDependencies = try r.array { try expr(depth: 0, count: n, from: &$0) }
        node.visibility = try r.optional { try expr(depth: 0, count: n, from: &$0) }
        node.promptVisibility = try r.optional { try expr(depth: 0, count: n, from: &$0) }
        node.dependency = try r.optional { try expr(depth: 0, count: n, from: &$0) }
        node.hasPrompt = try r.bool()
        let children = try r.count()
        node.children.reserveCapacity(children)
        for _ in 0..<children {
            let child = try menu(depth: depth + 1, count: n, from: &r)
            guard !(child.kind.isRoot) else { throw ByteReader.Malformed() }
            child.parent = node
            node.children.append(child)
        }
        return node
    }

    private static func position(from r: inout ByteReader) throws -> SourcePosition {
        SourcePosition(line: try r.uint(), column: try r.uint())
    }

    private static func location(from r: inout ByteReader) throws -> SourceLocation {
        let file = try r.string()
        return SourceLocation(file: file, range: SourceRange(start: try position(from: &r), end: try position(from: &r)))
    }

    private static func diagnostic(from r: inout ByteReader) throws -> Diagnostic {
        let code = try r.u8()
        guard code < 3 else { throw ByteReader.Malformed() }
        let severity: Severity = [.note, .warning, .error][Int(code)]
        let id = try r.string()
        let message = try r.string()
        let at = try r.optional { try location(from: &$0) }
        let notes = try r.array { DiagnosticNote(try $0.string(), at: try $0.optional { try location(from: &$0) }) }
        let fixIt = try r.optional {
            FixIt(range: SourceRange(start: try position(from: &$0), end: try position(from: &$0)), replacement: try $0.string())
        }
        return Diagnostic(severity, id, message, at: at, notes: notes, fixIt: fixIt)
    }
}

extension MenuNode.Kind {
    var isRoot: Bool {
        if case .root = self { return true }
        return false
    }
}
