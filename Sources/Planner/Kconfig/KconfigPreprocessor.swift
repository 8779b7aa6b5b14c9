import Diagnostics

/// Kconfig's macro language: `$(VAR)`, `$(fn,args…)`, `X := …`, `X = …`, `X += …`.
///
/// Variables shadow environment variables; functions are `shell`, `info`,
/// `warning-if`, `error-if`, `filename` and `lineno`. `$(shell,…)` goes through
/// the injected resolver.
final class KconfigPreprocessor {
    enum Flavor { case simple, recursive }

    private struct Variable {
        var flavor: Flavor
        var value: String
        var expanding = 0
    }

    private var variables: [String: Variable] = [:]
    let environment: [String: String]
    /// When set, reading a variable `environment` lacks is an error (a Unikraft tree's Makefile
    /// says what conf's environment holds); otherwise it is empty, as in Linux's Kconfig.
    let environmentGaps: KconfigEnvironmentGaps?
    let shell: any KconfigShellResolver
    var fileSystem: InMemoryKconfigFileSystem
    var diagnostics = DiagnosticList()
    /// Where the text being expanded comes from (for diagnostics, `$(filename)`, `$(lineno)`).
    var location = SourceLocation(file: "", line: 1, column: 1)
    /// The environment variables that were read, for explanations.
    private(set) var usedEnvironment: Set<String> = []
    /// Lines printed by `$(info,…)`.
    private(set) var infoOutput: [String] = []
    private var depth = 0
    private static let maxDepth = 200
    /// The longest text one expansion may produce.
    static let maxLength = 1 << 22
    private var lengthReported = false
    /// The work all expansions of one tree may do: references evaluated, and bytes produced.
    /// Recursive variables that each reference the next twice (`A = $(B)$(B)`) take time
    /// exponential in their number even when the text stays empty. Unikraft's releases from
    /// 0.13.1 to 0.17.0 need under 100 references and 4 KB.
    static let maxReferences = 100_000
    static let maxProducedBytes = 64 << 20
    private var references = 0
    private var producedBytes = 0
    private var workExhausted = false

    init(environment: [String: String], environmentGaps: KconfigEnvironmentGaps? = nil, shell: any KconfigShellResolver,
         fileSystem: InMemoryKconfigFileSystem) {
        self.environment = environment
        self.environmentGaps = environmentGaps
        self.shell = shell
        self.fileSystem = fileSystem
    }

    // MARK: Assignments

    /// `name op value` where op is `=`, `:=` or `+=`.
    func assign(_ name: String, _ op: String, _ value: String) {
        var flavor: Flavor = op == ":=" ? .simple : .recursive
        var append = false
        if let existing = variables[name] {
            if op == "+=" { flavor = existing.flavor; append = true }
        }
        let text = flavor == .simple ? expandString(Array(value.utf8)) : value
        if append, let existing = variables[name] {
            variables[name] = Variable(flavor: flavor, value: existing.value + " " + text)
        } else {
            variables[name] = Variable(flavor: flavor, value: text)
        }
    }

    // MARK: Expansion

    /// Expands every `$(…)` in `bytes`.
    func expandString(_ bytes: [UInt8], args: [String] = []) -> String {
        var index = 0
        return expand(bytes, from: &index, args: args, isEnd: { _ in false })
    }

