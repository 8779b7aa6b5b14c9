import ArgumentParser
import Driver

struct SetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        _superCommandName: "manifestc",
        abstract: "Set Kconfig options in the manifest, type-checked against the Unikraft tree.",
        discussion: """
            Each SYMBOL=VALUE (with or without 'CONFIG_') is checked against the tree's symbols \
            (its type, its range, and whether its dependencies let it take the value), then written \
            into the manifest where it keeps such options: where the symbol is already set, else the \
            target's or the 'unikraft' section's kconfig, in the list or map form the file uses. The \
            file is edited as text: comments, blank lines, order, quoting, indentation and line ends \
            stay as they were; 'unset' removes what 'set' added. String values are taken as given (the \
            shell's quotes removed), or as a Kconfig string when written inside double quotes. The tree: \
            --uk-root (or UK_ROOT), the manifest's local 'unikraft: source:', or the workspace kraft.lock pins.

            Examples:
              manifestc set CONFIG_LIBVFSCORE=y CONFIG_LIBVFSCORE_ROOTFS=9pfs --uk-root ~/unikraft
              manifestc set LIBUK9P=y --with-deps --target qemu/x86_64
              manifestc set LIBUKDEBUG_PRINTK_INFO=y --manifest app/kraft.yaml
            """
    )

    @Argument(help: ArgumentHelp("Options to set, as SYMBOL=VALUE.", valueName: "symbol=value"))
    var assignments: [String]

    @Option(name: .customLong("manifest"), help: manifestArgumentHelp)
    var file: String?

    @Flag(name: .customLong("with-deps"), help: "Also turn on the symbols an option needs (explain's smallest set).")
    var withDependencies = false

    @OptionGroup var input: InputOptions
    @OptionGroup var planning: PlanningOptions

    func validate() throws {
        if assignments.isEmpty { throw ValidationError("name at least one option, such as CONFIG_LIBVFSCORE=y") }
        if planning.targets.count > 1 { throw ValidationError("name one target with --target (or none, for every target)") }
    }

    func run() throws {
        let settings = try input.settings()
        let edit = try ManifestEdit(file: file, input: settings, planning: planning.settings, console: Console(buffered: false, input: settings))
        var changes = try edit.assignments(assignments)
        if withDependencies { changes = edit.withDependencies(changes) }
        try edit.write(try edit.apply(changes))
    }
}

struct UnsetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unset",
        _superCommandName: "manifestc",
        abstract: "Remove Kconfig options from the manifest (the tree's defaults apply again).",
        discussion: """
            Removes each symbol's setting from the target's kconfig (with --target) or from the \
            'unikraft' section and every target, editing the file as text as 'set' does; what 'set' \
            added, 'unset' removes byte for byte.

            Examples:
              manifestc unset CONFIG_LIBUK9P --uk-root ~/unikraft
              manifestc unset LIBUKDEBUG_PRINTK_INFO --target qemu/x86_64
            """
    )

    @Argument(help: ArgumentHelp("Symbols, with or without 'CONFIG_'.", valueName: "symbol"))
    var symbols: [String]

    @Option(name: .customLong("manifest"), help: manifestArgumentHelp)
    var file: String?

    @OptionGroup var input: InputOptions
    @OptionGroup var planning: PlanningOptions

    func validate() throws {
        if symbols.isEmpty { throw ValidationError("name at least one symbol, such as CONFIG_LIBUK9P") }
        if planning.targets.count > 1 { throw ValidationError("name one target with --target (or none, for every target)") }
    }

    func run() throws {
        let settings = try input.settings()
        let edit = try ManifestEdit(file: file, input: settings, planning: planning.settings, console: Console(buffered: false, input: settings))
        try edit.write(try edit.apply(try edit.removals(symbols)))
    }
}
