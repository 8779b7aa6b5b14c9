import ArgumentParser
import Foundation
import Manifest

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a manifest and report every problem with its location.",
        discussion: """
            Exits 0 when the manifest is valid (warnings allowed), 1 when it has errors, 2 on a usage error.

            Examples:
              manifestc validate
              manifestc validate Kraftfile --strict
              manifestc validate kraft.yaml --diagnostics-format json 2> problems.json
            """
    )

    @OptionGroup var input: InputOptions

    func run() throws {
        let reader = ManifestInput(options: input)
        let loaded = try reader.load()
        reader.report(loaded.diagnostics, sources: loaded.sources)
        guard let manifest = loaded.result.manifest, !loaded.diagnostics.contains(where: { $0.severity == .error }) else {
            throw ExitCode.failure
        }
        let warnings = loaded.diagnostics.filter { $0.severity == .warning }.count
        var summary = "\(manifest.file): valid, spec v\(manifest.spec.rawValue), \(manifest.targets.count) target\(manifest.targets.count == 1 ? "" : "s"), \(manifest.libraries.count) librar\(manifest.libraries.count == 1 ? "y" : "ies")"
        if warnings > 0 { summary += ", \(warnings) warning\(warnings == 1 ? "" : "s")" }
        print(summary)
    }
}
