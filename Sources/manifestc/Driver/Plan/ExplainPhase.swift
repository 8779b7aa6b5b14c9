import Diagnostics
import Kconfig
import Planner

/// What `explain` says about each symbol asked for: its explanation from the target's
/// evaluated configuration, or, for a name the tree does not define, the closest name and
/// a hint (the library that defines it, its new name).
package enum ExplainPhase {
    package enum Answer {
        case explained(SymbolExplanation)
        /// `symbol` without `CONFIG_`; `suggestion` too.
        case unknown(symbol: String, suggestion: String?, hint: String?)
    }

    /// One answer per name (with or without `CONFIG_`), in order.
    package static func explain(_ names: [String], prepared: PlanPhase.Prepared, configuration: KconfigConfiguration) -> [Answer] {
        names.map { raw in
            let name = raw.hasPrefix("CONFIG_") ? String(raw.dropFirst("CONFIG_".count)) : raw
            if let explanation = configuration.explain(name) { return .explained(explanation) }
            let hint = prepared.tree.flatMap {
                SymbolHints.hint(for: name, tree: $0, listed: prepared.plan.libraries.map(\.name),
                                 otherFolders: prepared.environment.otherLibraryFolders, environment: prepared.environment)
            }
            return .unknown(symbol: name, suggestion: prepared.tree?.suggestion(for: name), hint: hint)
        }
    }

    /// The error for a symbol the tree does not define: the hint, else "did you mean".
    package static func unknownSymbol(_ symbol: String, suggestion: String?, hint: String?) -> Diagnostic {
        let said = hint.map { "; \($0)" } ?? suggestion.map { "; did you mean 'CONFIG_\($0)'?" } ?? ""
        return .error(unknownSymbolID, "'CONFIG_\(symbol)' is not a symbol of this tree\(said)", at: nil)
    }

    package static let unknownSymbolID = "explain-unknown-symbol"
}

extension PlanPhase.Prepared {
    /// The one target that is configured (not prebuilt); a usage error naming them when there are several or none.
    /// - Parameter several: the message when there are several, given their ids.
    package func onlyConfiguredTarget(several: ([String]) -> String, none: String) throws -> TargetPlan {
        let built = plan.targets.filter { !$0.prebuilt }
        guard built.count == 1, let target = built.first else {
            throw DriverError.usage(built.isEmpty ? none : several(built.map(\.id)))
        }
        return target
    }
}
