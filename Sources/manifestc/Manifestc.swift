import ArgumentParser
import Driver
import FoundationEssentials
import Glibc
import Manifest
import Diagnostics

@main
struct Manifestc: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "manifestc",
        abstract: "Compile Unikraft manifests (kraft.yaml, Kraftfile; spec 0.4 to 0.7) into a manual Unikraft setup.",
        discussion: """
            manifestc reads a manifest with libyaml, keeps every value's position, and reports problems \
            the way a compiler does: 'file:line:col: error: message [id]'.

            Exit status: 0 on success, 1 when the manifest has errors (or --check finds stale files), 2 on a usage error.

            Examples:
              manifestc kraft.yaml --emit all      # the manual setup, next to the manifest
              manifestc --check                    # CI: are the generated files current?
              manifestc --run                      # fetch, build and boot the first target
              manifestc validate --strict
              manifestc show --format yaml
              manifestc explain LIBVFSCORE --uk-root ~/unikraft
              manifestc import ../my-manual-setup
              manifestc set LIBUK9P=y --with-deps
              manifestc diff main --format markdown
            """,
        version: version,
        subcommands: [Emit.self, Validate.self, Show.self, PlanCommand.self, Explain.self, ImportCommand.self, CI.self,
                      SetCommand.self, UnsetCommand.self, DiffCommand.self, MenuconfigCommand.self, FetchOrigin.self],
        defaultSubcommand: Emit.self
    )

    static let version = manifestcVersion

    /// The shown subcommands' names (not the hidden fetch-origin), for "did you mean" when the default
    /// command is given one mistyped, and for bash's completion.
    static var commandNames: [String] { configuration.subcommands.filter { $0.configuration.shouldDisplay }.map { $0._commandName } }

    static func main() {
        if let script = Completion.script(for: Array(CommandLine.arguments.dropFirst())) {
            print(script)
            return
        }
        var command: ParsableCommand
        do {
            command = try parseNamedCommand(Array(CommandLine.arguments.dropFirst())) ?? parseAsRoot()
        } catch {
            fail(error)
        }
        do {
            try command.run()
        } catch DriverError.usage(let message) {
            usage(message)
        } catch DriverError.exit(let status) {
            Glibc.exit(status)
        } catch let error as ValidationError {
            usage(error.message)
        } catch {
            fail(error)
        }
    }

    /// The command line parsed by the one command it names (or by emit, the default), without the
    /// root: swift-argument-parser's root parse reflects the options of every command, a fifth of a
    /// whole `plan`. Nil when the line asks the root for something (help, the version, completions),
    /// may name a command further on, or does not parse; the root parse then answers it, with the
    /// root's usage text and messages. Every command names manifestc as its `_superCommandName`: parsed
    /// alone, that skips ArgumentParser's probe for a completion-script request (two more reflective
    /// parses; such requests go to the root), and under the root only the root's configuration is read.
    static func parseNamedCommand(_ arguments: [String]) -> ParsableCommand? {
        let forTheRoot = arguments.contains {
            ["-h", "--help", "help", "--version"].contains($0) || $0.hasPrefix("--generate-completion") || $0.hasPrefix("--experimental")
        }
        guard !forTheRoot else { return nil }
        let names = configuration.subcommands.map { $0._commandName }
        guard let first = arguments.first, let index = names.firstIndex(of: first) else {
            return arguments.contains(where: names.contains) ? nil : parsed(by: Emit.self, arguments)
        }
        return parsed(by: configuration.subcommands[index], Array(arguments.dropFirst()))
    }

    private static func parsed(by command: ParsableCommand.Type, _ arguments: [String]) -> ParsableCommand? {
        do { return try command.parseAsRoot(arguments) } catch { return nil }
    }

    /// A usage problem found while running (a target that does not exist, …): the message, no usage
    /// text, on one line (a word from the command line may hold a line break or an escape sequence).
    private static func usage(_ message: String) -> Never {
        FileDescriptorIO.standardError("manifestc: error: \(VisibleText.escaped(message))\n")
        Glibc.exit(2)
    }

    /// Exits for `error`; usage errors exit with 2, like most Unix tools (ArgumentParser's default is 64).
    private static func fail(_ error: Error) -> Never {
        if exitCode(for: error) == .validationFailure {
            FileDescriptorIO.standardError(fullMessage(for: error) + "\n")
            Glibc.exit(2)
        }
        exit(withError: ErrorText.forPrinting(error))
    }
}
