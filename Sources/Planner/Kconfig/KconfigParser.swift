import Diagnostics

/// A property as written, before the dependencies of its node are propagated into it.
enum RawProperty {
    case prompt(String, condition: KExpr?, location: SourceLocation)
    case defaultValue(KExpr, condition: KExpr?, location: SourceLocation)
    case select(Int, condition: KExpr?, location: SourceLocation)
    case imply(Int, condition: KExpr?, location: SourceLocation)
    case range(Int, Int, condition: KExpr?, location: SourceLocation)
}

/// Reads Kconfig files into a menu tree and a symbol table (conf's `zconf.y`).
final class KconfigParser {
    /// How deep `source` may nest.
    static let maxSourceDepth = 64
    /// How deep `menu`/`choice`/`if` blocks and expressions may nest.
    static let maxNesting = 256

    var symbols = SymbolTable()
    var diagnostics = DiagnosticList()
    let preprocessor: KconfigPreprocessor
    let sourceTree: String
    let root: MenuNode
    var mainMenu: String?
    var mainMenuLocation: SourceLocation?
    var filesRead: [String] = []
    var rawProperties: [ObjectIdentifier: [RawProperty]] = [:]

    private var includeStack: [(file: String, at: SourceLocation?)] = []
    private var lexer: KconfigLexer!
    private var token: KToken!
    private var visibilityStack: [KExpr] = []
    private var blockDepth = 0
    private var statementCount = 0
    private var exprDepth = 0

    init(preprocessor: KconfigPreprocessor, sourceTree: String, rootFile: String) {
        self.preprocessor = preprocessor
        self.sourceTree = sourceTree
        self.root = MenuNode(.root, at: SourceLocation(file: rootFile, line: 1, column: 1))
    }

    // MARK: Files

    /// Parses `path` as if its statements stood at the current place in `parent`.
    func parseFile(_ path: String, into parent: MenuNode, includedFrom: SourceLocation?) {
        if let cycleStart = includeStack.firstIndex(where: { $0.file == path }) {
            var notes: [DiagnosticNote] = []
            for entry in includeStack[(cycleStart + 1)...] {
                notes.append(DiagnosticNote("'\(entry.file)' included from here", at: entry.at))
            }
            diagnostics.append(.error("kconfig-recursive-source",
                "recursive inclusion of '\(path)'; a file must not source itself, directly or through other files",
                at: includedFrom, notes: notes))
            return
        }
        if includeStack.count >= Self.maxSourceDepth {
            diagnostics.append(.error("kconfig-source-depth",
                "'source' nested more than \(Self.maxSourceDepth) files deep at '\(path)'; the limit is \(Self.maxSourceDepth)",
                at: includedFrom))
            return
        }
        guard let bytes = preprocessor.fileSystem.contents(of: path) else {
            diagnostics.append(.error(includedFrom == nil ? "kconfig-file-missing" : "kconfig-source-missing",
                                      "cannot open Kconfig file '\(path)'", at: includedFrom))
            return
        }
        filesRead.append(path)
        let savedLexer = lexer
        let savedToken = token
        includeStack.append((path, includedFrom))
        lexer = KconfigLexer(bytes: bytes, file: path, preprocessor: preprocessor)
        advance()
        parseBlock(into: parent, until: [])
        includeStack.removeLast()
        lexer = savedLexer
        token = savedToken
    }

    // MARK: Tokens

    private func advance() {
        token = lexer.next()
    }

    private var here: SourceLocation { lexer.location(line: token.line, column: token.column) }

    private func isKeyword(_ k: String) -> Bool { token.kind == .keyword(k) }

    private func error(_ message: String, at location: SourceLocation? = nil) {
        diagnostics.append(.error("kconfig-syntax", message, at: location ?? here))
    }

    private func describe(_ t: KToken) -> String {
        switch t.kind {
        case .eol: "end of line"
        case .eof: "end of file"
        case .quoted: "string \"\(t.text)\""
        default: "'\(t.text)'"
        }
    }

    /// Skips the rest of a bad line.
    private func recover() {
        while token.kind != .eol && token.kind != .eof { advance() }
        if token.kind == .eol { advance() }
    }

