import Diagnostics
import Kconfig
import Planner

/// The `symbols` of `plan --format json`: every symbol `.config` sets, with its value as
/// `.config` writes it (`n` for `# CONFIG_X is not set`, strings quoted). Taken from the
/// evaluated configuration when there is one, else from the seed.
package enum PlanSymbols {
    package static func document(_ target: TargetPlan, configuration: KconfigConfiguration?) -> DocumentValue {
        guard let configuration else {
            return .map(target.seed.map { ($0.symbol, .string($0.value)) })
        }
        return .map(configuration.values.filter(\.isWritten).map { value in
            ("CONFIG_\(value.name)", .string(value.type == .string ? ConfigWriter.quote(value.value) : value.value))
        })
    }
}
