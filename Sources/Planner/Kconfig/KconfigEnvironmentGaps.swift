/// Environment variables a Kconfig tree's `$(NAME)` references may name but whose value is not known:
/// the preprocessor reports a use of one instead of guessing.
public struct KconfigEnvironmentGaps: Sendable {
    /// The Makefile that gives conf its environment.
    public var makefile: String
    /// Variables the Makefile gives conf whose value manifestc cannot compute, with the reason.
    public var unknown: [String: String]

    public init(makefile: String, unknown: [String: String]) {
        self.makefile = makefile
        self.unknown = unknown
    }

    func message(for name: String) -> String {
        if let why = unknown[name] {
            return "'$(\(name))' is in the environment '\(makefile)' gives conf, but manifestc cannot compute its value (\(why)); the configuration would differ from make's"
        }
        return "'$(\(name))' is not in the environment '\(makefile)' gives conf; conf would read it from the caller's environment, which a plan does not depend on"
    }
}
