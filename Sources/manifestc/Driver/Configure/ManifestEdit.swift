import Diagnostics
import Emitters
import FoundationEssentials
import Kconfig
import Manifest
import Planner

/// The configure phase that `set`, `unset` and `menuconfig` share: the manifest read once and
/// planned (the tree by the one rule), changed as text (`KconfigTextEditor`), checked
/// (`ConfigRequest`), shown as a diff and written in place.
package struct ManifestEdit {
    package let path: String
    package let manifest: ManifestFile
    package let prepared: PlanPhase.Prepared
    package let tree: KconfigTree
    /// The target's index in `targets` (nil: the `unikraft` section, every target).
    let target: Int?
    let console: Console

    package init(file: String?, input: InputSettings, planning: PlanningSettings, console: Console) throws {
        self.console = console
        path = try ManifestInput.locate(file, allowed: input.allowOutside)
        do {
            manifest = try ManifestFile.read(path)
        } catch {
            throw DriverError.usage(ErrorText.describe(error))
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL
        let phase = PlanPhase(input: input, planning: planning, console: console)
        prepared = try phase.plan(path, output: folder)
        guard let tree = prepared.tree else { throw DriverError.usage(Self.needsTree("this command")) }
        self.tree = tree
        guard !planning.targets.isEmpty, let chosen = try phase.selectTargets(prepared.written).first else {
            target = nil
            return
        }
        if let other = chosen.file {
            throw DriverError.usage("target \(chosen.platformArchitecture) comes from the template '\(other)'; change its kconfig there")
        }
        target = KconfigTextEditor.targetIndex(at: chosen.range, bytes: manifest.bytes, file: path)
    }

    /// What a command that needs a tree says when there is none.
    package static func needsTree(_ command: String) -> String {
        "\(command) needs a Unikraft tree and found none: give --uk-root DIR (or set UK_ROOT), name a local folder as the manifest's 'unikraft: source:', or fetch the tree kraft.lock pins with 'manifestc --build'"
    }

    /// The targets whose configuration the change must give.
    package var checked: [TargetPlan] { prepared.plan.targets.filter { !$0.prebuilt } }

    /// The changes `set` asks for, typed against the tree; a usage error for the first bad one.
    package func assignments(_ arguments: [String]) throws -> [KconfigChange] {
        try arguments.map { argument in
            switch ConfigRequest.change(argument, tree: tree) {
            case .success(let change): return change
            case .failure(let problem): throw DriverError.usage(problem.message)
            }
        }
    }

    /// The removals `unset` asks for, typed against the tree; a usage error for the first unknown symbol.
    package func removals(_ symbols: [String]) throws -> [KconfigChange] {
        try symbols.map { written in
            switch ConfigRequest.symbol(written, tree: tree) {
            case .success(let info): return KconfigChange(symbol: "CONFIG_" + info.name, value: nil)
            case .failure(let problem): throw DriverError.usage(problem.message)
            }
        }
    }

    package func withDependencies(_ changes: [KconfigChange]) -> [KconfigChange] {
        var all = changes
        for target in checked { all = ConfigRequest.withDependencies(all, seed: target.seed, tree: tree) }
        let added = all.filter { change in !changes.contains { $0.symbol == change.symbol } }
        if !added.isEmpty { console.say("also turning on what they need: \(added.map(\.symbol).joined(separator: " "))") }
        return all
    }

    /// The manifest's new bytes with `changes`, checked on every target; diagnostics (located in
    /// the text as it would be written) and a failure when the edit or a value fails.
    package func apply(_ changes: [KconfigChange]) throws -> [UInt8] {
        let result = KconfigTextEditor(file: path).apply(changes, to: manifest.bytes, target: target)
        guard let bytes = result.bytes else {
            console.diagnostics.report(result.diagnostics, sources: [path: SourceText(file: path, bytes: manifest.bytes)])
            throw DriverError.failure
        }
        let set = changes.filter { $0.value != nil }
        let locations = KconfigTextEditor.locations(of: Set(set.map(\.symbol)), in: bytes, file: path, target: target)
        var problems: [Diagnostic] = []
        for target in checked {
            problems += ConfigRequest.check(changes, seed: target.seed, tree: tree, file: path, locations: locations)
        }
        if !problems.isEmpty {
            console.diagnostics.report(Diagnostic.sortedByLocation(problems), sources: [path: SourceText(file: path, bytes: bytes)])
            console.say("nothing was written (the lines shown are as the command would write them)"
                        + (problems.contains { $0.notes.contains { $0.message.hasPrefix("to turn it on") } } ? "; --with-deps turns on what they need" : ""))
            throw DriverError.failure
        }
        return bytes
    }

    /// Shows the change as a diff of the manifest and writes it in place (atomically, and not over
    /// a file changed since it was read); nothing when the bytes are the same.
    package func write(_ bytes: [UInt8], confirm: (() -> Bool)? = nil) throws {
        guard bytes != manifest.bytes else {
            console.say("'\(path)' already says so; nothing to change")
            return
        }
        let name = URL(fileURLWithPath: path).lastPathComponent
        console.out(UnifiedDiff.render(old: String(decoding: manifest.bytes, as: UTF8.self), new: String(decoding: bytes, as: UTF8.self),
                                       oldName: "a/\(name)", newName: "b/\(name)"))
        if let confirm, !confirm() {
            console.say("not written")
            return
        }
        do {
            try manifest.replace(with: bytes)
        } catch {
            console.fail("manifest-not-written", ErrorText.describe(error))
            throw DriverError.failure
        }
        console.say("wrote '\(path)'")
    }
}
