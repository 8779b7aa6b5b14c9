import Emitters
import FoundationEssentials

/// What `manifestc [PATH…]` (the default command, `emit`) asks the driver for: a value
/// the command line fills in, read by every phase.
package struct CompileRequest: Sendable {
    package var input = InputSettings()
    package var planning = PlanningSettings()
    /// `--emit` (the build's and run's needs are added).
    package var artifacts: Set<Artifact> = Set(Artifact.allCases)
    /// `--output-dir`; default: each manifest's folder.
    package var outputDirectory: String?
    package var writing: Writing = .write
    /// Overwrite edited and foreign files (`--force`).
    package var force = false
    /// `--format`: the summary of several manifests, or of one, as a table or a document.
    package var format: OutputFormat = .text
    /// How many manifests to compile at once; default: the number of cores.
    package var concurrency: Int?
    /// Fetch and pin sources first (`--build`, `--run`, `--locked`, `--update`); nil: use what is there.
    package var sources: SourceSettings?
    /// Where fetched sources are (`--workspace`); default `.unikraft` next to each manifest.
    package var workspace: String?
    package var build = BuildSettings()
    /// With `--run`: the application's arguments.
    package var applicationArguments: [String] = []

    /// What the write phase does with the files.
    package enum Writing: Sendable, Equatable {
        case write, dryRun
        /// `--check`; `regenerate` gives the command that rewrites the files of a manifest (its path as given).
        case check(regenerate: @Sendable (String) -> String)

        package static func == (a: Self, b: Self) -> Bool {
            switch (a, b) {
            case (.write, .write), (.dryRun, .dryRun), (.check, .check): true
            default: false
            }
        }
    }

    package init() {}
}
