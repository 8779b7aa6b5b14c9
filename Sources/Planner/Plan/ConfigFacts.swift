import Kconfig

/// What the planner knows about a target's configuration: the full evaluation when a
/// tree is known, else only what the seed says. `nil` means "not known".
struct ConfigFacts {
    private var values: [String: String] = [:]
    private var complete = false

    init(seed: [SeedLine]) {
        for line in seed { values[line.symbol] = ConfigWriter.unquote(line.value) }
    }

    init(configuration: KconfigConfiguration) {
        complete = true
        for value in configuration.values { values["CONFIG_" + value.name] = value.value }
    }

    /// Whether a bool symbol is on.
    func isOn(_ symbol: String) -> Bool? {
        if let v = values[symbol] { return v == "y" }
        return complete ? false : nil
    }

    /// A string or number symbol's value.
    func value(_ symbol: String) -> String? { values[symbol] }
}
