import ArgumentParser
import Foundation
import Import
import Kconfig
import Manifest
import Planner

struct MenuconfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "menuconfig",
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
            """
    )

    @Option(name: .customLong("manifest"), help: manifestArgumentHelp)
    var file: String?

    @Flag(help: "Write the change without asking.")
    var yes = false

    @OptionGroup var input: InputOptions
    @OptionGroup var planning: PlanningOptions

    func validate() throws {
        if planning.targets.count > 1 { throw ValidationError("name one target with --target") }
    }

    func run() throws {
        let edit = try ManifestEdit(file: file, input: input, planning: planning)
        guard edit.checked.count == 1, let target = edit.checked.first, let config = target.fullConfig,
              let unikraft = edit.prepared.environment.unikraft else {
            throw ValidationError("choose one target with --target (the manifest has: \(edit.checked.map(\.id).joined(separator: ", ")))")
        }
        let libraries = edit.prepared.plan.libraries.compactMap { edit.prepared.environment.libraryFolders[$0.name] }
        let make = ["-C", unikraft.base, "A=\(unikraft.app ?? edit.prepared.manifestFolder.path)", "L=\(libraries.joined(separator: ":"))", "N=\(target.makeName)"]
        for path in [unikraft.base, unikraft.app ?? ""] + libraries {
            if let problem = ValueRules.makePathProblem(path) { throw ValidationError("'\(path)' cannot be given to make: \(problem)") }
        }
        let saved: String
        do {
            saved = try Menuconfig.edit(config, makeArguments: make)
        } catch {
            throw ValidationError("\(error)")
        }
        let edited = ConfigReader.read(saved, file: ".config").assignments
        let change = SeedChange.compute(planned: ConfigReader.read(config, file: ".config").assignments, edited: edited,
                                        seed: ConfigRequest.assignments(target.seed, tree: edit.tree), tree: edit.tree)
        if !change.targetSymbols.isEmpty {
            Console.standard.say("not written: \(change.targetSymbols.joined(separator: " ")) (the architecture and platform are the target's; change them in 'targets')")
        }
        if !change.unreproduced.isEmpty {
            Console.standard.say("no manifest setting gives \(change.unreproduced.joined(separator: " ")) its edited value (a symbol without a prompt); left as the tree decides")
        }
        guard !change.changes.isEmpty else {
            Console.standard.say("the configuration is what the manifest already gives; nothing to change")
            return
        }
        let confirm: (() -> Bool)? = yes ? nil : { Self.confirm() }
        try edit.write(try edit.apply(change.changes), confirm: confirm)
    }

    /// Asks on the terminal; without one, nothing is written unless --yes says so.
    static func confirm() -> Bool {
        guard isatty(0) == 1 else {
            Console.standard.say("standard input is not a terminal: run again with --yes to write the change")
            return false
        }
        FileHandle.standardError.write(Data("write this change? [y/N] ".utf8))
        return readLine().map { $0.lowercased().hasPrefix("y") } ?? false
    }
}
