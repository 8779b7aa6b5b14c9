import ArgumentParser
import Driver
import Manifest

/// Output formats of `show`.
enum DocumentFormat: String, ExpressibleByArgument, CaseIterable {
    case json, yaml
}

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        _superCommandName: "manifestc",
        abstract: "Print the normalized manifest.",
        discussion: """
            Every spec version and spelling is normalized into one form: shorthands expanded \
            ('qemu/x86_64', 'musl: stable', './fs:/'), platform aliases resolved ('kvm' is 'qemu'), \
            kconfig as ordered 'CONFIG_X=value' lines, keys in a fixed order. The same app written \
            in spec 0.5 and 0.6 shows the same. Nothing is printed when the manifest has errors (exit 1).

            Examples:
              manifestc show
              manifestc show kraft.yaml --format yaml
            """
    )

    @Argument(help: manifestArgumentHelp)
    var file: String?

    @OptionGroup var input: InputOptions

    @Option(help: "Output format: json or yaml.")
    var format: DocumentFormat = .json

    func run() throws {
        let settings = try input.settings()
        let console = Console(buffered: false, input: settings)
        let reader = ManifestInput(options: settings, console: console)
        let loaded = try reader.load(ManifestInput.locate(file, allowed: input.allowOutside))
        reader.report(loaded.diagnostics, sources: loaded.sources)
        guard let manifest = loaded.result.manifest, !loaded.diagnostics.contains(where: { $0.severity == .error }) else {
            throw DriverError.failure
        }
        switch format {
        case .json: console.out(manifest.document.json())
        case .yaml: console.out(manifest.document.yaml())
        }
    }
}
