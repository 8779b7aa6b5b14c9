import Manifest
import Planner
import Diagnostics
import Kconfig

/// Reads a manual Unikraft setup (Makefile, configurations, launch scripts, VMM
/// configurations) into an `ImportedSetup`. Pure: the files come in as values.
///
/// The steps of `run()`, each in the file named for it: read the files (`+Files`), name the
/// setup and find its targets (`+Targets`), its libraries (`+Libraries`), each target's options
/// and the Unikraft version (`+Configurations`), the run settings (`+RunSettings`), then order the targets.
public struct SetupImporter {
    let input: ImportInput
    public internal(set) var diagnostics: [Diagnostic] = []

    public init(_ input: ImportInput) { self.input = input }

    /// A configuration file of the setup, read.
    struct ConfigSource {
        var file: String
        var assignments: [KconfigAssignment]
        var isFull: Bool
        var platform: Platform?
        var architecture: Architecture?
        var targetName: String?
    }

    public mutating func run() -> ImportedSetup {
        var setup = ImportedSetup(name: input.folderName, unikraftVersion: "stable")
        var reading = readFiles(into: &setup)
        nameSetup(&setup, reading)
        let sources = findTargets(&setup, reading)
        let assignments = Self.assignments(of: sources)
        findLibraries(&setup, reading, sources: sources, assignments: assignments)
        addOptions(&setup, sources: sources)
        guessVersion(&setup, reading, assignments: assignments)
        runSettings(reading.facts, assignments: assignments, into: &setup)
        foreignAppName(&setup)
        orderTargets(&setup, makefile: &reading.makefile)
        diagnostics = Diagnostic.sortedByLocation(diagnostics)
        return setup
    }

    static func text(_ value: KconfigAssignment.Value) -> String {
        switch value {
        case .notSet: "n"
        case .raw(let t): t
        }
    }

    /// A host path as a manifest writes it: relative ones start with `./`.
    static func relative(_ path: String) -> String {
        for prefix in ["$(pwd)/", "$PWD/", "${PWD}/", "`pwd`/", "$(PWD)/"] where path.hasPrefix(prefix) { return "./" + path.dropFirst(prefix.count) }
        if path.hasPrefix("/") || path.hasPrefix("./") || path.hasPrefix("../") || path.hasPrefix("~") || path.hasPrefix("$") { return path }
        return "./" + path
    }
}
