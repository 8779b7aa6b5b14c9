import Manifest
import Diagnostics
import Kconfig

/// What `manifestc set` and `unset` ask of a target's configuration, typed and checked against
/// the tree: values spelled for their symbol's type, the symbols a request also needs turned on
/// (`explain`'s smallest set), and whether the changed seed gives every requested value.
public enum ConfigRequest {
    /// `SYMBOL=VALUE` from a command line as a change: the symbol known to the tree, the value
    /// valid for its type (a string as given, or Kconfig-quoted when wrapped in `"`); else why not.
    public static func change(_ argument: String, tree: KconfigTree) -> Result<KconfigChange, RequestProblem> {
        guard let eq = argument.firstIndex(of: "=") else {
            return .failure(RequestProblem("'\(argument)' has no '=VALUE'; write it as 'CONFIG_X=y' (or use 'unset' to remove a setting)"))
        }
        let raw = String(argument[argument.index(after: eq)...])
        return symbol(String(argument[..<eq]), tree: tree).flatMap { info in
            let symbol = "CONFIG_" + info.name
            if SeedBuilder.isTargetSymbol(symbol) {
                return .failure(RequestProblem("'\(symbol)' is chosen by the target's architecture and platform; change them in 'targets' instead"))
            }
            guard KconfigLiteral.canHold(raw) else {
                return .failure(RequestProblem("the value of '\(symbol)' holds a line break or another control character; a .config holds one value per line"))
            }
            let value: String
            switch info.type {
            case .string:
                let text = ConfigWriter.unquote(raw)
                value = KconfigLiteral(text: text, quoted: true).seedText
            case .hex where !raw.lowercased().hasPrefix("0x") && !raw.isEmpty:
                value = "0x" + raw
            default:
                value = raw
            }
            if let problem = info.problem(with: value) { return .failure(RequestProblem(problem)) }
            return .success(KconfigChange(symbol: symbol, value: value))
        }
    }

    /// A symbol named on a command line (with or without `CONFIG_`), known to the tree.
    public static func symbol(_ written: String, tree: KconfigTree) -> Result<KconfigSymbolInfo, RequestProblem> {
        let name = written.hasPrefix("CONFIG_") ? String(written.dropFirst("CONFIG_".count)) : written
        guard let info = tree.symbol(named: name) else {
            let hint = SymbolHints.renames.first { $0.old == name && tree.symbol(named: $0.new) != nil }
                .map { "; it was renamed to 'CONFIG_\($0.new)' in Unikraft \($0.release)" }
                ?? tree.suggestion(for: name).map { "; did you mean 'CONFIG_\($0)'?" } ?? ""
            return .failure(RequestProblem("'CONFIG_\(name)' is not a symbol of this Unikraft tree and its libraries\(hint)"))
        }
        return .success(info)
    }

    /// A request that cannot be made, in the words of a diagnostic message.
    public struct RequestProblem: Error, Equatable, Sendable {
        public var message: String
        public init(_ message: String) { self.message = message }
    }

    /// A target's seed as the tree reads it (each value spelled for its symbol's type), as planning types it.
    public static func assignments(_ seed: [SeedLine], tree: KconfigTree) -> [KconfigAssignment] {
        var checker = SeedChecker(tree: tree, file: "")
        return checker.assignments(seed)
    }

    /// The seed with `changes` applied: a set value replaces the symbol's line (or is added),
    /// an unset drops the line the manifest wrote. `locations` say where each change is written.
    public static func seed(_ seed: [SeedLine], applying changes: [KconfigChange], at locations: [String: SourceLocation] = [:]) -> [SeedLine] {
        var lines = seed
        for change in changes {
            let index = lines.firstIndex { $0.symbol == change.symbol }
            guard let value = change.value else {
                if let index, case .manifest = lines[index].origin { lines.remove(at: index) }
                continue
            }
            let quoted = value.count >= 2 && value.hasPrefix("\"") && value.hasSuffix("\"")
            let literal = quoted ? KconfigLiteral(text: ConfigWriter.unquote(value), quoted: true) : KconfigLiteral(text: value)
            let origin = locations[change.symbol].map(SeedLine.Origin.manifest) ?? .manifest(SourceLocation(file: "", line: 0, column: 0))
            let line = SeedLine(symbol: change.symbol, value: SeedBuilder.seedValue(literal), origin: origin, literal: literal)
            if let index { lines[index] = line } else { lines.append(line) }
        }
        return lines
    }

    /// The changes with, before them, the symbols each `y` request also needs turned on so that
    /// it takes effect (`explain`'s smallest set), found on the target's seed; repeated until nothing
    /// more is needed (a few rounds at most).
    public static func withDependencies(_ changes: [KconfigChange], seed: [SeedLine], tree: KconfigTree) -> [KconfigChange] {
        var all = changes
        for _ in 0..<4 {
            let configuration = tree.evaluate(seed: assignments(Self.seed(seed, applying: all), tree: tree)).configuration
            var needed: [KconfigChange] = []
            for change in all where change.value == "y" {
                let name = String(change.symbol.dropFirst("CONFIG_".count))
                guard configuration.value(of: name)?.value != "y", let toEnable = configuration.explain(name)?.toEnable else { continue }
                for symbol in toEnable.map({ "CONFIG_" + $0 }) where !all.contains(where: { $0.symbol == symbol }) && !needed.contains(where: { $0.symbol == symbol }) {
                    needed.append(KconfigChange(symbol: symbol, value: "y"))
                }
            }
            if needed.isEmpty { break }
            all = needed + all
        }
        return all
    }

    /// The errors of `changes` on a target: values the tree refuses, and requests the
    /// configuration does not honour (with the evaluator's reasons and what else to enable).
    public static func check(_ changes: [KconfigChange], seed: [SeedLine], tree: KconfigTree, file: String,
                             locations: [String: SourceLocation]) -> [Diagnostic] {
        let changed = Set(changes.map(\.symbol))
        let lines = Self.seed(seed, applying: changes, at: locations)
        var checker = SeedChecker(tree: tree, file: file)
        let configuration = tree.evaluate(seed: checker.assignments(lines)).configuration
        let unmet = checker.unmetRequests(lines.filter { changed.contains($0.symbol) }, configuration)
        return checker.diagnostics.filter { $0.severity == .error && $0.location.map { locations.values.contains($0) } == true } + unmet
    }
}
