import Manifest
import Diagnostics
import Kconfig

/// The effective configuration change between two plans of a manifest (two revisions of it,
/// two Unikraft trees, or both): every symbol whose value changes, per target, old → new, with
/// why: a manifest line, a `select`/`imply`/default (traced back to the manifest line that
/// started it where one did), or the tree (a symbol renamed, gone, or new).
public struct ConfigDiff: Sendable, Equatable {
    public var targets: [TargetDiff]

    public struct TargetDiff: Sendable, Equatable {
        public var id: String
        public var changes: [Change]
    }

    public struct Change: Sendable, Equatable {
        /// The symbol with its `CONFIG_` prefix.
        public var symbol: String
        /// The value as `.config` writes it after `=` (strings quoted), `n` for "is not set";
        /// nil when the configuration does not hold the symbol.
        public var old: String?
        public var new: String?
        public var cause: Cause
        /// The manifest line responsible, where there is one (in the new manifest; in the old one
        /// for a line that was removed).
        public var line: SourceLocation?
    }

    public enum Cause: Sendable, Equatable {
        /// The manifest sets it (a line added or changed).
        case manifest
        /// The old manifest set it; the line is gone.
        case manifestRemoved
        /// Another symbol's `select` or `imply`, or a default: the evaluator's reason.
        case dependency(String)
        /// The new tree calls it by another name (`SymbolHints.renames`).
        case renamed(to: String)
        /// The new tree does not define it.
        case vanished
        /// Only the new tree defines it.
        case introduced
    }

    /// One side of the comparison: a target's configuration and the seed it was planned from.
    public struct Side: Sendable {
        public var configuration: KconfigConfiguration
        public var seed: [SeedLine]

        public init(configuration: KconfigConfiguration, seed: [SeedLine]) {
            self.configuration = configuration
            self.seed = seed
        }
    }

    /// The diff of the targets both sides plan (by id, in the new side's order; a target only one
    /// side has is compared with an empty configuration).
    /// - Parameter sameTree: both sides were planned on the same tree, so only the seeds differ.
    public static func compute(old: [(id: String, side: Side)], new: [(id: String, side: Side)], sameTree: Bool = true) -> ConfigDiff {
        var targets: [TargetDiff] = []
        let oldByID = Dictionary(old.map { ($0.id, $0.side) }, uniquingKeysWith: { a, _ in a })
        for (id, side) in new {
            var found = changes(old: oldByID[id], new: side)
            if sameTree, let before = oldByID[id] { attributeToTheOnlyLine(&found, old: before, new: side) }
            targets.append(TargetDiff(id: id, changes: found))
        }
        for (id, side) in old where !new.contains(where: { $0.id == id }) {
            targets.append(TargetDiff(id: id, changes: changes(old: side, new: nil)))
        }
        return ConfigDiff(targets: targets)
    }

    /// `.config`'s spelling of a value, nil when conf does not write it.
    static func written(_ value: KconfigValue?) -> String? {
        guard let value, value.isWritten else { return nil }
        return value.type == .string ? ConfigWriter.quote(value.value) : value.value
    }

    static func manifestLine(_ seed: [SeedLine], _ symbol: String) -> SourceLocation? {
        guard let line = seed.first(where: { $0.symbol == symbol }), case .manifest(let at) = line.origin else { return nil }
        return at
    }

    private static func changes(old: Side?, new: Side?) -> [Change] {
        let oldValues = old?.configuration.values ?? []
        let newValues = new?.configuration.values ?? []
        let oldByName = Dictionary(oldValues.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let newByName = Dictionary(newValues.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var out: [Change] = []
        var causes: [String: (Cause, SourceLocation?)] = [:]

        /// Why `name` changed, following selects and implies back to a manifest line (bounded).
        func cause(_ name: String, depth: Int = 0) -> (Cause, SourceLocation?) {
            if let known = causes[name] { return known }
            let symbol = "CONFIG_" + name
            let newLine = new.flatMap { manifestLine($0.seed, symbol) }
            let oldLine = old.flatMap { manifestLine($0.seed, symbol) }
            let result: (Cause, SourceLocation?)
            if let newLine, old.map({ seedValue($0.seed, symbol) }) != new.map({ seedValue($0.seed, symbol) }) {
                result = (.manifest, newLine)
            } else if newLine == nil, let oldLine {
                result = (.manifestRemoved, oldLine)
            } else if let value = newByName[name] ?? oldByName[name] {
                let reason = value.explanation.last { $0.kind != .user }
                var line: SourceLocation?
                if let reason, reason.kind == .selected || reason.kind == .implied, let source = quotedName(reason.message), depth < 16, source != name {
                    line = cause(source, depth: depth + 1).1
                }
                result = (.dependency(reason?.message ?? "its dependencies changed"), line ?? newLine)
            } else {
                result = (.dependency("its dependencies changed"), nil)
            }
            causes[name] = result
            return result
        }

        for value in newValues {
            let before = oldByName[value.name]
            let now = written(value)
            let was = written(before)
            guard now != was else { continue }
            if old != nil, before == nil {
                out.append(Change(symbol: "CONFIG_" + value.name, old: nil, new: now, cause: .introduced, line: new.flatMap { manifestLine($0.seed, "CONFIG_" + value.name) }))
                continue
            }
            let (c, line) = cause(value.name)
            out.append(Change(symbol: "CONFIG_" + value.name, old: was, new: now, cause: c, line: line))
        }
        for value in oldValues where newByName[value.name] == nil && written(value) != nil {
            let symbol = "CONFIG_" + value.name
            let rename = SymbolHints.renames.first { $0.old == value.name && newByName[$0.new] != nil }
            out.append(Change(symbol: symbol, old: written(value), new: nil, cause: rename.map { .renamed(to: "CONFIG_" + $0.new) } ?? .vanished,
                              line: new.flatMap { manifestLine($0.seed, symbol) } ?? old.flatMap { manifestLine($0.seed, symbol) }))
        }
        return out
    }

    /// On one tree, when the seeds differ only by one manifest line (no library or target symbol
    /// came or went), that line is responsible for every change: the ones a default or a
    /// dependency made, not traced through a `select` or `imply`, get it too.
    private static func attributeToTheOnlyLine(_ changes: inout [Change], old: Side, new: Side) {
        func automatic(_ seed: [SeedLine]) -> [String] {
            seed.compactMap { line in
                if case .manifest = line.origin { return nil }
                return line.text
            }
        }
        let lines = Set(changes.compactMap { change -> SourceLocation? in
            switch change.cause {
            case .manifest, .manifestRemoved: return change.line
            default: return nil
            }
        })
        guard lines.count == 1, let line = lines.first, automatic(old.seed) == automatic(new.seed) else { return }
        for i in changes.indices where changes[i].line == nil {
            if case .dependency = changes[i].cause { changes[i].line = line }
        }
    }

    private static func seedValue(_ seed: [SeedLine], _ symbol: String) -> String? {
        seed.first { $0.symbol == symbol }?.value
    }

    /// The symbol an evaluator reason names: `selected by 'LIBX'` → `LIBX`.
    private static func quotedName(_ message: String) -> String? {
        guard let open = message.firstIndex(of: "'") else { return nil }
        let rest = message[message.index(after: open)...]
        return rest.firstIndex(of: "'").map { String(rest[..<$0]) }
    }
}
