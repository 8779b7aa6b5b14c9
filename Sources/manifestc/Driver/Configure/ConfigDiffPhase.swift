import Diagnostics
import FoundationEssentials
import Kconfig
import Manifest
import Planner

/// The phase behind `diff`: the manifest as committed at a revision and the working copy, each
/// planned (the working copy on another tree when asked), compared symbol by symbol.
package struct ConfigDiffPhase {
    package var input: InputSettings
    package var planning: PlanningSettings
    /// The other Unikraft tree the working copy is planned on (`--to-uk-root`).
    package var otherTree: String?
    package var console: Console

    package init(input: InputSettings, planning: PlanningSettings, otherTree: String?, console: Console) {
        self.input = input
        self.planning = planning
        self.otherTree = otherTree
        self.console = console
    }

    /// The difference between `revision`'s manifest and the working copy's, with the words
    /// naming each side.
    package func diff(file: String?, revision: String) throws -> (diff: ConfigDiff, from: String, to: String) {
        let path = try ManifestInput.locate(file, allowed: input.allowOutside)
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL
        let before = try PlanPhase(input: input, planning: planning, console: console).plan(path, output: folder)
        guard before.tree != nil else { throw DriverError.usage(ManifestEdit.needsTree("diff")) }
        var after = before
        if let otherTree {
            var other = planning
            other.ukRoot = otherTree
            after = try PlanPhase(input: input, planning: other, console: console).plan(path, output: folder)
        }
        let name = URL(fileURLWithPath: path).lastPathComponent
        let committed: [UInt8]
        do {
            committed = try ManifestFile.committed(path, at: revision)
        } catch {
            throw DriverError.usage(ErrorText.describe(error))
        }
        let old = try sides(committed, file: "\(revision):\(name)", environment: before.environment)
        let new = Self.sides(after.plan, configurations: after.configurations)
        let diff = ConfigDiff.compute(old: old, new: new, sameTree: otherTree == nil)
        let from = "\(name) at \(revision)" + (otherTree != nil ? " (\(before.located.unikraft?.folder ?? "tree"))" : "")
        let to = "the working copy" + (otherTree.map { " (\($0))" } ?? "")
        return (diff, from, to)
    }

    /// The committed manifest's targets planned with the working copy's tree and libraries.
    func sides(_ bytes: [UInt8], file: String, environment: PlanEnvironment) throws -> [(id: String, side: ConfigDiff.Side)] {
        let (values, withheld) = input.environmentPolicy.environment(file: [:], process: input.environment)
        let loaded = ManifestLoader(limits: input.limits).load(bytes, file: file, environment: values, withheld: withheld)
        guard var manifest = loaded.manifest, !loaded.hasErrors else {
            console.diagnostics.report(loaded.diagnostics.filter { $0.severity == .error }, sources: [file: loaded.source])
            throw DriverError.usage("the manifest at '\(file)' has errors; nothing to compare with")
        }
        if case .success(let selected) = TargetSelection.select(planning.targets, from: manifest.targets) { manifest.targets = selected }
        let (plan, _, _, configurations) = Planning.planWithConfigurations(manifest, environment: environment)
        return Self.sides(plan, configurations: configurations)
    }

    static func sides(_ plan: Plan, configurations: [String: KconfigConfiguration]) -> [(id: String, side: ConfigDiff.Side)] {
        plan.targets.filter { !$0.prebuilt }.compactMap { target in
            configurations[target.id].map { (id: target.id, side: ConfigDiff.Side(configuration: $0, seed: target.seed)) }
        }
    }
}
