import ArgumentParser
import Foundation
import Manifest

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check manifests and report every problem with its location.",
        discussion: """
            Each manifest is checked in full: all problems are reported, not just the first. \
            Exits 0 when every manifest is valid (warnings allowed), 1 when any has errors, \
            2 on a usage error (including a named file that cannot be read).

            Examples:
              manifestc validate
              manifestc validate Kraftfile --strict
              manifestc validate apps/*/Kraftfile
              manifestc validate kraft.yaml --diagnostics-format json 2> problems.json
            """
    )

    @Argument(help: ArgumentHelp(
        "The manifests. Default: the Kraftfile, kraft.yaml, kraft.yml, Kraftfile.yml or Kraftfile.yaml in the current folder or the nearest parent that has one.",
        valueName: "file"))
    var files: [String] = []

    @OptionGroup var input: InputOptions

    func run() throws {
        let reader = ManifestInput(options: input)
        let paths = files.isEmpty ? [try ManifestInput.locate(nil)] : files
        var allDiagnostics: [Diagnostic] = []
        var sources: [String: SourceText] = [:]
        var summaries: [String] = []
        var failed = false
        for path in paths {
            let loaded = try reader.load(path)
            allDiagnostics += loaded.diagnostics
            sources.merge(loaded.sources) { a, _ in a }
            guard let manifest = loaded.result.manifest, !loaded.diagnostics.contains(where: { $0.severity == .error }) else {
                failed = true
                continue
            }
            summaries.append(Self.summary(manifest, warnings: loaded.diagnostics.filter { $0.severity == .warning }.count))
        }
        reader.report(allDiagnostics, sources: sources)
        print(summaries.joined(separator: "\n"), terminator: summaries.isEmpty ? "" : "\n")
        if failed { throw ExitCode.failure }
    }

    static func summary(_ manifest: Manifest, warnings: Int) -> String {
        func count(_ n: Int, _ one: String, _ many: String) -> String { "\(n) \(n == 1 ? one : many)" }
        var text = "\(manifest.file): valid, spec v\(manifest.spec.rawValue), \(count(manifest.targets.count, "target", "targets")), \(count(manifest.libraries.count, "library", "libraries"))"
        if warnings > 0 { text += ", \(count(warnings, "warning", "warnings"))" }
        return text
    }
}
