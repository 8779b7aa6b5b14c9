import ArgumentParser
import Foundation
import Manifest
import Planner
import Diagnostics
import Kconfig

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show what a manifest change really does to the configuration.",
        discussion: """
            Plans the manifest as committed at REV (default HEAD, read with 'git show') and the \
            working copy, and prints every symbol whose value changes, per target, old -> new, with \
            why: the manifest line that sets it, or the select, imply or default that changed it \
            (traced back to the manifest line that started it). With --to-uk-root, the working copy is \
            planned on that other Unikraft tree: symbols renamed, gone, new, or with another default \
            show too. Exit status 0 whether or not anything changes.

            --format json prints {"version": 1, "command": "diff", "from", "to", "targets": [{"id", \
            "changes": [{symbol, old, new (the .config spelling; null when absent), cause (manifest, \
            manifest-removed, dependency, renamed, vanished, introduced), reason (the evaluator's, or the \
            new name), line: {file, line} | null}]}]}.

            Examples:
              manifestc diff --uk-root ~/unikraft
              manifestc diff main --target qemu/x86_64 --format markdown >> "$GITHUB_STEP_SUMMARY"
              manifestc diff --uk-root ../unikraft-0.16.3 --to-uk-root ../unikraft-0.17.0
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, markdown
    }

    @Argument(help: ArgumentHelp("The git revision to compare with (default: HEAD).", valueName: "rev"))
    var revision = "HEAD"

    @Option(name: .customLong("manifest"), help: manifestArgumentHelp)
    var file: String?

    @Option(help: ArgumentHelp("text, markdown (for a pull request) or json.", valueName: "format"))
    var format: Format = .text

    @Option(name: .customLong("to-uk-root"), help: ArgumentHelp("Plan the working copy on this other Unikraft tree.", valueName: "dir"))
    var toUkRoot: String?

    @OptionGroup var input: InputOptions
    @OptionGroup var planning: PlanningOptions

    func run() throws {
        let reader = ManifestInput(options: input)
        let path = try ManifestInput.locate(file, allowed: input.allowOutside)
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL
        let before = try planning.plan(path, output: folder, reader: reader)
        guard before.tree != nil else {
            throw ValidationError("diff needs a Unikraft tree and found none: give --uk-root DIR (or set UK_ROOT), name a local folder as the manifest's 'unikraft: source:', or fetch the tree kraft.lock pins with 'manifestc --build'")
        }
        var after = before
        if let toUkRoot {
            var other = planning
            other.ukRoot = toUkRoot
            after = try other.plan(path, output: folder, reader: reader)
        }
        let name = URL(fileURLWithPath: path).lastPathComponent
        let committed: [UInt8]
        do {
            committed = try ManifestFile.committed(path, at: revision)
        } catch {
            throw ValidationError("\(error)")
        }
        let old = try Self.plan(committed, file: "\(revision):\(name)", reader: reader, planning: planning, environment: before.environment)
        let new = after.plan.targets.filter { !$0.prebuilt }.compactMap { target in
            after.configurations[target.id].map { (id: target.id, side: ConfigDiff.Side(configuration: $0, seed: target.seed)) }
        }
        let diff = ConfigDiff.compute(old: old, new: new, sameTree: toUkRoot == nil)
        let from = "\(name) at \(revision)" + (toUkRoot != nil ? " (\(before.located.unikraft?.folder ?? "tree"))" : "")
        let to = "the working copy" + (toUkRoot.map { " (\($0))" } ?? "")
        switch format {
        case .text: print(diff.text(from: from, to: to), terminator: "")
        case .markdown: print(diff.markdown(from: from, to: to), terminator: "")
        case .json: print(diff.document(from: from, to: to).json(), terminator: "")
        }
    }

    /// The committed manifest's targets planned with the working copy's tree and libraries.
    static func plan(_ bytes: [UInt8], file: String, reader: ManifestInput, planning: PlanningOptions,
                     environment: PlanEnvironment) throws -> [(id: String, side: ConfigDiff.Side)] {
        let (values, withheld) = reader.options.environmentPolicy.environment(file: [:], process: ProcessInfo.processInfo.environment)
        let loaded = ManifestLoader(limits: try reader.options.limits()).load(bytes, file: file, environment: values, withheld: withheld)
        guard var manifest = loaded.manifest, !loaded.hasErrors else {
            reader.report(loaded.diagnostics.filter { $0.severity == .error }, sources: [file: loaded.source])
            throw ValidationError("the manifest at '\(file)' has errors; nothing to compare with")
        }
        if case .success(let selected) = TargetSelection.select(planning.targets, from: manifest.targets) { manifest.targets = selected }
        let (plan, _, _, configurations) = Planning.planWithConfigurations(manifest, environment: environment)
        return plan.targets.filter { !$0.prebuilt }.compactMap { target in
            configurations[target.id].map { (id: target.id, side: ConfigDiff.Side(configuration: $0, seed: target.seed)) }
        }
    }
}
