import ArgumentParser
import Foundation
import Manifest
import Planner

/// The options that choose what is planned: targets, the Unikraft tree and library
/// folders. Shared by `emit`, `plan` and `explain`.
struct PlanningOptions: ParsableArguments {
    @Option(name: .customLong("target"), parsing: .singleValue, help: ArgumentHelp(
        "Only this target: its id (qemu-x86_64, or its normalized name), its name, or platform/architecture (repeatable).", valueName: "target"))
    var targets: [String] = []

    @Option(name: .customLong("uk-root"), help: ArgumentHelp("A Unikraft source tree, to plan full configurations (default: $UK_ROOT).", valueName: "dir"))
    var ukRoot: String?

    @Option(name: .customLong("lib"), parsing: .singleValue, help: ArgumentHelp(
        "A library folder such as ../libs/lib-musl (repeatable); it stands for the manifest's library of that name.", valueName: "dir"))
    var libraries: [String] = []

    @Option(name: .customLong("uk-git-revision"), help: ArgumentHelp(
        "The commit of the Unikraft tree, when it is not a git checkout (it is part of CONFIG_UK_FULLVERSION).", valueName: "sha"))
    var ukGitRevision: String?

    /// What planning a manifest gives: the plan, and what it was planned with.
    struct Prepared {
        var plan: Plan
        var environment: PlanEnvironment
        /// The loaded tree and each target's evaluated configuration, when a tree was given.
        var tree: KconfigTree?
        var configurations: [String: KconfigConfiguration]
        /// The ids of the targets `--target` selected (all when it is not given).
        var selected: Set<String>
    }

    /// Supplies the planning environment from elsewhere (the build workspace): called with the
    /// manifest as written, its folder, and a function that prints diagnostics; nil to use the options.
    typealias EnvironmentSource = (Manifest, URL, ([Diagnostic]) -> Void) throws -> PlanEnvironment?

    /// Whether a Unikraft tree is given.
    var hasTree: Bool { treeRoot != nil }

    /// `--uk-root`, else a non-empty `UK_ROOT` from the environment.
    var treeRoot: String? {
        ukRoot ?? ProcessInfo.processInfo.environment["UK_ROOT"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Loads the manifest at `path` (and its template), plans it for the selected targets
    /// and prints the diagnostics; throws `ExitCode.failure` when any is an error.
    /// - Parameters:
    ///   - emitEveryTarget: plan every target, and only report which ones `--target` selects.
    ///   - environmentSource: where the tree comes from instead of `--uk-root`/`--lib`.
    func plan(_ path: String, output: URL, reader: ManifestInput, emitEveryTarget: Bool = false,
              environmentSource: EnvironmentSource? = nil) throws -> Prepared {
        let loaded = try reader.load(path)
        var diagnostics = loaded.diagnostics
        guard let loadedManifest = loaded.result.manifest, !diagnostics.contains(where: { $0.severity == .error }) else {
            reader.report(diagnostics, sources: loaded.sources)
            throw ExitCode.failure
        }
        let manifestFolder = URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL
        // Sources first: fetching them may bring the template into the workspace.
        let supplied = try environmentSource?(loadedManifest, manifestFolder) { reader.report($0, sources: loaded.sources) }
        let template = try TemplateResolution(loadedManifest, manifestFolder: manifestFolder, input: reader)
        diagnostics += template.diagnostics
        var manifest = template.manifest
        let selectedTargets = try selectTargets(manifest)
        if !emitEveryTarget { manifest.targets = selectedTargets }

        var environment = try supplied ?? planEnvironment(manifest: manifest, app: template.folder ?? manifestFolder)
        if let folder = template.folder { environment.unikraft?.app = folder.resolvingSymlinksInPath().path }
        environment.manifestFolder = relativePath(from: output, to: manifestFolder)
        environment.templateFolder = template.folder.map { relativePath(from: output, to: $0) }
        let scope = reader.options.readScope(manifest: path)
        environment.hostPathRefusal = { scope.hostPathRefusal($0, output: output) }
        let (plan, planDiagnostics, tree, configurations) = Planning.planWithConfigurations(manifest, environment: environment)
        let selected = Set(zip(manifest.targets, plan.targets).filter { pair in selectedTargets.contains { $0.range == pair.0.range && $0.file == pair.0.file } }.map(\.1.id))
        diagnostics += planDiagnostics
        reader.report(Diagnostic.sortedByLocation(diagnostics), sources: loaded.sources.merging(template.sources) { a, _ in a })
        if diagnostics.contains(where: { $0.severity == .error }) { throw ExitCode.failure }
        return Prepared(plan: plan, environment: environment, tree: tree, configurations: configurations, selected: selected)
    }

    /// `--target` selections, by id, name or `plat/arch` (`TargetSelection`).
    func selectTargets(_ manifest: Manifest) throws -> [Target] {
        switch TargetSelection.select(targets, from: manifest.targets) {
        case .success(let selected): return selected
        case .failure(let unknown): throw ValidationError(unknown.message)
        }
    }

    /// The tree and library folders, when given.
    func planEnvironment(manifest: Manifest, app: URL) throws -> PlanEnvironment {
        var given: [String] = []
        for library in libraries {
            let url = URL(fileURLWithPath: library).standardizedFileURL
            guard FileManager.default.fileExists(atPath: url.appendingPathComponent("Config.uk").path) else {
                throw ValidationError("'\(library)' is not a Unikraft library folder (it has no Config.uk)")
            }
            given.append(url.resolvingSymlinksInPath().path)
        }
        let probe = PlanEnvironment()
        let (folders, unmatched) = probe.libraryFolders(given, for: manifest)
        if let folder = unmatched.first {
            throw ValidationError("'\(folder)' matches no library of the manifest (by its name or the symbol its Config.uk defines); the libraries are: \(manifest.libraries.map(\.name.value).joined(separator: ", "))")
        }
        guard let root = treeRoot else {
            return PlanEnvironment(libraryFolders: folders, libraryFoldersInMakefile: true)
        }
        let base = URL(fileURLWithPath: root).standardizedFileURL.resolvingSymlinksInPath()
        guard FileManager.default.fileExists(atPath: base.appendingPathComponent("Config.uk").path) else {
            throw ValidationError("'\(root)' is not a Unikraft tree (it has no Config.uk)")
        }
        let git = GitFacts(folder: base.path)
        let tree = UnikraftTree(
            base: base.path, app: app.resolvingSymlinksInPath().path, hostArch: Host.architecture,
            gitRevision: ukGitRevision ?? git.revision, gitModified: git.modified, shortRevisionLength: git.shortLength)
        return PlanEnvironment(unikraft: tree, libraryFolders: folders, libraryFoldersInMakefile: true)
    }

    /// UK_ROOT's default in the Makefile: the given tree relative to the output folder, or the workspace.
    func ukRootDefault(output: URL) -> String {
        guard let root = ukRoot else { return ".unikraft/unikraft" }
        return relativePath(from: output, to: URL(fileURLWithPath: root).standardizedFileURL)
    }
}