    /// Expands from `index` until `isEnd` says a byte ends the text (a `$(` is always taken whole).
    func expand(_ bytes: [UInt8], from index: inout Int, args: [String], isEnd: (UInt8) -> Bool) -> String {
        var out: [UInt8] = []
        while index < bytes.count {
            let c = bytes[index]
            if c == UInt8(ascii: "$") {
                index += 1
                let piece = expandDollar(bytes, from: &index, args: args)
                producedBytes += piece.utf8.count
                out.append(contentsOf: piece.utf8)
                if out.count > Self.maxLength {
                    if !lengthReported {
                        lengthReported = true
                        diagnostics.append(.error("kconfig-macro",
                            "macro expansion is longer than \(Self.maxLength) bytes; the limit is \(Self.maxLength)", at: location))
                    }
                    out.removeLast(out.count - Self.maxLength)
                }
                continue
            }
            if isEnd(c) { break }
            out.append(c)
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Expands one reference; `index` points just after the `$`.
    func expandDollar(_ bytes: [UInt8], from index: inout Int, args: [String]) -> String {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "(") else { return "$" }
        let start = index + 1
        var q = start
        var nest = 0
        while q < bytes.count {
            if bytes[q] == UInt8(ascii: "(") { nest += 1 }
            else if bytes[q] == UInt8(ascii: ")") {
                if nest == 0 { break }
                nest -= 1
            }
            q += 1
        }
        if q >= bytes.count {
            let text = String(decoding: bytes[start...], as: UTF8.self)
            diagnostics.append(.error("kconfig-macro", "unterminated reference to '\(text)': missing ')'", at: location))
            index = bytes.count
            return ""
        }
        index = q + 1
        return evalClause(Array(bytes[start..<q]), args: args)
    }

    private func evalClause(_ clause: [UInt8], args: [String]) -> String {
        references += 1
        if references > Self.maxReferences || producedBytes > Self.maxProducedBytes {
            if !workExhausted {
                workExhausted = true
                diagnostics.append(.error("kconfig-macro-work",
                    "macro expansion does more work than the limit of \(Self.maxReferences) references or \(Self.maxProducedBytes >> 20) MiB of text; "
                        + "variables that reference each other several times grow exponentially; the rest expands to nothing", at: location))
            }
            return ""
        }
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maxDepth {
            diagnostics.append(.error("kconfig-macro", "macro expansion nested deeper than \(Self.maxDepth) levels; a variable probably references itself", at: location))
            return ""
        }
        var parts: [[UInt8]] = []
        var current: [UInt8] = []
        var nest = 0
        for c in clause {
            if nest == 0 && c == UInt8(ascii: ",") {
                parts.append(current)
                current = []
                continue
            }
            if c == UInt8(ascii: "(") { nest += 1 } else if c == UInt8(ascii: ")") { nest -= 1 }
            current.append(c)
        }
        parts.append(current)
        let name = expandString(parts[0], args: args)
        let newArgs = parts.dropFirst().map { expandString($0, args: args) }

        if newArgs.isEmpty, !args.isEmpty, let n = Int(name), n > 0, n <= args.count, name.allSatisfy(\.isASCII) {
            return args[n - 1]
        }
        if var variable = variables[name] {
            if newArgs.isEmpty && variable.expanding > 0 {
                diagnostics.append(.error("kconfig-macro", "recursive variable '\(name)' references itself (eventually)", at: location))
                return ""
            }
            variable.expanding += 1
            variables[name] = variable
            let result = variable.flavor == .recursive ? expandString(Array(variable.value.utf8), args: newArgs) : variable.value
            variables[name]?.expanding -= 1
            return result
        }
        if let result = callFunction(name, newArgs) { return result }
        if newArgs.isEmpty, let value = environment[name] {
            usedEnvironment.insert(name)
            return value
        }
        if newArgs.isEmpty {
            usedEnvironment.insert(name)
            if let gaps = environmentGaps { diagnostics.append(.error("kconfig-environment", gaps.message(for: name), at: location)) }
        }
        return ""
    }

    private func callFunction(_ name: String, _ args: [String]) -> String? {
        let arity: [String: Int] = ["shell": 1, "info": 1, "warning-if": 2, "error-if": 2, "filename": 0, "lineno": 0]
        guard let expected = arity[name] else { return nil }
        if args.count != expected {
            let what = args.count < expected ? "too few" : "too many"
            diagnostics.append(.error("kconfig-macro", "\(what) function arguments passed to '\(name)': it takes \(expected), got \(args.count)", at: location))
            return ""
        }
        switch name {
        case "filename": return location.file
        case "lineno": return String(location.range.start.line)
        case "info":
            infoOutput.append(args[0])
            return ""
        case "warning-if":
            if args[0] == "y" { diagnostics.append(.warning("kconfig-warning-if", args[1], at: location)) }
            return ""
        case "error-if":
            if args[0] == "y" { diagnostics.append(.error("kconfig-error-if", args[1], at: location)) }
            return ""
        default:
            guard let output = shell.run(args[0], fileSystem: &fileSystem) else {
                diagnostics.append(.error("kconfig-shell", "cannot evaluate '$(shell,\(args[0]))': the command is not one manifestc knows how to answer", at: location))
                return ""
            }
            return Self.normalizeShellOutput(output)
        }
    }

    /// Trailing newlines removed, inner newlines turned into spaces (as conf does).
    static func normalizeShellOutput(_ output: String) -> String {
        var text = Substring(output)
        while text.last == "\n" { text = text.dropLast() }
        return text.replacingOccurrences(of: "\n", with: " ")
    }
}

extension Substring {
    fileprivate func replacingOccurrences(of a: Character, with b: String) -> String {
        var out = ""
        for c in self { if c == a { out += b } else { out.append(c) } }
        return out
    }
}
