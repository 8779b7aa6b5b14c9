import Diagnostics
import FoundationEssentials
import Glibc
import Manifest

/// What every command that reads a manifest is told about its input: the `.env` file, what
/// may be read outside the repository, which process variables the manifest may read,
/// `--strict`, the input limits and how diagnostics are printed. A value: the command line
/// fills it in (`InputOptions`), the driver reads it.
package struct InputSettings: Sendable {
    package var envFile: String?
    package var allowOutside: [String] = []
    package var allowEnv: [String] = []
    package var strict = false
    package var limits = Limits()
    package var diagnosticsFormat: DiagnosticsEngine.Format = .text
    package var color: ColorChoice = .auto
    /// The process environment the run sees (`${VAR}` under `--allow-env`, `UK_ROOT`, `HOME`): a parameter, so tests give their own.
    package var environment: [String: String] = ProcessInfo.processInfo.environment

    package init() {}

    /// Which process variables the manifest may read.
    package var environmentPolicy: EnvironmentPolicy { EnvironmentPolicy(allowed: allowEnv) }

    /// What manifestc may read for the manifest at `path` without it being named: its repository, `--env-file` and `--allow-outside`.
    package func readScope(manifest path: String) -> ReadScope {
        ReadScope(manifestFolder: URL(fileURLWithPath: path).deletingLastPathComponent(), named: envFile.map { [$0] } ?? [], allowed: allowOutside)
    }

    /// A diagnostics engine that renders in the chosen format and colour through `write`
    /// (or only collects, for a document that embeds the diagnostics).
    package func diagnosticsEngine(collectsOnly: Bool = false, write: @escaping @Sendable (String) -> Void) -> DiagnosticsEngine {
        let colored = color == .always || (color == .auto && isatty(2) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil)
        return DiagnosticsEngine(format: diagnosticsFormat, color: colored, collectsOnly: collectsOnly, write: write)
    }
}

/// When diagnostics are coloured.
package enum ColorChoice: String, CaseIterable, Sendable {
    case auto, always, never
}