    private func expectEOL(after what: String) -> Bool {
        if token.kind == .eol { advance(); return true }
        if token.kind == .eof { return true }
        error("unexpected \(describe(token)) after \(what); expected the end of the line")
        recover()
        return false
    }

    private func skipBlankLines() {
        while token.kind == .eol { advance() }
    }

    // MARK: Blocks

    /// Parses statements into `parent` until one of `terminators` (returned, consumed) or the end of file.
    @discardableResult
    private func parseBlock(into parent: MenuNode, until terminators: Set<String>) -> KToken? {
        while true {
            skipBlankLines()
            let t = token!
            switch t.kind {
            case .eof:
                return nil
            case .keyword(let k) where terminators.contains(k):
                advance()
                _ = expectEOL(after: "'\(k)'")
                return t
            case .keyword(let k):
                parseStatement(keyword: k, into: parent)
            case .word:
                parseAssignment(into: parent)
            default:
                error("unexpected \(describe(t)) at the start of a statement; expected a keyword such as 'config', 'menu' or 'source'")
                recover()
            }
        }
    }

    private func nested(_ body: () -> Void) {
        if blockDepth >= Self.maxNesting {
            error("blocks nested more than \(Self.maxNesting) levels deep; the limit is \(Self.maxNesting)")
            recover()
            return
        }
        blockDepth += 1
        body()
        blockDepth -= 1
    }

    private func parseAssignment(into parent: MenuNode) {
        statementCount += 1
        let name = token.text
        let start = here
        advance()
        guard case .op(let op) = token.kind, ["=", ":=", "+="].contains(op) else {
            error("unexpected word '\(name)'; expected a keyword, or '=', ':=' or '+=' for a macro assignment", at: start)
            recover()
            return
        }
        let value = lexer.assignValue()?.text ?? ""
        advance()
        preprocessor.location = start
        preprocessor.assign(name, op, value)
        _ = expectEOL(after: "the value of '\(name)'")
    }

    private func parseStatement(keyword k: String, into parent: MenuNode) {
        let start = here
        statementCount += 1
        switch k {
        case "config", "menuconfig":
            advance()
            guard token.kind == .word else {
                error("expected a symbol name after '\(k)', found \(describe(token))")
                recover()
                return
            }
            let id = symbols.lookup(token.text)
            let node = MenuNode(.symbol(id), at: start)
            let symbol = symbols.symbols[id]
            symbol.hasDefinition = true
            symbol.definitions.append(start)
            advance()
            guard expectEOL(after: "the symbol name") else { return }
            add(node, to: parent)
            parseAttributes(of: node, symbol: symbol, context: k)
        case "choice":
            advance()
            var name: String?
            if token.kind == .word { name = token.text; advance() }
            let id = symbols.choice(named: name)
            let node = MenuNode(.choice(id), at: start)
            let symbol = symbols.symbols[id]
            symbol.definitions.append(start)
            symbol.hasDefinition = true
            guard expectEOL(after: "'choice'") else { return }
            add(node, to: parent)
            parseAttributes(of: node, symbol: symbol, context: "choice")
            nested {
                if parseBlock(into: node, until: ["endchoice"]) == nil {
                    error("missing 'endchoice' for the 'choice' at \(start.description)", at: start)
                }
            }
        case "menu":
            advance()
            guard token.kind == .quoted else {
                error("expected a quoted title after 'menu', found \(describe(token))")
                recover()
                return
            }
            let node = MenuNode(.menu, at: start)
            node.prompt = token.text
            advance()
            guard expectEOL(after: "the menu title") else { return }
            add(node, to: parent)
            parseAttributes(of: node, symbol: nil, context: "menu")
            let pushed = node.visibility != nil
            if let v = node.visibility { visibilityStack.append(v) }
            nested {
                if parseBlock(into: node, until: ["endmenu"]) == nil {
                    error("missing 'endmenu' for the 'menu' at \(start.description)", at: start)
                }
            }
            if pushed { visibilityStack.removeLast() }
        case "comment":
            advance()
            guard token.kind == .quoted else {
                error("expected a quoted text after 'comment', found \(describe(token))")
                recover()
                return
            }
            let node = MenuNode(.comment, at: start)
            node.prompt = token.text
            advance()
            guard expectEOL(after: "the comment text") else { return }
            add(node, to: parent)
            parseAttributes(of: node, symbol: nil, context: "comment")
        case "if":
            advance()
            guard let condition = parseExpression() else { recover(); return }
            let node = MenuNode(.ifBlock, at: start)
            node.ownDependencies = [condition]
            guard expectEOL(after: "the 'if' condition") else { return }
            add(node, to: parent)
            nested {
                if parseBlock(into: node, until: ["endif"]) == nil {
                    error("missing 'endif' for the 'if' at \(start.description)", at: start)
                }
            }
        case "source", "osource", "rsource", "orsource":
            advance()
            guard token.kind == .quoted else {
                error("expected a quoted path after '\(k)', found \(describe(token))")
                recover()
                return
            }
            let path = token.text
            advance()
            guard expectEOL(after: "the path") else { return }
            source(path, keyword: k, at: start, into: parent)
        case "mainmenu":
            advance()
            guard token.kind == .quoted else {
                error("expected a quoted title after 'mainmenu', found \(describe(token))")
                recover()
                return
            }
            if statementCount > 1 {
                error("'mainmenu' must be the first statement of the top Kconfig file", at: start)
            } else {
                mainMenu = token.text
                mainMenuLocation = start
            }
            advance()
            _ = expectEOL(after: "the title")
        case "endmenu", "endchoice", "endif":
            let opener = ["endmenu": "menu", "endchoice": "choice", "endif": "if"][k]!
            error("'\(k)' without a matching '\(opener)'")
            recover()
        default:
            error("'\(k)' is not allowed here; expected 'config', 'menuconfig', 'choice', 'menu', 'comment', 'if', 'source' or 'mainmenu'")
            recover()
        }
    }

