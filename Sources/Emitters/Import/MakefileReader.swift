import Manifest
import Planner
import Diagnostics

/// The variables of an app Makefile, read with a small, honest subset of GNU make:
/// assignments (`=`, `:=`, `::=`, `?=`, `+=`, with `export`/`override`), `$(VAR)` and
/// `${VAR}` references, `$(PWD)`/`$(CURDIR)` (the app folder), `$(abspath …)` and
/// `$(realpath …)`, the text functions (`dir`, `notdir`, `subst`, `patsubst`, `filter`,
/// `filter-out`, …), line continuations and comments. Rules are kept as text so the
/// `L=` of a `$(MAKE) -C $(UK_ROOT) …` recipe can be found. Everything else (`include`,
/// conditionals, other functions) gives a located diagnostic and is skipped.
public struct MakefileReader {
    /// The text `$(PWD)` and `$(CURDIR)` expand to: the setup's own folder.
    public static let appFolder = "\u{1}APP\u{1}"

    struct Variable {
        var value: String
        /// Recursive (`=`, `?=`) variables are expanded where they are used.
        var recursive: Bool
        var location: SourceLocation
    }

    /// One logical line of a recipe (after continuations), with where it starts.
    public struct RecipeLine: Sendable {
        public var text: String
        public var location: SourceLocation
    }

    let file: String
    private(set) var variables: [String: Variable] = [:]
    /// Recipe lines, in order.
    public private(set) var recipes: [RecipeLine] = []
    public private(set) var diagnostics: [Diagnostic] = []
    /// The work all expansions may do: references looked up and characters produced.
    /// Variables that reference each other twice (`A = $(B)$(B)`) grow exponentially in
    /// time, and `A := $(B)$(B)` in size; an app Makefile needs a few hundred references.
    static let maxReferences = 200_000
    static let maxProducedCharacters = 16 << 20
    private var references = 0
    private var producedCharacters = 0
    private var workExhausted = false
    /// Where a too deep expansion was reported (once per place).
    private var recursionReported = Set<String>()

    /// Reads `text` (the Makefile at `file`).
    public init(text: String, file: String) {
        self.file = file
        read(text)
    }

    // MARK: - Lines

