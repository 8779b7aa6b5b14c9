import Manifest
import Planner
import Kconfig

/// What a person changed in a configuration (in `make menuconfig`), as the smallest change to a
/// manifest's seed: the lines to set so that the seed gives the values the person changed, in
/// `savedefconfig`'s sense (`MinimalSeed`), on top of what the manifest already asks for.
///
/// Only the symbols whose value differs between the planned and the edited `.config` count as
/// asked for: conf reads every value of a `.config` as set by the user, so a symbol the person did
/// not touch would otherwise stay pinned at its old value (an `imply` of a newly enabled option
/// would not apply, as it does when the option is set in the manifest).
public enum SeedChange {
    public struct Result: Sendable, Equatable {
        /// The settings to write (values as after `CONFIG_X=`; `n` for "is not set"), in the tree's order.
        public var changes: [KconfigChange]
        /// Architecture, platform and VMM symbols changed: `targets` says those, not kconfig.
        public var targetSymbols: [String]
        /// Symbols whose edited value no seed gives (hidden symbols edited by hand, …).
        public var unreproduced: [String]
    }

    /// - Parameters:
    ///   - planned: the `.config` before the edit; `edited`: after it.
    ///   - seed: the target's seed as planned (`ConfigRequest.assignments`).
    public static func compute(planned: [KconfigAssignment], edited: [KconfigAssignment], seed: [KconfigAssignment], tree: KconfigTree) -> Result {
        let before = Dictionary(planned.map { ($0.name, $0.value) }, uniquingKeysWith: { _, later in later })
        let touched = edited.filter { before[$0.name] != $0.value }
        let minimal = MinimalSeed.compute(tree: tree, assignments: seed + touched, base: seed)
        // A seed line the edit contradicts (the choice member it set, now off) gets the edited value
        // even when another line already gives it, so the manifest does not say both.
        let asked = Dictionary(seed.map { ($0.name, $0.value) }, uniquingKeysWith: { _, later in later })
        let contradicted = touched.filter { line in asked[line.name].map { $0 != line.value } == true && !minimal.seed.contains { $0.name == line.name } }
        var changes: [KconfigChange] = []
        var targetSymbols: [String] = []
        for line in contradicted + minimal.seed {
            let symbol = "CONFIG_" + line.name
            if SeedBuilder.isTargetSymbol(symbol) {
                targetSymbols.append(symbol)
                continue
            }
            switch line.value {
            case .notSet: changes.append(KconfigChange(symbol: symbol, value: "n"))
            case .raw(let text): changes.append(KconfigChange(symbol: symbol, value: text))
            }
        }
        return Result(changes: changes, targetSymbols: targetSymbols, unreproduced: minimal.unreproduced.map { "CONFIG_" + $0 })
    }
}