    private func add(_ node: MenuNode, to parent: MenuNode) {
        node.parent = parent
        parent.children.append(node)
    }

    private func source(_ path: String, keyword: String, at location: SourceLocation, into parent: MenuNode) {
        let optional = keyword.hasPrefix("o")
        if path.isEmpty { return }
        var full = path
        if !path.hasPrefix("/") {
            let base: String
            if keyword.hasSuffix("rsource") {
                let current = includeStack.last?.file ?? sourceTree
                base = current.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
            } else {
                base = sourceTree
            }
            full = base.isEmpty ? path : base + "/" + path
        }
        var matches: [String]
        if full.contains(where: { "*?[".contains($0) }) {
            let expansion = Glob.expand(full, in: preprocessor.fileSystem)
            matches = expansion.matches
            if expansion.exhausted {
                diagnostics.append(.error("kconfig-glob-limit",
                    "'\(keyword)' pattern '\(full)' visits more than \(Glob.maxEntries) directory entries; manifestc stops expanding it (the limit guards against hostile trees)",
                    at: location))
            }
            if let loop = expansion.loops.first {
                diagnostics.append(.warning("kconfig-glob-loop",
                    "'\(keyword)' pattern '\(full)' reaches '\(loop)', a symbolic link back into a folder it is in\(expansion.loops.count > 1 ? " (and \(expansion.loops.count - 1) more)" : ""); it is not followed",
                    at: location))
            }
        } else {
            matches = preprocessor.fileSystem.isFile(full) ? [full] : []
        }
        if matches.isEmpty && !optional && !full.contains(where: { "*?[".contains($0) }) {
            // Unikraft's conf globs every source path, so a missing file is skipped silently.
            diagnostics.append(.warning("kconfig-source-missing",
                "'\(keyword)' names '\(full)', which does not exist; it is skipped (as Unikraft's conf does)",
                at: location))
        }
        for file in matches {
            parseFile(file, into: parent, includedFrom: location)
        }
    }

    // MARK: Attributes

    private static let typeKeywords: [String: KconfigType] = [
        "bool": .bool, "boolean": .bool, "tristate": .tristate, "string": .string, "int": .int, "hex": .hex,
    ]

