import ArgumentParser
import Driver
import FoundationEssentials
import Manifest
import Planner
import Diagnostics
import Kconfig

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        _superCommandName: "manifestc",
        abstract: "Check manifests and report every problem with its location.",
        discussion: """
            Each manifest is checked in full: all problems are reported, not just the first, \
            including every one the default command finds without a Unikraft tree (duplicate \
            targets, volumes whose source is missing, names that cannot be folders). \
            Exits 0 when every manifest is valid (warnings allowed), 1 when any has errors, \
            2 on a usage error (including a named file that cannot be read).

            Examples:
              manifestc validate
              manifestc validate Kraftfile --strict
              manifestc validate apps/*/Kraftfile
              manifestc validate kraft.yaml --diagnostics-format json 2> problems.json
              manifestc validate apps --format json  # every manifest under apps/, one JSON document

            --format json prints one document on stdout, diagnostics included (nothing on stderr): \
            {"version": 1, "command": "validate", "valid": …, "manifests": [{file, valid, spec, name, \
            targets: [{platform, architecture, name}], libraries, errors, warnings}], "diagnostics": [{id, \
            severity, message, file, line, column, endLine, endColumn, notes, fixIt}]}.
            """
    )

    @Argument(help: ArgumentHelp(
        "The manifests, or folders to search for them. Default: the Kraftfile, kraft.yaml, kraft.yml, Kraftfile.yml or Kraftfile.yaml in the current folder or the nearest parent that has one.",
        valueName: "file"))
    var files: [String] = []

    @OptionGroup var input: InputOptions

    @Option(help: ArgumentHelp("text, or json: one document on stdout (see below).", valueName: "format"))
    var format: OutputFormat = .text

    func run() throws {
        let settings = try input.settings()
        let console = Console(buffered: false, input: settings, collectsDiagnostics: format == .json)
        let reader = ManifestInput(options: settings, console: console)
        let paths = try ManifestDiscovery.resolve(files, allowed: input.allowOutside).paths
        var allDiagnostics: [Diagnostic] = []
        var sources: [String: SourceText] = [:]
        var summaries: [String] = []
        var entries: [DocumentValue] = []
        var failed = false
        for path in paths {
            let loaded = try reader.load(path)
            var diagnostics = loaded.diagnostics
            sources.merge(loaded.sources) { a, _ in a }
            if let manifest = loaded.result.manifest, !diagnostics.contains(where: { $0.severity == .error }) {
                // What emit reports without a tree, from the same planner: duplicate targets, volumes, names.
                let planned = try Validation.plannerDiagnostics(manifest, path: path, reader: reader)
                var seen = Set(diagnostics)
                diagnostics = Diagnostic.sortedByLocation(diagnostics + planned.diagnostics.filter { seen.insert($0).inserted })
                sources.merge(planned.sources) { a, _ in a }
            }
            allDiagnostics += diagnostics
            let valid = loaded.result.manifest != nil && !diagnostics.contains(where: { $0.severity == .error })
            entries.append(Self.document(path, manifest: valid ? loaded.result.manifest : nil, diagnostics: diagnostics))
            guard valid, let manifest = loaded.result.manifest else {
                failed = true
                continue
            }
            summaries.append(Self.summary(manifest, warnings: diagnostics.filter { $0.severity == .warning }.count))
        }
        reader.report(allDiagnostics, sources: sources)
        if format == .json {
            console.out(DocumentValue.map([
                ("version", .int(1)), ("command", .string("validate")), ("valid", .bool(!failed)),
                ("manifests", .list(entries)), ("diagnostics", .list(allDiagnostics.map(\.document))),
            ]).json())
        } else {
            console.out(summaries.map { $0 + "\n" }.joined())
        }
        if failed { throw DriverError.failure }
    }

    /// One manifest in `--format json`; `manifest` is nil when it has errors.
    static func document(_ path: String, manifest: Manifest?, diagnostics: [Diagnostic]) -> DocumentValue {
        func count(_ severity: Severity) -> DocumentValue { .int(diagnostics.filter { $0.severity == severity }.count) }
        return .map([
            ("file", .string(path)),
            ("valid", .bool(manifest != nil)),
            ("spec", manifest.map { .string($0.spec.rawValue) } ?? .null),
            ("name", manifest?.name.map { .string($0.value) } ?? .null),
            ("targets", .list((manifest?.targets ?? []).map { t in
                .map([("platform", .string(t.platform.value.rawValue)), ("architecture", .string(t.architecture.value.rawValue)),
                      ("name", t.name.map { .string($0.value) } ?? .null)])
            })),
            ("libraries", .list((manifest?.libraries ?? []).map { .string($0.name.value) })),
            ("errors", count(.error)),
            ("warnings", count(.warning)),
        ])
    }

    static func summary(_ manifest: Manifest, warnings: Int) -> String {
        func count(_ n: Int, _ one: String, _ many: String) -> String { "\(n) \(n == 1 ? one : many)" }
        var text = "\(manifest.file): valid, spec v\(manifest.spec.rawValue), \(count(manifest.targets.count, "target", "targets")), \(count(manifest.libraries.count, "library", "libraries"))"
        if warnings > 0 { text += ", \(count(warnings, "warning", "warnings"))" }
        return text
    }
}
