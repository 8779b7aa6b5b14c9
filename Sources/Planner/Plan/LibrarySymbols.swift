/// A library's enable symbol when no tree says it, by one rule, and the libraries of Unikraft's
/// catalog manifestc knows by name: the planner guesses their symbols without a warning, import
/// recognises them by their symbols, and symbol hints name them as the owners of symbols.
public enum LibrarySymbols {
    /// Libraries whose enable symbol does not follow the rule.
    static let exceptions: [String: String] = ["newlib": "CONFIG_LIBNEWLIBC"]

    /// The catalog libraries people use: the ones that lead `L=` in their order, then the
    /// others by name (the default library order).
    public static let catalog: [String] = LibraryOrder.leading + [
        "duktape", "intel-intrinsics", "libelf", "libgcc", "libuuid", "lua", "lwip", "memcached", "micropython",
        "mimalloc", "nginx", "openssl", "python3", "redis", "sqlite", "tinyalloc", "zlib",
    ]

    /// The enable symbol of library `name` (with `CONFIG_`): `LIB` + the name in upper case with
    /// `-` and `.` as `_`, without doubling a leading "lib"; `exceptions` say otherwise.
    public static func enableSymbol(ofLibrary name: String) -> String {
        if let symbol = exceptions[name] { return symbol }
        var upper = String(name.uppercased().map { $0 == "-" || $0 == "." ? "_" : $0 })
        if upper.hasPrefix("LIB") { upper.removeFirst(3) }
        return "CONFIG_LIB" + upper
    }
}
