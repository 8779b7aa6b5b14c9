import Kconfig

/// What the planner knows about a target's configuration: the full evaluation when a
/// tree is known, else only what the seed says. `nil` means "not known".
struct ConfigFacts {
    private var seedValues: [String: String] = [:]
    /// The full evaluation, asked symbol by symbol (the planner asks about a few).
    private var configuration: KconfigConfiguration?

    init(seed: [SeedLine]) {
        for line in seed { seedValues[line.symbol] = ConfigWriter.unquote(line.value) }
    }

    init(configuration: KconfigConfiguration) {
        self.configuration = configuration
    }

    /// Whether a bool symbol is on.
    func isOn(_ symbol: String) -> Bool? {
        if let v = value(symbol) { return v == "y" }
        return configuration == nil ? nil : false
    }

    /// A string or number symbol's value (`CONFIG_NAME`).
    func value(_ symbol: String) -> String? {
        guard let configuration else { return seedValues[symbol] }
        guard symbol.hasPrefix("CONFIG_") else { return nil }
        return configuration.value(of: String(symbol.dropFirst("CONFIG_".count)))?.value
    }
}