    private mutating func read(_ text: String) {
        let physical = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            line.hasSuffix("\r") ? line.dropLast() : line
        }
        var i = 0
        var conditionalWarned = false
        while i < physical.count {
            let startLine = i + 1
            var line = String(physical[i])
            let isRecipe = line.hasPrefix("\t")
            // Backslash-newline joins lines (one space in between, as make does).
            while line.hasSuffix("\\") && !line.hasSuffix("\\\\"), i + 1 < physical.count {
                line.removeLast()
                i += 1
                line = line.trimmingTrailingBlanks + " " + physical[i].drop { $0 == " " || $0 == "\t" }
            }
            i += 1
            let here = SourceLocation(file: file, line: startLine, column: 1)
            if isRecipe {
                recipes.append(RecipeLine(text: String(line.dropFirst()), location: SourceLocation(file: file, line: startLine, column: 2)))
                continue
            }
            let content = Self.stripComment(line)
            let trimmed = content.trimmingBlanks
            if trimmed.isEmpty { continue }
            let indent = content.prefix { $0 == " " || $0 == "\t" }.count
            let words = trimmed.split(separator: " ", maxSplits: 1).map(String.init)
            switch words[0] {
            case "include", "-include", "sinclude":
                diagnostics.append(.warning("make-include", "'\(words[0])' is not followed; variables set in the included file are unknown to the import",
                                            at: SourceLocation(file: file, line: startLine, column: indent + 1)))
                continue
            case "ifeq", "ifneq", "ifdef", "ifndef", "else", "endif":
                if !conditionalWarned {
                    diagnostics.append(.warning("make-conditional", "make conditionals are not evaluated; the assignments of every branch are read in order",
                                                at: SourceLocation(file: file, line: startLine, column: indent + 1)))
                    conditionalWarned = true
                }
                continue
            case "define":
                diagnostics.append(.warning("make-define", "multi-line variables ('define … endef') are skipped",
                                            at: SourceLocation(file: file, line: startLine, column: indent + 1)))
                while i < physical.count, physical[i].trimmingBlanks != "endef" { i += 1 }
                i += 1
                continue
            case "export", "unexport", "override", "vpath", ".PHONY:":
                if words.count == 1 || words[0] == "unexport" || words[0] == "vpath" { continue }
            default: break
            }
            if assignment(content, line: startLine) { continue }
            if Self.ruleColon(content) != nil { continue }
            diagnostics.append(.warning("make-syntax", "make would stop here with 'missing separator': this line is neither an assignment, a rule nor a recipe (recipes start with a tab)",
                                        at: SourceLocation(file: file, line: startLine, column: indent + 1)))
            _ = here
        }
    }

    /// Reads `line` as an assignment; false when it is not one.
    private mutating func assignment(_ line: String, line number: Int) -> Bool {
        var text = Substring(line)
        var column = 1
        for prefix in ["export ", "override "] where text.drop(while: { $0 == " " || $0 == "\t" }).hasPrefix(prefix) {
            let skipped = text.prefix { $0 == " " || $0 == "\t" }.count + prefix.count
            text = text.dropFirst(skipped)
            column += skipped
        }
        let chars = Array(text)
        // The operator: the first `=` outside references, with its one- or two-character prefix.
        var depth = 0
        var k = 0
        while k < chars.count {
            let c = chars[k]
            if c == "$", k + 1 < chars.count, chars[k + 1] == "(" || chars[k + 1] == "{" { depth += 1; k += 2; continue }
            if (c == ")" || c == "}") && depth > 0 { depth -= 1 }
            if depth == 0 {
                if c == "=" { break }
                if c == ":" && !(k + 1 < chars.count && chars[k + 1] == "=") && !(k + 2 < chars.count && chars[k + 1] == ":" && chars[k + 2] == "=") {
                    return false // a rule
                }
            }
            k += 1
        }
        guard k < chars.count else { return false }
        var nameEnd = k
        var op = "="
        if k >= 2, chars[k - 2] == ":", chars[k - 1] == ":" { op = "::="; nameEnd = k - 2 }
        else if k >= 1, [":", "?", "+", "!"].contains(chars[k - 1]) { op = String(chars[k - 1]) + "="; nameEnd = k - 1 }
        let name = String(chars[..<nameEnd]).trimmingBlanks
        guard !name.isEmpty, !name.contains(" "), !name.contains("\t") else { return false }
        let rawValue = String(chars[(k + 1)...]).drop { $0 == " " || $0 == "\t" }
        let valueColumn = column + k + 1 + (chars.count - k - 1 - rawValue.count)
        let location = SourceLocation(file: file, line: number, column: valueColumn)
        let value = String(rawValue).trimmingTrailingBlanks
        switch op {
        case "?=":
            if variables[name] == nil { variables[name] = Variable(value: value, recursive: true, location: location) }
        case ":=", "::=":
            variables[name] = Variable(value: expand(value, at: location), recursive: false, location: location)
        case "+=":
            if var existing = variables[name] {
                let added = existing.recursive ? value : expand(value, at: location)
                existing.value = existing.value.isEmpty ? added : existing.value + " " + added
                variables[name] = existing
            } else {
                variables[name] = Variable(value: value, recursive: true, location: location)
            }
        case "!=":
            diagnostics.append(.warning("make-shell", "'\(name) != …' runs a shell command; the import does not run it and leaves '\(name)' empty", at: location))
            variables[name] = Variable(value: "", recursive: false, location: location)
        default:
            variables[name] = Variable(value: value, recursive: true, location: location)
        }
        return true
    }

    // MARK: - Expansion

    /// The value of variable `name`, expanded; nil when it is not set.
    public mutating func value(of name: String) -> String? {
        guard let v = variables[name] else { return nil }
        return v.recursive ? expand(v.value, at: v.location) : v.value
    }

    /// Where variable `name` was last assigned.
    public func location(of name: String) -> SourceLocation? { variables[name]?.location }

    /// `text` with its references expanded; problems are reported at `location`.
    public mutating func expand(_ text: String, at location: SourceLocation, depth: Int = 0) -> String {
        references += 1
        producedCharacters += text.utf8.count
        if workExhausted || references > Self.maxReferences || producedCharacters > Self.maxProducedCharacters {
            exhaust(at: location)
            return ""
        }
        guard depth < 32 else {
            if recursionReported.insert("\(location.file):\(location.range.start.line):\(location.range.start.column)").inserted {
                diagnostics.append(.warning("make-recursive", "a variable refers to itself (directly or not), or references nest more than 32 deep; the expansion stops here", at: location))
            }
            return ""
        }
        let chars = Array(text)
        var out = ""
        var i = 0
        while i < chars.count {
            let c = chars[i]
            guard c == "$", i + 1 < chars.count else { out.append(c); i += 1; continue }
            let next = chars[i + 1]
            if next == "$" { out.append("$"); i += 2; continue }
            guard next == "(" || next == "{" else {
                out += lookup(String(next), at: location, depth: depth)
                i += 2
                continue
            }
            let close: Character = next == "(" ? ")" : "}"
            var level = 1
            var j = i + 2
            while j < chars.count {
                if chars[j] == next { level += 1 }
                if chars[j] == close { level -= 1; if level == 0 { break } }
                j += 1
            }
            guard j < chars.count else {
                let column = location.range.start.column + i
                diagnostics.append(.error("make-unterminated", "the reference opened with '$\(next)' is not closed; make stops with 'unterminated variable reference'",
                                          at: SourceLocation(file: location.file, line: location.range.start.line, column: column)))
                return out
            }
            let inner = String(chars[(i + 2)..<j])
            if let space = inner.firstIndex(where: { $0 == " " || $0 == "\t" }) {
                let function = String(inner[..<space])
                let argument = String(inner[space...]).trimmingBlanks
                let arguments = Self.splitArguments(argument).map { expand($0, at: location, depth: depth + 1) }
                let words = arguments.first.map { $0.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init) } ?? []
                switch (function, arguments.count) {
                case ("abspath", _), ("realpath", _), ("strip", _), ("wildcard", _):
                    out += words.joined(separator: " ")
                case ("dir", _):
                    out += words.map { w in w.lastIndex(of: "/").map { String(w[...$0]) } ?? "./" }.joined(separator: " ")
                case ("notdir", _):
                    out += words.map { w in w.lastIndex(of: "/").map { String(w[w.index(after: $0)...]) } ?? w }.joined(separator: " ")
                case ("lastword", _): out += words.last ?? ""
                case ("firstword", _): out += words.first ?? ""
                case ("subst", 3): out += arguments[2].replacingOccurrences(arguments[0], with: arguments[1])
                case ("patsubst", 3):
                    out += arguments[2].split(separator: " ").map { Self.patsubst(arguments[0], arguments[1], String($0)) }.joined(separator: " ")
                case ("addprefix", 2):
                    out += arguments[1].split(separator: " ").map { arguments[0] + $0 }.joined(separator: " ")
                case ("addsuffix", 2):
                    out += arguments[1].split(separator: " ").map { $0 + arguments[0] }.joined(separator: " ")
                case ("filter", 2), ("filter-out", 2):
                    // manifestc's own Makefile: `MAKEOVERRIDES := $(filter-out UK_LIBS=%,$(MAKEOVERRIDES))`.
                    let patterns = arguments[0].split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
                    out += arguments[1].split(whereSeparator: { $0 == " " || $0 == "\t" })
                        .filter { word in patterns.contains { Self.matches($0, String(word)) } == (function == "filter") }
                        .joined(separator: " ")
                default:
                    diagnostics.append(.warning("make-function", "make function '\(function)' is not evaluated by the import; it expands to nothing here", at: location))
                }
            } else {
                out += lookup(expand(inner, at: location, depth: depth + 1), at: location, depth: depth)
            }
            i = j + 1
            if producedCharacters + out.utf8.count > Self.maxProducedCharacters {
                exhaust(at: location)
                return ""
            }
        }
        producedCharacters += out.utf8.count
        return out
    }

    /// Reports (once) that expansion hit its work limit; every later expansion is empty.
    private mutating func exhaust(at location: SourceLocation) {
        guard !workExhausted else { return }
        workExhausted = true
        diagnostics.append(.error("make-expansion-limit",
            "expanding the Makefile's variables takes more than \(Self.maxReferences) references or \(Self.maxProducedCharacters >> 20) MiB of text; "
                + "variables that reference each other several times grow exponentially; the rest expands to nothing", at: location))
    }

    /// A function's arguments, split at top-level commas.
    static func splitArguments(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        for c in text {
            if c == "(" || c == "{" { depth += 1 }
            if c == ")" || c == "}" { depth -= 1 }
            if c == ",", depth == 0 { parts.append(current); current = ""; continue }
            current.append(c)
        }
        parts.append(current)
        return parts
    }

    /// `$(patsubst pattern,replacement,word)` for one word, with at most one `%`.
    static func patsubst(_ pattern: String, _ replacement: String, _ word: String) -> String {
        guard let percent = pattern.firstIndex(of: "%") else { return word == pattern ? replacement : word }
        let prefix = String(pattern[..<percent]), suffix = String(pattern[pattern.index(after: percent)...])
        guard word.hasPrefix(prefix), word.hasSuffix(suffix), word.count >= prefix.count + suffix.count else { return word }
        let stem = String(word.dropFirst(prefix.count).dropLast(suffix.count))
        return replacement.replacingOccurrences("%", with: stem)
    }

    /// Whether `word` matches the make pattern `pattern` (one `%` stands for any stem).
    static func matches(_ pattern: String, _ word: String) -> Bool {
        guard let percent = pattern.firstIndex(of: "%") else { return word == pattern }
        let prefix = String(pattern[..<percent]), suffix = String(pattern[pattern.index(after: percent)...])
        return word.hasPrefix(prefix) && word.hasSuffix(suffix) && word.count >= prefix.count + suffix.count
    }

    private mutating func lookup(_ name: String, at location: SourceLocation, depth: Int) -> String {
        if name == "PWD" || name == "CURDIR" { return Self.appFolder }
        if name == "MAKEFILE_LIST" { return Self.appFolder + "/" + (file.split(separator: "/").last.map(String.init) ?? "Makefile") }
        guard let v = variables[name] else { return "" }
        return v.recursive ? expand(v.value, at: v.location, depth: depth + 1) : v.value
    }

    // MARK: - Helpers

    /// The line without a `#` comment (a `\#` is kept).
    static func stripComment(_ line: String) -> String {
        var out = ""
        var previous: Character = " "
        for c in line {
            if c == "#" && previous != "\\" { break }
            out.append(c)
            previous = c
        }
        return out
    }

    /// The position of a rule's `:` (outside references), if the line is a rule.
    static func ruleColon(_ line: String) -> Int? {
        var depth = 0
        for (k, c) in line.enumerated() {
            if c == "(" || c == "{" { depth += 1 }
            if c == ")" || c == "}" { depth = max(0, depth - 1) }
            if c == ":" && depth == 0 { return k }
        }
        return nil
    }
}

extension StringProtocol {
    var trimmingBlanks: String {
        String(drop { $0 == " " || $0 == "\t" }).trimmingTrailingBlanks
    }

    var trimmingTrailingBlanks: String {
        var s = Substring(self)
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
