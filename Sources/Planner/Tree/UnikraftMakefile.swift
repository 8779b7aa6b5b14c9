import Manifest

/// What a Unikraft release's top-level `Makefile` gives conf, read from that Makefile: the
/// variables its `COMMON_CONFIG_ENV` puts on conf's command line and the ones it `export`s,
/// with the values make computes for one configure call.
///
/// The Makefile's simple assignments and conditionals are evaluated in order, as make reads
/// them; what make computes with `$(shell …)`, `$(foreach …)` or from the command line comes in
/// as `inputs` (the tree, `A=`, `O=`, `C=`, `L=`, the version, the `find` lists of 0.13…), which
/// the Makefile's own assignments never overwrite. A value that needs anything else is unknown,
/// and a Kconfig file that reads it is an error rather than a silently different configuration.
struct UnikraftMakefile {
    /// conf's command-line environment, `NAME=<make text>`, in the Makefile's order.
    let confVariables: [(name: String, expression: String)]
    private let lines: [String]

    /// The Makefile's logical lines, or nil when it has no `COMMON_CONFIG_ENV`.
    init?(text: String) {
        lines = Self.logicalLines(text)
        // Only a line holding the name can assign it: the others are not read as assignments.
        guard let definition = lines.first(where: { Self.holds($0, "COMMON_CONFIG_ENV") && Self.assignment($0)?.name == "COMMON_CONFIG_ENV" }),
              let value = Self.assignment(definition)?.value else { return nil }
        confVariables = Self.words(value).compactMap { word in
            guard let eq = word.firstIndex(of: "="), word[..<eq].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return nil }
            return (String(word[..<eq]), String(word[word.index(after: eq)...]))
        }
    }

    /// The configure step of the newest release layout (0.15 to 0.17 and staging), for a tree
    /// whose Makefile does not say (a tree made for tests, or one without a Makefile).
    static let newestLayout = UnikraftMakefile(text: """
        KCONFIG_DIR           := $(BUILD_DIR)/kconfig
        KCONFIG_AUTOCONFIG    := $(KCONFIG_DIR)/auto.conf
        KCONFIG_TRISTATE      := $(KCONFIG_DIR)/tristate.config
        KCONFIG_AUTOHEADER    := $(BUILD_DIR)/include/uk/bits/config.h
        KCONFIG_LIB_BASE      := $(CONFIG_UK_BASE)/lib
        KCONFIG_ELIB_DIRS     := $(L)
        KCONFIG_PLAT_BASE     := $(CONFIG_UK_BASE)/plat
        KCONFIG_EPLAT_DIRS    := $(P)
        KCONFIG_DRIV_BASE     := $(CONFIG_UK_BASE)/drivers
        ifneq ($(CONFIG_UK_BASE),$(CONFIG_UK_APP))
        KCONFIG_EAPP_DIR      := $(CONFIG_UK_APP)
        else
        KCONFIG_EAPP_DIR      :=
        endif
        COMMON_CONFIG_ENV = CONFIG_="CONFIG_" KCONFIG_CONFIG="$(UK_CONFIG)" \\
            KCONFIG_AUTOCONFIG="$(KCONFIG_AUTOCONFIG)" KCONFIG_AUTOHEADER="$(KCONFIG_AUTOHEADER)" \\
            KCONFIG_TRISTATE="$(KCONFIG_TRISTATE)" HOST_ARCH="$(HOSTARCH)" BUILD_DIR="$(BUILD_DIR)" \\
            UK_BASE="$(CONFIG_UK_BASE)" UK_APP="$(CONFIG_UK_APP)" UK_CONFIG="$(UK_CONFIG)" \\
            UK_FULLVERSION="$(UK_FULLVERSION)" UK_CODENAME="$(UK_CODENAME)" UK_ARCH="$(CONFIG_UK_ARCH)" \\
            KCONFIG_DIR="$(KCONFIG_DIR)" KCONFIG_LIB_BASE="$(KCONFIG_LIB_BASE)" KCONFIG_ELIB_DIRS="$(KCONFIG_ELIB_DIRS)" \\
            KCONFIG_PLAT_BASE="$(KCONFIG_PLAT_BASE)" KCONFIG_EPLAT_DIRS="$(KCONFIG_EPLAT_DIRS)" \\
            KCONFIG_DRIV_BASE="$(KCONFIG_DRIV_BASE)" KCONFIG_EAPP_DIR="$(KCONFIG_EAPP_DIR)" \\
            KCONFIG_EXCLUDEDIRS="$(KCONFIG_EXCLUDEDIRS)" UK_NAME="$(CONFIG_UK_NAME)"
        """)!

    /// conf's environment for a configure call whose make-computed `inputs` are given: the
    /// `COMMON_CONFIG_ENV` variables and the exported ones whose value is known, and, for each
    /// the Makefile gives conf but whose value could not be computed, why.
    func environment(inputs: [String: String]) -> (environment: [String: String], unknown: [String: String]) {
        var state = Evaluation(variables: inputs.mapValues { .init(value: $0, recursive: false) }, fixed: Set(inputs.keys))
        var exported: [String] = []
        for line in lines { state.read(line, exported: &exported) }
        var env: [String: String] = [:]
        var unknown: [String: String] = [:]
        for name in exported {
            if state.variables[name] != nil, let value = state.expand("$(\(name))") {
                env[name] = value
            } else {
                unknown[name] = "make or its caller's environment defines it"
            }
        }
        for (name, expression) in confVariables {
            if let expanded = state.expand(expression), let words = try? ShellWords.split(expanded).get(), words.count <= 1 {
                env[name] = words.first ?? ""
                unknown[name] = nil
            } else {
                env[name] = nil
                unknown[name] = "make computes it from '\(expression)'"
            }
        }
        return (env, unknown)
    }

    // MARK: Reading make

    /// Lines with their `\`-continuations joined, comments removed; recipe lines (a leading tab
    /// outside a continuation) and `define` blocks are left out. Read as bytes (every character
    /// the rules look at is ASCII).
    static func logicalLines(_ text: String) -> [String] {
        var result: [String] = []
        var current: [UInt8]?
        var inDefine = false
        let bytes = Array(text.utf8)
        var start = 0
        while start <= bytes.count {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            defer { start = end + 1 }
            var line = bytes[start..<end]
            if current == nil {
                let trimmed = trimBlanks(line)
                if inDefine {
                    if trimmed.starts(with: "endef".utf8) { inDefine = false }
                    continue
                }
                if line.first == UInt8(ascii: "\t") || trimmed.first == UInt8(ascii: "#") || trimmed.isEmpty { continue }
                if trimmed.starts(with: "define ".utf8) || trimmed.starts(with: "override define ".utf8) { inDefine = true; continue }
            }
            line = withoutComment(line)
            let continued = line.last == UInt8(ascii: "\\")
            if continued { line = line.dropLast() }
            var joined = current.map { $0 + [UInt8(ascii: " ")] } ?? []
            joined += trimBlanks(line)
            if continued {
                current = joined
            } else {
                result.append(String(decoding: joined, as: UTF8.self))
                current = nil
            }
        }
        if let current { result.append(String(decoding: current, as: UTF8.self)) }
        return result
    }

    private static func trimBlanks(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        func blank(_ c: UInt8) -> Bool { c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") }
        var s = line
        while let f = s.first, blank(f) { s = s.dropFirst() }
        while let l = s.last, blank(l) { s = s.dropLast() }
        return s
    }

    /// The line without a `#` comment (one outside `$(…)`, not escaped).
    private static func withoutComment(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var depth = 0
        var previous = UInt8(ascii: " ")
        for i in line.indices {
            let c = line[i]
            if c == UInt8(ascii: "(") || c == UInt8(ascii: "{") {
                depth += 1
            } else if c == UInt8(ascii: ")") || c == UInt8(ascii: "}") {
                depth = max(0, depth - 1)
            }
            if c == UInt8(ascii: "#"), depth == 0, previous != UInt8(ascii: "\\") { return line[..<i] }
            previous = c
        }
        return line
    }

    /// Whether any line read names `word` (a make input no line names cannot change the result).
    func mentions(_ word: String) -> Bool { lines.contains { Self.holds($0, word) } }

    /// Whether `text` holds `word` (compared as bytes).
    private static func holds(_ text: String, _ word: String) -> Bool {
        var text = text, word = word
        return text.withUTF8 { t in
            word.withUTF8 { w in
                guard let first = w.first else { return true }
                var i = 0
                while i + w.count <= t.count {
                    guard let at = t[i...].firstIndex(of: first), at + w.count <= t.count else { return false }
                    if t[at..<(at + w.count)].elementsEqual(w) { return true }
                    i = at + 1
                }
                return false
            }
        }
    }

    /// `[override] [export] NAME op value`, op one of `:=`, `::=`, `=`, `?=`, `+=` (read as bytes:
    /// the name is checked as characters).
    static func assignment(_ line: String) -> (name: String, op: String, value: String, exported: Bool)? {
        let b = Array(line.utf8)
        var i = 0
        var exported = false
        func blank(_ c: UInt8) -> Bool { c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") }
        for prefix in ["override ", "export "] where b[i...].starts(with: prefix.utf8) {
            i += prefix.utf8.count
            while i < b.count, blank(b[i]) { i += 1 }
            if prefix == "export " { exported = true }
        }
        guard let opStart = b[i...].firstIndex(where: { $0 == UInt8(ascii: "=") || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "+") })
        else { return nil }
        var nameStart = i, nameEnd = opStart
        while nameStart < nameEnd, blank(b[nameStart]) { nameStart += 1 }
        while nameEnd > nameStart, blank(b[nameEnd - 1]) { nameEnd -= 1 }
        let name = String(decoding: b[nameStart..<nameEnd], as: UTF8.self)
        guard !name.isEmpty, b[nameStart..<nameEnd].allSatisfy(isNameByte) || isName(name) else { return nil }
        for op in ["::=", ":=", "?=", "+=", "="] where b[opStart...].starts(with: op.utf8) {
            var start = opStart + op.utf8.count, end = b.count
            while start < end, blank(b[start]) { start += 1 }
            while end > start, blank(b[end - 1]) { end -= 1 }
            return (name, op, String(decoding: b[start..<end], as: UTF8.self), exported)
        }
        return nil
    }

    /// The line up to its first blank or `(` (a directive's name).
    static func firstWord(_ line: String) -> Substring {
        Substring(line.utf8.prefix { !($0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "(")) })
    }

    /// Whether `name` is one this reader takes for a variable: letters, digits, `_`, `-` and `.`.
    static func isName(_ name: String) -> Bool {
        name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." }
    }

    /// `isName` for one ASCII byte, without Unicode's tables: a name of such bytes is a name.
    static func isNameByte(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."): true
        default: false
        }
    }

    /// Splits on blanks outside quotes and `$(…)`.
    static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        var depth = 0
        var quote: Character?
        for c in text {
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "(" || c == "{" {
                depth += 1
            } else if c == ")" || c == "}" {
                depth = max(0, depth - 1)
            } else if (c == " " || c == "\t"), depth == 0 {
                if !current.isEmpty { words.append(current); current = "" }
                continue
            }
            current.append(c)
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// make's variables while the Makefile is read; nil values are unknown.
    private struct Evaluation {
        struct Variable { var value: String?; var recursive: Bool }
        var variables: [String: Variable]
        /// The inputs: make computes them in ways not modelled here, so assignments leave them.
        let fixed: Set<String>
        /// For each open conditional: whether the current branch is taken (nil: unknown) and
        /// whether an earlier branch was (nil: unknown).
        var conditionals: [(taken: Bool?, matched: Bool?)] = []
        /// Variable references left for the whole Makefile: recursive variables can double at each
        /// level, so a hostile Makefile could otherwise expand for ever. Past it, values are unknown.
        let budget = Budget()

        final class Budget {
            var references = 200_000
        }

        /// The longest value an expansion may produce.
        static let maxLength = 1 << 20

        /// Whether the current line is read: true, false, or nil when a condition is unknown.
        var active: Bool? {
            if conditionals.contains(where: { $0.taken == false }) { return false }
            return conditionals.contains { $0.taken == nil } ? nil : true
        }

        mutating func read(_ line: String, exported: inout [String]) {
            switch UnikraftMakefile.firstWord(line) {
            case "ifeq", "ifneq", "ifdef", "ifndef":
                let condition = active == false ? false : evaluate(line)
                conditionals.append((condition, condition))
                return
            case "else":
                guard let last = conditionals.popLast() else { return }
                let rest = line.dropFirst(4).trimmingCharacters(in: " \t")
                let condition: Bool? = rest.isEmpty ? true : evaluate(rest)
                let taken: Bool? = last.matched == true ? false : (last.matched == nil ? nil : condition)
                let matched: Bool? = last.matched == true ? true : (last.matched == nil ? nil : condition)
                conditionals.append((taken, matched))
                return
            case "endif":
                _ = conditionals.popLast()
                return
            case "export":
                if Self.isNameList(line.dropFirst(6)), active == true {
                    exported += line.dropFirst(6).split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
                    return
                }
            default: break
            }
            guard let (name, op, value, isExported) = UnikraftMakefile.assignment(line), active != false else { return }
            if isExported { exported.append(name) }
            guard !fixed.contains(name) else { return }
            guard active == true else {
                variables[name] = Variable(value: nil, recursive: false)
                return
            }
            switch op {
            case "?=":
                if variables[name] == nil { variables[name] = Variable(value: value, recursive: true) }
            case "+=":
                let old = variables[name] ?? Variable(value: "", recursive: false)
                let added = old.recursive ? value : expand(value)
                variables[name] = Variable(value: old.value.flatMap { o in added.map { o.isEmpty ? $0 : o + " " + $0 } }, recursive: old.recursive)
            case "=":
                variables[name] = Variable(value: value, recursive: true)
            default:
                variables[name] = Variable(value: expand(value), recursive: false)
            }
        }

        private static func isNameList(_ text: Substring) -> Bool {
            !text.contains("=") && !text.contains("$") && !text.trimmingCharacters(in: " \t").isEmpty
        }

        /// `ifeq (a,b)`, `ifeq "a" "b"`, `ifneq …`, `ifdef NAME`, `ifndef NAME`.
        private func evaluate(_ line: String) -> Bool? {
            let word = UnikraftMakefile.firstWord(line)
            let rest = String(Substring(line.utf8.dropFirst(word.utf8.count))).trimmingCharacters(in: " \t")
            switch word {
            case "ifdef", "ifndef":
                guard let variable = variables[rest] else { return word == "ifndef" }
                guard let value = variable.value else { return nil }
                return value.isEmpty == (word == "ifndef")
            case "ifeq", "ifneq":
                var arguments: [String] = []
                if rest.hasPrefix("("), rest.hasSuffix(")") {
                    let inner = rest.dropFirst().dropLast()
                    var depth = 0
                    var split: String.Index?
                    for i in inner.indices {
                        let c = inner[i]
                        if c == "(" { depth += 1 } else if c == ")" { depth -= 1 } else if c == ",", depth == 0 { split = i; break }
                    }
                    guard let split else { return nil }
                    arguments = [String(inner[..<split]), String(inner[inner.index(after: split)...])]
                } else {
                    arguments = UnikraftMakefile.words(rest).map { w in
                        (w.first == "\"" || w.first == "'") && w.count >= 2 ? String(w.dropFirst().dropLast()) : w
                    }
                }
                guard arguments.count == 2, let a = expand(arguments[0]), let b = expand(arguments[1]) else { return nil }
                let equal = a.trimmingCharacters(in: " \t") == b.trimmingCharacters(in: " \t")
                return word == "ifeq" ? equal : !equal
            default:
                return nil
            }
        }

        /// Expands `$(NAME)`, `${NAME}` and `$$`; nil when any part is unknown (a function, an
        /// automatic variable, a variable whose value is unknown). Read as bytes, as make reads it.
        func expand(_ text: String, depth: Int = 0) -> String? {
            guard depth < 50 else { return nil }
            let b = Array(text.utf8)
            guard b.contains(UInt8(ascii: "$")) else { return text }
            var out: [UInt8] = []
            var i = 0
            while i < b.count {
                guard b[i] == UInt8(ascii: "$") else { out.append(b[i]); i += 1; continue }
                guard i + 1 < b.count else { return nil }
                let open = b[i + 1]
                if open == UInt8(ascii: "$") { out.append(open); i += 2; continue }
                guard open == UInt8(ascii: "(") || open == UInt8(ascii: "{") else { return nil }
                let close = open == UInt8(ascii: "(") ? UInt8(ascii: ")") : UInt8(ascii: "}")
                var level = 0
                var end: Int?
                for j in (i + 2)..<b.count {
                    if b[j] == open { level += 1 } else if b[j] == close {
                        if level == 0 { end = j; break }
                        level -= 1
                    }
                }
                guard let end else { return nil }
                let reference = String(decoding: b[(i + 2)..<end], as: UTF8.self)
                i = end + 1
                // The Makefile re-runs itself under `umask $(UMASK)` when the umask differs, so the
                // run that configures always sees its own.
                if reference == "shell umask", let umask = variables["UMASK"]?.value {
                    out += umask.utf8
                    continue
                }
                budget.references -= 1
                guard budget.references > 0, let name = expand(reference, depth: depth + 1),
                      name.utf8.allSatisfy(UnikraftMakefile.isNameByte) || UnikraftMakefile.isName(name) else { return nil }
                // An undefined variable is empty in make.
                guard let variable = variables[name] else { continue }
                guard let value = variable.value, let expanded = variable.recursive ? expand(value, depth: depth + 1) : value else { return nil }
                out += expanded.utf8
                guard out.count <= Self.maxLength else { return nil }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }
}
