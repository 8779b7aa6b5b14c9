import ArgumentParser
import Foundation
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
            """,
        version: version,
        subcommands: [Emit.self, Validate.self, Show.self, PlanCommand.self, Explain.self, ImportCommand.self, CI.self, FetchOrigin.self],
        defaultSubcommand: Emit.self
    )

    /// manifestc's version, the one place it is written (`--version`; scripts/install.sh
    /// prints it and dates the man page by the last commit).
    static let version = "0.1.0"

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
            command = try parseAsRoot()
        } catch {
            fail(error)
        }
        do {
            try command.run()
        } catch let error as ValidationError {
            // A usage problem found while running (a target that does not exist, …): the message, no usage
            // text, on one line (a word from the command line may hold a line break or an escape sequence).
            FileHandle.standardError.write(Data("manifestc: error: \(VisibleText.escaped(error.message))\n".utf8))
            Foundation.exit(2)
        } catch {
            fail(error)
        }
    }

    /// Exits for `error`; usage errors exit with 2, like most Unix tools (ArgumentParser's default is 64).
    private static func fail(_ error: Error) -> Never {
        if exitCode(for: error) == .validationFailure {
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
        exit(withError: error)
    }
}
