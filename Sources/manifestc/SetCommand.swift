import ArgumentParser
import Emitters
import Foundation
import Manifest
import Planner
import Diagnostics
import Kconfig

struct SetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
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
        let edit = try ManifestEdit(file: file, input: input, planning: planning)
        var changes: [KconfigChange] = []
        for argument in assignments {
            switch ConfigRequest.change(argument, tree: edit.tree) {
            case .success(let change): changes.append(change)
            case .failure(let problem): throw ValidationError(problem.message)
            }
        }
        if withDependencies { changes = edit.withDependencies(changes) }
        try edit.write(try edit.apply(changes))
    }
}

struct UnsetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unset",
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
        let edit = try ManifestEdit(file: file, input: input, planning: planning)
        let changes = try symbols.map { written -> KconfigChange in
            switch ConfigRequest.symbol(written, tree: edit.tree) {
            case .success(let info): return KconfigChange(symbol: "CONFIG_" + info.name, value: nil)
            case .failure(let problem): throw ValidationError(problem.message)
            }
        }
        try edit.write(try edit.apply(changes))
    }
}

/// What `set`, `unset` and `menuconfig` share: the manifest read once and planned (the tree by
/// the one rule), changed as text (`KconfigTextEditor`), checked (`ConfigRequest`), shown as a
/// diff and written in place.
struct ManifestEdit {
    let path: String
    let reader: ManifestInput
    let manifest: ManifestFile
    let prepared: PlanningOptions.Prepared
    let tree: KconfigTree
    /// The target's index in `targets` (nil: the `unikraft` section, every target).
    let target: Int?

    init(file: String?, input: InputOptions, planning: PlanningOptions) throws {
        reader = ManifestInput(options: input)
        path = try ManifestInput.locate(file, allowed: input.allowOutside)
        manifest = try ManifestFile.read(path)
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL
        prepared = try planning.plan(path, output: folder, reader: reader)
        guard let tree = prepared.tree else {
            throw ValidationError("this command needs a Unikraft tree and found none: give --uk-root DIR (or set UK_ROOT), name a local folder as the manifest's 'unikraft: source:', or fetch the tree kraft.lock pins with 'manifestc --build'")
        }
        self.tree = tree
        guard !planning.targets.isEmpty, let loaded = try reader.load(path).result.manifest, let chosen = try planning.selectTargets(loaded).first else {
            target = nil
            return
        }
        if let other = chosen.file {
            throw ValidationError("target \(chosen.platformArchitecture) comes from the template '\(other)'; change its kconfig there")
        }
        target = KconfigTextEditor.targetIndex(at: chosen.range, bytes: manifest.bytes, file: path)
    }

    /// The targets whose configuration the change must give.
    var checked: [TargetPlan] { prepared.plan.targets.filter { !$0.prebuilt } }

    func withDependencies(_ changes: [KconfigChange]) -> [KconfigChange] {
        var all = changes
        for target in checked { all = ConfigRequest.withDependencies(all, seed: target.seed, tree: tree) }
        let added = all.filter { change in !changes.contains { $0.symbol == change.symbol } }
        if !added.isEmpty { Console.standard.say("also turning on what they need: \(added.map(\.symbol).joined(separator: " "))") }
        return all
    }

    /// The manifest's new bytes with `changes`, checked on every target; diagnostics (located in
    /// the text as it would be written) and `ExitCode.failure` when the edit or a value fails.
    func apply(_ changes: [KconfigChange]) throws -> [UInt8] {
        let result = KconfigTextEditor(file: path).apply(changes, to: manifest.bytes, target: target)
        guard let bytes = result.bytes else {
            reader.report(result.diagnostics, sources: [path: SourceText(file: path, bytes: manifest.bytes)])
            throw ExitCode.failure
        }
        let set = changes.filter { $0.value != nil }
        let locations = KconfigTextEditor.locations(of: Set(set.map(\.symbol)), in: bytes, file: path, target: target)
        var problems: [Diagnostic] = []
        for target in checked {
            problems += ConfigRequest.check(changes, seed: target.seed, tree: tree, file: path, locations: locations)
        }
        if !problems.isEmpty {
            reader.report(Diagnostic.sortedByLocation(problems), sources: [path: SourceText(file: path, bytes: bytes)])
            Console.standard.say("nothing was written (the lines shown are as the command would write them)"
                                 + (problems.contains { $0.notes.contains { $0.message.hasPrefix("to turn it on") } } ? "; --with-deps turns on what they need" : ""))
            throw ExitCode.failure
        }
        return bytes
    }

    /// Shows the change as a diff of the manifest and writes it in place (atomically, and not over
    /// a file changed since it was read); nothing when the bytes are the same.
    func write(_ bytes: [UInt8], confirm: (() -> Bool)? = nil) throws {
        guard bytes != manifest.bytes else {
            Console.standard.say("'\(path)' already says so; nothing to change")
            return
        }
        let name = URL(fileURLWithPath: path).lastPathComponent
        print(UnifiedDiff.render(old: String(decoding: manifest.bytes, as: UTF8.self), new: String(decoding: bytes, as: UTF8.self),
                                 oldName: "a/\(name)", newName: "b/\(name)"), terminator: "")
        if let confirm, !confirm() {
            Console.standard.say("not written")
            return
        }
        do {
            try manifest.replace(with: bytes)
        } catch {
            Console.standard.say("error: \(error)")
            throw ExitCode.failure
        }
        Console.standard.say("wrote '\(path)'")
    }
}
