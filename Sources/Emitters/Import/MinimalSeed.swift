import Manifest
import Planner
import Kconfig

/// The smallest seed that reproduces a configuration, in kconfig's `savedefconfig` sense:
/// a symbol is written when its value differs from what the tree gives without it.
public enum MinimalSeed {
    /// Symbols conf recomputes on every run (or that the manifest says elsewhere): never part of a seed.
    public static let derivedSymbols: Set<String> = [
        "UK_FULLVERSION", "UK_CODENAME", "UK_ARCH", "HOST_ARCH", "NO_APP", "UK_BASE", "UK_APP", "UK_DEFNAME", "UK_NAME",
    ]

    public struct Result: Sendable {
        /// The seed, in the tree's definition order (without `base`).
        public var seed: [KconfigAssignment]
        /// Symbols whose value in the configuration no seed reproduces (hidden symbols set by hand, …).
        public var unreproduced: [String]
    }

    /// The minimal seed for the configuration that `assignments` (a full `.config` or a
    /// seed) give on `tree`, on top of `base` (the target's and libraries' own symbols,
    /// which the manifest implies).
    public static func compute(tree: KconfigTree, assignments: [KconfigAssignment], base: [KconfigAssignment]) -> Result {
        let wanted = tree.evaluate(seed: assignments).configuration
        let wantedText = ConfigWriter.write(wanted)
        let wantedValues = Dictionary(wanted.values.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var added: [KconfigAssignment] = []
        var current = tree.evaluate(seed: base).configuration

        // Forward passes in definition order: set each visible symbol that still differs.
        for _ in 0..<6 {
            var changed = false
            for value in wanted.values where value.isWritten && !derivedSymbols.contains(value.name) {
                guard let info = tree.symbol(named: value.name), info.prompt != nil,
                      let now = current.value(of: value.name), now.value != value.value else { continue }
                if added.contains(where: { $0.name == value.name }) { continue }
                added.append(assignment(value))
                current = tree.evaluate(seed: base + added).configuration
                changed = true
            }
            if !changed || ConfigWriter.write(current) == wantedText { break }
        }

        // Prune: drop every line the result does not need, latest first.
        let reference = ConfigWriter.write(tree.evaluate(seed: base + added).configuration)
        var i = added.count - 1
        while i >= 0 {
            var without = added
            without.remove(at: i)
            if ConfigWriter.write(tree.evaluate(seed: base + without).configuration) == reference {
                added = without
            }
            i -= 1
        }
        let final = tree.evaluate(seed: base + added).configuration
        let unreproduced = final.values.compactMap { value -> String? in
            guard let target = wantedValues[value.name], !derivedSymbols.contains(value.name),
                  target.value != value.value || target.isWritten != value.isWritten else { return nil }
            return value.name
        }
        let order = Dictionary(wanted.values.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        return Result(seed: added.sorted { (order[$0.name] ?? 0) < (order[$1.name] ?? 0) }, unreproduced: unreproduced)
    }

    /// The seed line that gives `value` its value.
    static func assignment(_ value: KconfigValue) -> KconfigAssignment {
        switch value.type {
        case .bool, .tristate: return value.value == "n" ? KconfigAssignment(name: value.name, value: .notSet) : KconfigAssignment(name: value.name, value: .raw(value.value))
        case .string: return KconfigAssignment.string(value.name, value.value)
        default: return KconfigAssignment(name: value.name, value: .raw(value.value))
        }
    }
}