    private func setType(_ type: KconfigType, of symbol: KSymbol, at location: SourceLocation) {
        if symbol.type != .unknown && symbol.type != type {
            diagnostics.append(.warning("kconfig-type",
                "'\(symbol.name)' is redefined as \(type.rawValue), but it was \(symbol.type.rawValue); the first type is kept",
                at: location))
            return
        }
        symbol.type = type
    }

    private func appendProperty(_ p: RawProperty, to node: MenuNode) {
        rawProperties[ObjectIdentifier(node), default: []].append(p)
    }

    /// The prompt condition with every enclosing `visible if` added (conf's `menu_add_prompt`).
    private func promptCondition(_ condition: KExpr?) -> KExpr? {
        var result = condition
        for v in visibilityStack.reversed() { result = andExpr(result, v) }
        return result
    }

    private func parseOptionalIf() -> KExpr?? {
        guard isKeyword("if") else { return .some(nil) }
        advance()
        guard let e = parseExpression() else { return nil }
        return .some(e)
    }

    private func parseAttributes(of node: MenuNode, symbol: KSymbol?, context: String) {
        while true {
            skipBlankLines()
            guard case .keyword(let k) = token.kind else { return }
            let start = here
            func requireSymbol() -> KSymbol? {
                if let symbol { return symbol }
                error("'\(k)' is not allowed in a \(context); it belongs to 'config' or 'choice' entries")
                recover()
                return nil
            }
            switch k {
            case _ where Self.typeKeywords[k] != nil:
                guard let symbol = requireSymbol() else { continue }
                advance()
                setType(Self.typeKeywords[k]!, of: symbol, at: start)
                if token.kind == .quoted {
                    let text = token.text
                    advance()
                    guard let cond = parseOptionalIf() else { recover(); continue }
                    appendProperty(.prompt(text, condition: promptCondition(cond), location: start), to: node)
                }
                _ = expectEOL(after: "the type")
            case "def_bool", "def_tristate":
                guard let symbol = requireSymbol() else { continue }
                advance()
                setType(k == "def_bool" ? .bool : .tristate, of: symbol, at: start)
                guard let value = parseExpression(), let cond = parseOptionalIf() else { recover(); continue }
                appendProperty(.defaultValue(value, condition: cond, location: start), to: node)
                _ = expectEOL(after: "the default")
            case "prompt":
                advance()
                guard token.kind == .quoted else {
                    error("expected a quoted prompt after 'prompt', found \(describe(token))")
                    recover()
                    continue
                }
                let text = token.text
                advance()
                guard let cond = parseOptionalIf() else { recover(); continue }
                if symbol == nil {
                    error("'prompt' is not allowed in a \(context)", at: start)
                } else {
                    appendProperty(.prompt(text, condition: promptCondition(cond), location: start), to: node)
                }
                _ = expectEOL(after: "the prompt")
            case "default":
                guard symbol != nil else { _ = requireSymbol(); continue }
                advance()
                guard let value = parseExpression(), let cond = parseOptionalIf() else { recover(); continue }
                appendProperty(.defaultValue(value, condition: cond, location: start), to: node)
                _ = expectEOL(after: "the default")
            case "depends":
                advance()
                guard isKeyword("on") else {
                    error("expected 'on' after 'depends', found \(describe(token))")
                    recover()
                    continue
                }
                advance()
                guard let e = parseExpression() else { recover(); continue }
                if case .ifBlock = node.kind {} else { node.ownDependencies.append(e) }
                _ = expectEOL(after: "the dependency")
            case "select", "imply":
                guard symbol != nil else { _ = requireSymbol(); continue }
                advance()
                guard token.kind == .word else {
                    error("expected a symbol name after '\(k)', found \(describe(token))")
                    recover()
                    continue
                }
                let target = symbols.lookup(token.text)
                advance()
                guard let cond = parseOptionalIf() else { recover(); continue }
                appendProperty(k == "select" ? .select(target, condition: cond, location: start)
                                             : .imply(target, condition: cond, location: start), to: node)
                _ = expectEOL(after: "the \(k)")
            case "range":
                guard symbol != nil else { _ = requireSymbol(); continue }
                advance()
                guard let low = parseSymbolOperand(), let high = parseSymbolOperand(), let cond = parseOptionalIf() else {
                    recover()
                    continue
                }
                appendProperty(.range(low, high, condition: cond, location: start), to: node)
                _ = expectEOL(after: "the range")
            case "help", "---help---":
                advance()
                if token.kind != .eol && token.kind != .eof {
                    error("unexpected \(describe(token)) after '\(k)'; the help text starts on the next line")
                    while token.kind != .eol && token.kind != .eof { advance() }
                }
                // The help body starts after this line's newline, which the lexer has not consumed yet
                // when the current token is that newline.
                let text = token.kind == .eol ? lexer.readHelp() : ""
                if let symbol, symbol.help == nil { symbol.help = text }
                advance()
            case "optional":
                advance()
                if let symbol, symbol.isChoice {
                    symbol.isOptionalChoice = true
                } else {
                    error("'optional' is only allowed in a 'choice'", at: start)
                }
                _ = expectEOL(after: "'optional'")
            case "visible":
                advance()
                guard isKeyword("if") else {
                    error("expected 'if' after 'visible', found \(describe(token))")
                    recover()
                    continue
                }
                advance()
                guard let e = parseExpression() else { recover(); continue }
                if case .menu = node.kind {
                    node.visibility = andExpr(node.visibility, e)
                } else {
                    error("'visible if' is only allowed in a 'menu'", at: start)
                }
                _ = expectEOL(after: "the visibility condition")
            case "option":
                advance()
                var words: [String] = []
                while token.kind != .eol && token.kind != .eof { words.append(token.text); advance() }
                if words.first == "modules" {
                    diagnostics.append(.warning("kconfig-modules", "'option modules' is ignored: Unikraft has no loadable modules", at: start))
                }
                _ = expectEOL(after: "the option")
            case "modules", "transitional":
                advance()
                _ = expectEOL(after: "'\(k)'")
            default:
                return
            }
        }
    }

