import Diagnostics

/// Reads a manifest from its bytes: YAML, spec detection, decoding, interpolation.
/// Pure: the caller supplies the bytes and the environment.
public struct ManifestLoader: Sendable {
    public var limits: Limits
    /// Unknown keys are errors instead of warnings.
    public var strict: Bool

    public init(limits: Limits = Limits(), strict: Bool = false) {
        self.limits = limits
        self.strict = strict
    }

    public struct Result: Sendable {
        /// The manifest, or nil when the file could not be read as one. Present (best
        /// effort) even when some values had errors; check `hasErrors`.
        public var manifest: Manifest?
        public var diagnostics: [Diagnostic]
        public var source: SourceText

        public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    }

    /// - Parameters:
    ///   - environment: variables for `${…}` interpolation (the allowed process variables over a `.env` file).
    ///   - withheld: names set in the process environment but not allowed (never their values):
    ///     naming one is an error (a warning where a default is given).
    public func load(_ bytes: [UInt8], file: String, environment: [String: String] = [:], withheld: Set<String> = []) -> Result {
        let yaml = YAMLReader(limits: limits).read(bytes, file: file)
        guard let root = yaml.root else {
            return Result(manifest: nil, diagnostics: yaml.diagnostics, source: yaml.source)
        }
        var decoder = ManifestDecoder(file: file, interpolator: Interpolator(environment: environment, withheld: withheld),
                                       strict: strict, limits: limits)
        let manifest = decoder.decode(root)
        return Result(manifest: manifest, diagnostics: Diagnostic.sortedByLocation(yaml.diagnostics + decoder.context.diagnostics), source: yaml.source)
    }
}
