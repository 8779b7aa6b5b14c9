import Manifest
import Diagnostics
import Kconfig

/// Types a seed against the real symbols of a tree: unknown symbols, values of the wrong
/// type or out of range, and requests the dependencies make impossible.
struct SeedChecker {
    let tree: KconfigTree
    let file: String
    var diagnostics: [Diagnostic] = []
    /// What to say about a symbol the tree does not define (`SymbolHints`), before a "did you mean".
    var hint: (String) -> String? = { _ in nil }
    /// Symbols whose manifest value was rejected: left out of the seed and not checked again.
    private var rejected: Set<String> = []

    init(tree: KconfigTree, file: String) {
        self.tree = tree
        self.file = file
    }

    private func location(_ line: SeedLine) -> SourceLocation? {
        if case .manifest(let location) = line.origin { return location }
        return nil
    }

    /// The seed as assignments, each value spelled for its symbol's type.
    mutating func assignments(_ seed: [SeedLine]) -> [KconfigAssignment] {
        seed.compactMap { line in
            let name = String(line.symbol.dropFirst("CONFIG_".count))
            guard let symbol = tree.symbol(named: name) else {
                if let at = location(line) {
                    let hint = self.hint(name).map { "; \($0)" } ?? tree.suggestion(for: name).map { "; did you mean 'CONFIG_\($0)'?" } ?? ""
                    diagnostics.append(.warning("kconfig-unknown-symbol", "'\(line.symbol)' is not a symbol of this Unikraft tree and its libraries; conf ignores it\(hint)", at: at))
                } else if case .library(let library) = line.origin {
                    diagnostics.append(.warning("kconfig-unknown-symbol", "library '\(library)' is not among the libraries the tree was configured with ('\(line.symbol)' is not defined): its folder was not given (--lib) or not fetched", at: nil))
                }
                return KconfigAssignment(name: name, value: line.value == "n" ? .notSet : .raw(line.value), location: location(line))
            }
            guard let value = typed(line, symbol) else { return nil }
            return KconfigAssignment(name: name, value: value, location: location(line))
        }
    }

    private mutating func typed(_ line: SeedLine, _ symbol: KconfigSymbolInfo) -> KconfigAssignment.Value? {
        let text = line.literal?.text ?? line.value
        let quoted = line.literal?.quoted ?? false
        func reject(_ message: String) -> KconfigAssignment.Value? {
            diagnostics.append(.error("kconfig-type", message, at: location(line)))
            rejected.insert(line.symbol)
            return nil
        }
        switch symbol.type {
        case .bool, .tristate:
            switch line.value {
            case "y": return .raw("y")
            case "n": return .notSet
            case "m" where symbol.type == .tristate: return .raw("m")
            default: return reject("'\(line.symbol)' is a \(symbol.type.rawValue); write 'y' or 'n', not '\(text)'")
            }
        case .int:
            guard !quoted, let number = Int(text) else { return reject("'\(line.symbol)' is an int; '\(text)' is not a decimal number") }
            return checkRange(line, symbol, number) ? .raw(String(number)) : nil
        case .hex:
            var digits = Substring(text)
            if digits.hasPrefix("0x") || digits.hasPrefix("0X") { digits = digits.dropFirst(2) }
            else if !quoted, let decimal = Int(text), decimal >= 0 { return .raw("0x" + String(decimal, radix: 16)) }
            guard !quoted, !digits.isEmpty, let number = Int(digits, radix: 16) else {
                return reject("'\(line.symbol)' is a hex value; '\(text)' is not a number such as 0x1000")
            }
            return checkRange(line, symbol, number) ? .raw(text) : nil
        case .string:
            return .raw(ConfigWriter.quote(text))
        default:
            return .raw(line.value)
        }
    }

    /// Whether `number` is within the symbol's first numeric range (as conf checks it).
    private mutating func checkRange(_ line: SeedLine, _ symbol: KconfigSymbolInfo, _ number: Int) -> Bool {
        for range in symbol.ranges {
            guard let low = Self.number(range.low), let high = Self.number(range.high) else { continue }
            if number < low || number > high {
                diagnostics.append(.error("kconfig-range", "'\(line.symbol)' must be between \(range.low) and \(range.high); \(number) is outside",
                                          at: location(line), notes: [DiagnosticNote("the range is declared here", at: range.location)]))
                rejected.insert(line.symbol)
                return false
            }
            return true
        }
        return true
    }

    private static func number(_ text: String) -> Int? {
        if text.hasPrefix("0x") || text.hasPrefix("0X") { return Int(text.dropFirst(2), radix: 16) }
        return Int(text)
    }

    /// Errors for manifest values the evaluated configuration does not honour, with the
    /// evaluator's explanation as notes.
    func unmetRequests(_ seed: [SeedLine], _ configuration: KconfigConfiguration) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for line in seed {
            guard let at = location(line), !rejected.contains(line.symbol), let value = configuration.value(of: String(line.symbol.dropFirst("CONFIG_".count))) else { continue }
            let wanted: String
            switch value.type {
            case .bool, .tristate: wanted = line.value
            case .string: wanted = line.literal?.text ?? line.value
            case .hex: wanted = line.value.lowercased().hasPrefix("0x") ? line.value : (Int(line.value).map { "0x" + String($0, radix: 16) } ?? line.value)
            default: wanted = line.value
            }
            let got = value.value
            let same = value.type == .hex ? Self.number(got) == Self.number(wanted) : got == wanted
            if same { continue }
            var notes = value.explanation.map { DiagnosticNote($0.message, at: $0.location) }
            if wanted == "y", let needed = configuration.explain(value.name)?.toEnable, !needed.isEmpty {
                notes.append(DiagnosticNote("to turn it on, also enable: " + needed.map { "CONFIG_\($0)" }.joined(separator: " ")))
            }
            out.append(.error("kconfig-unmet", "'\(line.symbol)=\(wanted)' cannot take effect: the configuration has '\(got.isEmpty ? "(unset)" : got)'",
                              at: at, notes: notes))
        }
        return out
    }
}
