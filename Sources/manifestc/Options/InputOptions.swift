import ArgumentParser
import Diagnostics
import Driver
import FoundationEssentials
import Manifest

extension DiagnosticsEngine.Format: ExpressibleByArgument {}
extension ColorChoice: ExpressibleByArgument {}
extension OutputFormat: ExpressibleByArgument {}

/// The help text of a command's manifest argument.
let manifestArgumentHelp = ArgumentHelp(
    "The manifest. Default: the Kraftfile, kraft.yaml, kraft.yml, Kraftfile.yml or Kraftfile.yaml in the current folder or the nearest parent that has one.",
    valueName: "file")

/// Options every command that reads a manifest shares.
struct InputOptions: ParsableArguments {
    @Option(name: .customLong("env-file"), help: ArgumentHelp(
        "A .env file for ${VAR} interpolation (default: .env next to the manifest, if present). A variable --allow-env allows wins over it.",
        valueName: "path"))
    var envFile: String?

    @Option(name: .customLong("allow-outside"), parsing: .singleValue, help: ArgumentHelp(
        "Trust a file or folder outside the repository that holds the manifest (repeatable): manifestc then reads it through symbolic links, uses it as a local source or template, and hands it to the guest as a volume or initrd. Generated CI pipelines never pass it.",
        valueName: "path"))
    var allowOutside: [String] = []

    @Option(name: .customLong("allow-env"), parsing: .singleValue, help: ArgumentHelp(
        "Let ${NAME} read NAME from the process environment (repeatable; '*' and '?' match as in file names, e.g. 'APP_*'). "
            + "Without it a manifest reads only the .env file, so it cannot copy a secret of the environment into files or logs; "
            + "CI pipelines manifestc writes never pass it.",
        valueName: "name"))
    var allowEnv: [String] = []

    @Flag(help: "Treat unknown keys as errors instead of warnings.")
    var strict = false

    @OptionGroup var diagnostics: DiagnosticsOptions

    @Option(name: .customLong("limit"), parsing: .singleValue, help: ArgumentHelp(
        "Raise or lower a limit on the input: \(Limits.names.map { "\($0.name) (\(Limits()[keyPath: $0.field]))" }.joined(separator: ", ")) (repeatable).",
        valueName: "name=value"))
    var limitSettings: [String] = []

    /// The options as the driver takes them.
    func settings() throws -> InputSettings {
        var settings = InputSettings()
        settings.envFile = envFile
        settings.allowOutside = allowOutside
        settings.allowEnv = allowEnv
        settings.strict = strict
        settings.limits = try limits()
        settings.diagnosticsFormat = diagnostics.diagnosticsFormat
        settings.color = diagnostics.color
        return settings
    }

    /// The limits with `--limit` settings applied.
    func limits() throws -> Limits {
        var limits = Limits()
        for setting in limitSettings {
            let parts = setting.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let field = Limits.names.first(where: { $0.name == parts[0] })?.field else {
                throw ValidationError("'--limit \(setting)' names no limit; the limits are \(Limits.names.map(\.name).joined(separator: ", "))")
            }
            guard let value = Int(parts[1]), value > 0 else {
                throw ValidationError("'--limit \(setting)': the value must be a positive number")
            }
            limits[keyPath: field] = value
        }
        return limits
    }
}

/// How diagnostics are printed: shared by every command that reports them (`import` too).
struct DiagnosticsOptions: ParsableArguments {
    @Option(name: .customLong("diagnostics-format"), help: "How to print diagnostics on stderr: text or json.")
    var diagnosticsFormat: DiagnosticsEngine.Format = .text

    @Option(help: "Colour diagnostics: auto (on a terminal), always or never.")
    var color: ColorChoice = .auto

    /// The options as the driver takes them (the rest of the input as it is by default).
    var settings: InputSettings {
        var settings = InputSettings()
        settings.diagnosticsFormat = diagnosticsFormat
        settings.color = color
        return settings
    }
}
