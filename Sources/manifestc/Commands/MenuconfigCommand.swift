import ArgumentParser
import Driver
import FoundationEssentials
import Glibc

struct MenuconfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "menuconfig",
        _superCommandName: "manifestc",
        abstract: "Configure a target in Unikraft's menuconfig and write the change back into the manifest.",
        discussion: """
            Runs Unikraft's own 'make menuconfig' on the target's planned .config (the real tree, a \
            scratch build folder), then turns what you changed into the smallest change of the \
            manifest's kconfig (savedefconfig's rule, on top of what the manifest already asks for), \
            shows it as a diff of the manifest and, after you confirm (or with --yes), writes it the \
            way 'set' does: in place, as text. Needs a Unikraft tree (--uk-root, UK_ROOT, the \
            manifest's local 'unikraft: source:', or the workspace kraft.lock pins) and make.

            Examples:
              manifestc menuconfig --uk-root ~/unikraft
              manifestc menuconfig --target qemu/x86_64 --yes
              manifestc menuconfig --edit-with 'vi "$KCONFIG_CONFIG"'
            """
    )

    @Option(name: .customLong("manifest"), help: manifestArgumentHelp)
    var file: String?

    @Flag(help: "Write the change without asking.")
    var yes = false

    @Option(name: .customLong("edit-with"), help: ArgumentHelp(
        "Edit the planned .config with this shell command instead of 'make menuconfig' (run by /bin/sh with KCONFIG_CONFIG naming the file; for example 'vi \"$KCONFIG_CONFIG\"' or a script).", valueName: "command"))
    var editWith: String?

    @OptionGroup var input: InputOptions
    @OptionGroup var planning: PlanningOptions

    func validate() throws {
        if planning.targets.count > 1 { throw ValidationError("name one target with --target") }
    }

    func run() throws {
        let settings = try input.settings()
        let console = Console(buffered: false, input: settings)
        let edit = try ManifestEdit(file: file, input: settings, planning: planning.settings, console: console)
        try MenuconfigPhase.run(edit, command: editWith, confirm: yes ? nil : { Self.confirm(console) })
    }

    /// Asks on the terminal; without one, nothing is written unless --yes says so.
    static func confirm(_ console: Console) -> Bool {
        guard isatty(0) == 1 else {
            console.say("standard input is not a terminal: run again with --yes to write the change")
            return false
        }
        console.error("write this change? [y/N] ")
        return readLine().map { $0.lowercased().hasPrefix("y") } ?? false
    }
}