    // MARK: Expressions

    private func parseSymbolOperand() -> Int? {
        switch token.kind {
        case .word:
            let id = symbols.lookup(token.text)
            advance()
            return id
        case .quoted:
            let id = symbols.constant(token.text)
            advance()
            return id
        default:
            error("expected a symbol or a value, found \(describe(token))")
            return nil
        }
    }

    /// How many operands one expression may have.
    static let maxOperands = 1024
    private var operands = 0

    /// `expr: expr || expr | expr && expr | !expr | (expr) | symbol [op symbol]`.
    func parseExpression() -> KExpr? {
        if exprDepth == 0 { operands = 0 }
        exprDepth += 1
        defer { exprDepth -= 1 }
        if exprDepth > Self.maxNesting {
            error("expression nested more than \(Self.maxNesting) levels deep; the limit is \(Self.maxNesting)")
            return nil
        }
        guard var left = parseAnd() else { return nil }
        while token.kind == .op("||") {
            advance()
            guard let right = parseAnd() else { return nil }
            left = .or(left, right)
        }
        return left
    }

    private func parseAnd() -> KExpr? {
        guard var left = parseUnary() else { return nil }
        while token.kind == .op("&&") {
            advance()
            guard let right = parseUnary() else { return nil }
            left = .and(left, right)
        }
        return left
    }

    private func parseUnary() -> KExpr? {
        switch token.kind {
        case .op("!"):
            advance()
            exprDepth += 1
            defer { exprDepth -= 1 }
            if exprDepth > Self.maxNesting {
                error("expression nested more than \(Self.maxNesting) levels deep; the limit is \(Self.maxNesting)")
                return nil
            }
            guard let e = parseUnary() else { return nil }
            return .not(e)
        case .op("("):
            advance()
            guard let e = parseExpression() else { return nil }
            guard token.kind == .op(")") else {
                error("expected ')', found \(describe(token))")
                return nil
            }
            advance()
            return e
        case .word, .quoted:
            operands += 1
            if operands > Self.maxOperands {
                error("expression has more than \(Self.maxOperands) operands; the limit is \(Self.maxOperands)")
                return nil
            }
            guard let left = parseSymbolOperand() else { return nil }
            if case .op(let text) = token.kind, let op = CompareOp(rawValue: text) {
                advance()
                guard let right = parseSymbolOperand() else { return nil }
                return .compare(op, left, right)
            }
            return .symbol(left)
        default:
            error("expected an expression, found \(describe(token))")
            return nil
        }
    }
}

