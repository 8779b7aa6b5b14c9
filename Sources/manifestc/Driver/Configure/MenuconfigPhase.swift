import FoundationEssentials
import Import
import Kconfig
import Planner

/// The phase behind `menuconfig`: the target's planned `.config` edited (Unikraft's menuconfig,
/// or the user's own command), and the edit turned into the smallest change of the manifest.
package enum MenuconfigPhase {
    /// Edits the one configured target of `edit` and writes the change back after `confirm`
    /// (nil: without asking).
    package static func run(_ edit: ManifestEdit, command: String?, confirm: (() -> Bool)?) throws {
        guard edit.checked.count == 1, let target = edit.checked.first, let config = target.fullConfig,
              let unikraft = edit.prepared.environment.unikraft else {
            throw DriverError.usage("choose one target with --target (the manifest has: \(edit.checked.map(\.id).joined(separator: ", ")))")
        }
        let libraries = edit.prepared.plan.libraries.compactMap { edit.prepared.environment.libraryFolders[$0.name] }
        let make = ["-C", unikraft.base, "A=\(unikraft.app ?? edit.prepared.manifestFolder.path)", "L=\(libraries.joined(separator: ":"))", "N=\(target.makeName)"]
        for path in [unikraft.base, unikraft.app ?? ""] + libraries {
            if let problem = ValueRules.makePathProblem(path) { throw DriverError.usage("'\(path)' cannot be given to make: \(problem)") }
        }
        let saved: String
        do {
            saved = try Menuconfig.edit(config, makeArguments: make, command: command)
        } catch {
            throw DriverError.usage(ErrorText.describe(error))
        }
        let edited = ConfigReader.read(saved, file: ".config").assignments
        let change = SeedChange.compute(planned: ConfigReader.read(config, file: ".config").assignments, edited: edited,
                                        seed: ConfigRequest.assignments(target.seed, tree: edit.tree), tree: edit.tree)
        if !change.targetSymbols.isEmpty {
            edit.console.say("not written: \(change.targetSymbols.joined(separator: " ")) (the architecture and platform are the target's; change them in 'targets')")
        }
        if !change.unreproduced.isEmpty {
            edit.console.say("no manifest setting gives \(change.unreproduced.joined(separator: " ")) its edited value (a symbol without a prompt); left as the tree decides")
        }
        guard !change.changes.isEmpty else {
            edit.console.say("the configuration is what the manifest already gives; nothing to change")
            return
        }
        try edit.write(try edit.apply(change.changes), confirm: confirm)
    }
}
