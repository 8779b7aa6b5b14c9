import ArgumentParser
import Manifest

/// How diagnostics are printed.
enum DiagnosticsFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// When diagnostics are coloured.
enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never
}

/// The help text of a command's manifest argument.
let manifestArgumentHelp = ArgumentHelp(
    "The manifest. Default: the Kraftfile, kraft.yaml, kraft.yml, Kraftfile.yml or Kraftfile.yaml in the current folder or the nearest parent that has one.",
    valueName: "file")

/// Options every command that reads a manifest shares.
struct InputOptions: ParsableArguments {
    @Option(name: .customLong("env-file"), help: ArgumentHelp(
        "A .env file for ${VAR} interpolation (default: .env next to the manifest, if present). The process environment wins over it.",
        valueName: "path"))
    var envFile: String?

    @Flag(help: "Treat unknown keys as errors instead of warnings.")
    var strict = false

    @Option(name: .customLong("diagnostics-format"), help: "How to print diagnostics on stderr: text or json.")
    var diagnosticsFormat: DiagnosticsFormat = .text

    @Option(help: "Colour diagnostics: auto (on a terminal), always or never.")
    var color: ColorChoice = .auto

    @Option(name: .customLong("max-input-bytes"), help: ArgumentHelp("Largest manifest accepted, in bytes.", valueName: "n"))
    var maxInputBytes: Int = YAMLLimits().maxBytes
}