/// Shell-style globbing of a path over a `KconfigFileSystem`, results in byte order.
///
/// Bounded: a directory reached again through a symbolic link (the same resolved path as
/// one it is inside) is not entered, and one pattern visits at most `maxEntries`
/// directory entries (real trees visit a few hundred).
enum Glob {
    static let maxEntries = 100_000

    struct Expansion {
        var matches: [String]
        /// Directories not entered because they lead back into themselves.
        var loops: [String] = []
        /// The pattern visited `maxEntries` entries and stopped.
        var exhausted = false
    }

    static func expand(_ pattern: String, in fs: any KconfigFileSystem, maxEntries: Int = maxEntries) -> Expansion {
        let absolute = pattern.hasPrefix("/")
        let parts = pattern.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let start = absolute ? "" : "."
        // Each candidate with the resolved paths of the directories it lies in.
        var candidates: [(path: String, inside: Set<String>)] = [(start, [fs.resolve(absolute ? "/" : ".")])]
        var visited = 0
        var result = Expansion(matches: [])
        for (i, part) in parts.enumerated() {
            let last = i == parts.count - 1
            var next: [(path: String, inside: Set<String>)] = []
            for base in candidates {
                let dir = base.path.isEmpty ? "/" : base.path
                var names: [String] = []
                if part.contains(where: { "*?[".contains($0) }) {
                    let entries = fs.entries(of: dir)
                    visited += entries.count
                    if visited > maxEntries { result.exhausted = true; return result }
                    names = entries.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
                        .filter { !($0.hasPrefix(".") && !part.hasPrefix(".")) && matches(Array(part.unicodeScalars), Array($0.unicodeScalars)) }
                } else {
                    names = [part]
                }
                for name in names {
                    let path = join(base.path, name)
                    if last {
                        if fs.isFile(path) { next.append((path, base.inside)) }
                        continue
                    }
                    guard fs.isDirectory(path) else { continue }
                    let resolved = fs.resolve(path)
                    if base.inside.contains(resolved) {
                        result.loops.append(path)
                        continue
                    }
                    next.append((path, base.inside.union([resolved])))
                    visited += 1
                    if visited > maxEntries { result.exhausted = true; return result }
                }
            }
            candidates = next
        }
        result.matches = candidates.map { absolute ? $0.path : ($0.path.hasPrefix("./") ? String($0.path.dropFirst(2)) : $0.path) }
        return result
    }

    private static func join(_ base: String, _ name: String) -> String {
        base.isEmpty ? "/" + name : base + "/" + name
    }

    /// `fnmatch` for one path component: `*`, `?`, `[...]` (with `!`/`^` negation and ranges).
    static func matches(_ p: [Unicode.Scalar], _ s: [Unicode.Scalar]) -> Bool {
        var memo: [Int: Bool] = [:]
        func go(_ i: Int, _ j: Int) -> Bool {
            let key = i * (s.count + 1) + j
            if let v = memo[key] { return v }
            var result = false
            if i == p.count {
                result = j == s.count
            } else if p[i] == "*" {
                result = go(i + 1, j) || (j < s.count && go(i, j + 1))
            } else if j < s.count {
                if p[i] == "?" {
                    result = go(i + 1, j + 1)
                } else if p[i] == "[", let close = p[(i + 1)...].dropFirst().firstIndex(of: "]") {
                    var k = i + 1
                    var negate = false
                    if p[k] == "!" || p[k] == "^" { negate = true; k += 1 }
                    var hit = false
                    while k < close {
                        if k + 2 < close && p[k + 1] == "-" {
                            if p[k].value <= s[j].value && s[j].value <= p[k + 2].value { hit = true }
                            k += 3
                        } else {
                            if p[k] == s[j] { hit = true }
                            k += 1
                        }
                    }
                    result = hit != negate && go(close + 1, j + 1)
                } else {
                    result = p[i] == s[j] && go(i + 1, j + 1)
                }
            }
            memo[key] = result
            return result
        }
        return go(0, 0)
    }
}
