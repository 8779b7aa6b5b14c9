import FoundationEssentials
import Manifest
import Planner
import Diagnostics
import Kconfig

/// What chooses what is planned: targets, the Unikraft tree and library folders
/// (`--target`, `--uk-root`, `--lib`, `--uk-git-revision`). Shared by `emit`, `plan`, `explain` and `ci`.
package struct PlanningSettings: Sendable {
    package var targets: [String] = []
    package var ukRoot: String?
    package var libraries: [String] = []
    package var ukGitRevision: String?

    package init() {}
}

/// The phases from a manifest's path to its plan: load → resolve sources (fetch and pin,
/// `--build`) → resolve template → select targets → locate the tree → plan. Each phase is a
/// function of the values the one before gave; diagnostics go to the console's engine, and
/// errors stop the run (`DriverError.failure`) after they are reported.
package struct PlanPhase {
    package var input: InputSettings
    package var planning: PlanningSettings
    /// Fetch and pin the sources first (`--build`, `--run`, `--locked`, `--update`).
    package var sources: SourceSettings?
    /// Where fetched sources are (`--workspace`); default `.unikraft` next to the manifest.
    package var workspace: String?
    /// Plan every target, and only report which ones `--target` selects.
    package var emitEveryTarget = false
    package var console: Console

    package init(input: InputSettings, planning: PlanningSettings, sources: SourceSettings? = nil, workspace: String? = nil,
                 emitEveryTarget: Bool = false, console: Console) {
        self.input = input
        self.planning = planning
        self.sources = sources
        self.workspace = workspace
        self.emitEveryTarget = emitEveryTarget
        self.console = console
    }

    /// What planning a manifest gives: the plan, and what it was planned with.
    package struct Prepared {
        package var plan: Plan
        package var environment: PlanEnvironment
        /// The loaded tree and each target's evaluated configuration, when a tree was found.
        package var tree: KconfigTree?
        package var configurations: [String: KconfigConfiguration]
        /// The ids of the targets `--target` selected (all when it is not given).
        package var selected: Set<String>
        /// Where the tree and the library folders came from (`TreeLocator`'s rule).
        package var located: TreeLocator.Result
        /// The manifest's folder, for showing the found folders.
        package var manifestFolder: URL
        /// The manifest as written (before its template is laid under it): the sources kraft.lock must pin.
        package var written: Manifest

        /// "using the Unikraft tree at '…' (from kraft.lock)", the libraries' line, and why a
        /// pinned workspace tree was not used; empty when nothing was found or missed.
        package var treeNotes: [String] {
            func shown(_ found: TreeLocator.Found) -> String {
                "'\(found.written ?? relativeOrAbsolute(found.folder))' (\(found.origin))"
            }
            func relativeOrAbsolute(_ folder: String) -> String {
                let base = manifestFolder.standardizedFileURL.path
                return folder.hasPrefix(base + "/") ? String(folder.dropFirst(base.count + 1)) : folder
            }
            var notes: [String] = []
            if let tree = located.unikraft { notes.append("using the Unikraft tree at \(shown(tree))") }
            let libraries = located.libraries.sorted { $0.key < $1.key }.map { "'\($0.key)' at \(shown($0.value))" }
            if !libraries.isEmpty { notes.append("using librar\(libraries.count == 1 ? "y" : "ies") \(libraries.joined(separator: ", "))") }
            return notes + located.notes
        }

        /// The notes as a JSON value: `{"unikraft": {"folder", "from"} | null, "libraries": {name: {"folder", "from"}}}`
        /// (`from`: `--uk-root`, `--lib`, `UK_ROOT`, `source` or `kraft.lock`).
        package var treeDocument: DocumentValue {
            func doc(_ found: TreeLocator.Found) -> DocumentValue {
                .map([("folder", .string(found.folder)), ("from", .string(found.origin.name))])
            }
            return .map([
                ("unikraft", located.unikraft.map(doc) ?? .null),
                ("libraries", .map(located.libraries.sorted { $0.key < $1.key }.map { ($0.key, doc($0.value)) })),
            ])
        }
    }

    /// `--uk-root`, else a non-empty `UK_ROOT` from the environment, with where it came from.
    var givenTree: (path: String, origin: TreeLocator.Origin)? {
        if let ukRoot = planning.ukRoot { return (ukRoot, .option("--uk-root")) }
        return input.environment["UK_ROOT"].flatMap { $0.isEmpty ? nil : ($0, .environment("UK_ROOT")) }
    }

    /// Loads the manifest at `path` (and its template), fetches its sources when asked,
    /// finds the tree (`TreeLocator`), plans the manifest for the selected targets and reports
    /// the diagnostics; throws `DriverError.failure` when any is an error.
    package func plan(_ path: String, output: URL) throws -> Prepared {
        let reader = ManifestInput(options: input, console: console)
        let loaded = try reader.load(path)
        var diagnostics = loaded.diagnostics
        guard let loadedManifest = loaded.result.manifest, !diagnostics.contains(where: { $0.severity == .error }) else {
            reader.report(diagnostics, sources: loaded.sources)
            throw DriverError.failure
        }
        let manifestFolder = URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL
        let workspace = workspaceFolder(manifestFolder: manifestFolder)
        let scope = input.readScope(manifest: path)
        // Sources first: fetching them may bring the template into the workspace.
        if let sources {
            try SourcePhase(settings: sources, console: console)
                .fetch(loadedManifest, manifestFolder: manifestFolder, workspace: workspace, scope: scope, sources: loaded.sources)
        }
        let template = try TemplateResolution(loadedManifest, manifestFolder: manifestFolder, workspace: workspace, input: reader)
        diagnostics += template.diagnostics
        var manifest = template.manifest
        let selectedTargets = try selectTargets(manifest)
        if !emitEveryTarget { manifest.targets = selectedTargets }

        let located = try locate(manifest, manifestFolder: manifestFolder, workspace: workspace, scope: scope)
        diagnostics += located.diagnostics
        var environment = planEnvironment(located, app: template.folder ?? manifestFolder)
        if let folder = template.folder { environment.unikraft?.app = folder.resolvingSymlinksInPath().path }
        environment.manifestFolder = relativePath(from: output, to: manifestFolder)
        environment.templateFolder = template.folder.map { relativePath(from: output, to: $0) }
        environment.hostPathRefusal = { scope.hostPathRefusal($0, output: output) }
        environment.hostPathExists = { ReadScope.hostPathExists($0, output: output) }
        environment.otherLibraryFolders = Self.workspaceLibraries(workspace, scope: scope).filter { located.libraries[$0.key] == nil }
        environment.workspaceFolder = relativePath(from: output, to: workspace)
        environment.makefileTree = makefileTree(located, output: output)
        if located.diagnostics.contains(where: { $0.severity == .error }) {
            reader.report(Diagnostic.sortedByLocation(diagnostics), sources: loaded.sources.merging(template.sources) { a, _ in a })
            throw DriverError.failure
        }
        let (plan, planDiagnostics, tree, configurations) = Planning.planWithConfigurations(manifest, environment: environment)
        let selected = Set(zip(manifest.targets, plan.targets).filter { pair in selectedTargets.contains { $0.range == pair.0.range && $0.file == pair.0.file } }.map(\.1.id))
        diagnostics += planDiagnostics
        reader.report(Diagnostic.sortedByLocation(diagnostics), sources: loaded.sources.merging(template.sources) { a, _ in a })
        if diagnostics.contains(where: { $0.severity == .error }) { throw DriverError.failure }
        return Prepared(plan: plan, environment: environment, tree: tree, configurations: configurations, selected: selected,
                        located: located,
                        manifestFolder: manifestFolder, written: loadedManifest)
    }

    /// The workspace folder: `--workspace`, else `.unikraft` next to the manifest.
    func workspaceFolder(manifestFolder: URL) -> URL {
        Self.workspaceFolder(workspace, manifestFolder: manifestFolder)
    }

    /// The workspace folder: `given` (`--workspace`), else `.unikraft` next to the manifest.
    static func workspaceFolder(_ given: String?, manifestFolder: URL) -> URL {
        given.map { URL(fileURLWithPath: $0).standardizedFileURL } ?? manifestFolder.appendingPathComponent(".unikraft")
    }

    /// The library folders in the workspace's `libs/` (`lib-<name>` with a `Config.uk`, inside the repository), by name.
    static func workspaceLibraries(_ workspace: URL, scope: ReadScope) -> [String: String] {
        let libs = workspace.appendingPathComponent("libs")
        var folders: [String: String] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: libs.path)) ?? [] where entry.hasPrefix("lib-") {
            let folder = libs.appendingPathComponent(entry)
            guard scope.allows(folder), FileManager.default.fileExists(atPath: folder.appendingPathComponent("Config.uk").path) else { continue }
            folders[String(entry.dropFirst(4))] = folder.path
        }
        return folders
    }

    /// `--target` selections, by id, name or `plat/arch` (`TargetSelection`).
    func selectTargets(_ manifest: Manifest) throws -> [Target] {
        switch TargetSelection.select(planning.targets, from: manifest.targets) {
        case .success(let selected): return selected
        case .failure(let unknown): throw DriverError.usage(unknown.message)
        }
    }

    /// The tree and library folders by the one rule (`TreeLocator`): `--uk-root`/`UK_ROOT` and
    /// `--lib`, the manifest's local sources, the workspace `kraft.lock` pins, none.
    func locate(_ manifest: Manifest, manifestFolder: URL, workspace: URL, scope: ReadScope) throws -> TreeLocator.Result {
        var given: [String] = []
        for library in planning.libraries {
            let url = URL(fileURLWithPath: library).standardizedFileURL
            guard FileManager.default.fileExists(atPath: url.appendingPathComponent("Config.uk").path) else {
                throw DriverError.usage("'\(library)' is not a Unikraft library folder (it has no Config.uk)")
            }
            given.append(url.resolvingSymlinksInPath().path)
        }
        let (folders, unmatched) = PlanEnvironment(fileSystem: DiskKconfigFileSystem()).libraryFolders(given, for: manifest)
        if let folder = unmatched.first {
            throw DriverError.usage("'\(folder)' matches no library of the manifest (by its name or the symbol its Config.uk defines); the libraries are: \(manifest.libraries.map(\.name.value).joined(separator: ", "))")
        }
        var tree: TreeLocator.Found?
        if let (root, origin) = givenTree {
            let base = URL(fileURLWithPath: root).standardizedFileURL.resolvingSymlinksInPath()
            guard FileManager.default.fileExists(atPath: base.appendingPathComponent("Config.uk").path) else {
                throw DriverError.usage("'\(root)' (\(origin)) is not a Unikraft tree (it has no Config.uk)")
            }
            tree = TreeLocator.Found(folder: base.path, origin: origin)
        }
        // A lock that cannot be read or parsed pins nothing here; --build reports it.
        let lockData = (try? scope.read(manifestFolder.appendingPathComponent(LockFile.fileName), what: "the lock file")) ?? nil
        let lock = lockData.flatMap { LockFile.parse(Array($0), file: LockFile.fileName).lock }
        let locator = TreeLocator(manifest: manifest, manifestFolder: manifestFolder.path, workspace: workspace.standardizedFileURL.path,
                                  home: input.environment["HOME"] ?? PathText.home, lock: lock,
                                  given: tree, givenLibraries: folders)
        return locator.locate(DiskTreeProbe(scope: scope))
    }

    /// The planner's environment for what was found: the tree (with its git facts) and the library folders.
    func planEnvironment(_ located: TreeLocator.Result, app: URL) -> PlanEnvironment {
        let folders = located.libraries.mapValues { URL(fileURLWithPath: $0.folder).resolvingSymlinksInPath().path }
        // Folders named one by one on the command line are named so in the Makefile.
        let named = located.libraries.values.contains { $0.origin == .option("--lib") }
        guard let found = located.unikraft else { return PlanEnvironment(libraryFolders: folders, libraryFoldersInMakefile: named, fileSystem: DiskKconfigFileSystem()) }
        let base = URL(fileURLWithPath: found.folder).resolvingSymlinksInPath()
        let tree = UnikraftTreeSetup.tree(base: base, app: app, gitRevision: planning.ukGitRevision)
        var environment = PlanEnvironment(unikraft: tree, libraryFolders: folders, libraryFoldersInMakefile: named, fileSystem: DiskKconfigFileSystem())
        environment.treeOrigin = found.origin.description
        environment.treeCache = TreeCacheLocation.shared
        return environment
    }

    /// Where the Makefile's `UK_ROOT` default comes from (the planner makes the path): the tree
    /// `--uk-root` names (as seen from the output folder), a local source, else the workspace's.
    func makefileTree(_ located: TreeLocator.Result, output: URL) -> MakefileTree {
        guard let found = located.unikraft else { return .workspace }
        switch found.origin {
        case .option: return .given(relativePath(from: output, to: URL(fileURLWithPath: planning.ukRoot ?? found.folder).standardizedFileURL))
        case .manifestSource: return .manifestSource(written: found.written ?? found.folder, resolved: found.folder)
        case .environment, .lock: return .workspace
        }
    }
}
