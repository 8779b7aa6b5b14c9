import ArgumentParser
import Foundation
import Manifest
import Planner
import Diagnostics
import Kconfig

/// The options that choose what is planned: targets, the Unikraft tree and library
/// folders. Shared by `emit`, `plan` and `explain`.
struct PlanningOptions: ParsableArguments {
    @Option(name: .customLong("target"), parsing: .singleValue, help: ArgumentHelp(
        "Only this target: its id (qemu-x86_64, or its normalized name), its name, or platform/architecture (repeatable).", valueName: "target"))
    var targets: [String] = []

    @Option(name: .customLong("uk-root"), help: ArgumentHelp("A Unikraft source tree, to plan full configurations (default: $UK_ROOT, then the manifest's local unikraft source, then the workspace kraft.lock pins).", valueName: "dir"))
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
        /// The loaded tree and each target's evaluated configuration, when a tree was found.
        var tree: KconfigTree?
        var configurations: [String: KconfigConfiguration]
        /// The ids of the targets `--target` selected (all when it is not given).
        var selected: Set<String>
        /// Where the tree and the library folders came from (`TreeLocator`'s rule).
        var located: TreeLocator.Result
        /// The Makefile's `UK_ROOT` and `UK_LIBS` defaults, relative to the output folder.
        var makefileDefaults: (ukRoot: String, ukLibs: String)
        /// The manifest's folder, for showing the found folders.
        var manifestFolder: URL

        /// "using the Unikraft tree at '…' (from kraft.lock)", the libraries' line, and why a
        /// pinned workspace tree was not used; empty when nothing was found or missed.
        var treeNotes: [String] {
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
        var treeDocument: DocumentValue {
            func doc(_ found: TreeLocator.Found) -> DocumentValue {
                .map([("folder", .string(found.folder)), ("from", .string(found.origin.name))])
            }
            return .map([
                ("unikraft", located.unikraft.map(doc) ?? .null),
                ("libraries", .map(located.libraries.sorted { $0.key < $1.key }.map { ($0.key, doc($0.value)) })),
            ])
        }
    }

    /// Fetches the sources before planning (`--build`): called with the manifest as written,
    /// its folder, and a function that prints diagnostics.
    typealias SourcePreparation = (Manifest, URL, ([Diagnostic]) -> Void) throws -> Void

    /// `--uk-root`, else a non-empty `UK_ROOT` from the environment, with where it came from.
    var givenTree: (path: String, origin: TreeLocator.Origin)? {
        if let ukRoot { return (ukRoot, .option("--uk-root")) }
        return ProcessInfo.processInfo.environment["UK_ROOT"].flatMap { $0.isEmpty ? nil : ($0, .environment("UK_ROOT")) }
    }

    /// Loads the manifest at `path` (and its template), finds the tree (`TreeLocator`), plans
    /// the manifest for the selected targets and prints the diagnostics; throws
    /// `ExitCode.failure` when any is an error.
    /// - Parameters:
    ///   - emitEveryTarget: plan every target, and only report which ones `--target` selects.
    ///   - workspace: the workspace folder (`--workspace`; default `.unikraft` next to the manifest).
    ///   - prepareSources: fetches the sources first (`--build`).
    func plan(_ path: String, output: URL, reader: ManifestInput, emitEveryTarget: Bool = false,
              workspace: URL? = nil, prepareSources: SourcePreparation? = nil) throws -> Prepared {
        let loaded = try reader.load(path)
        var diagnostics = loaded.diagnostics
        guard let loadedManifest = loaded.result.manifest, !diagnostics.contains(where: { $0.severity == .error }) else {
            reader.report(diagnostics, sources: loaded.sources)
            throw ExitCode.failure
        }
        let manifestFolder = URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL
        // Sources first: fetching them may bring the template into the workspace.
        try prepareSources?(loadedManifest, manifestFolder) { reader.report($0, sources: loaded.sources) }
        let template = try TemplateResolution(loadedManifest, manifestFolder: manifestFolder, input: reader)
        diagnostics += template.diagnostics
        var manifest = template.manifest
        let selectedTargets = try selectTargets(manifest)
        if !emitEveryTarget { manifest.targets = selectedTargets }

        let scope = reader.options.readScope(manifest: path)
        let workspace = workspace ?? manifestFolder.appendingPathComponent(".unikraft")
        let located = try locate(manifest, manifestFolder: manifestFolder, workspace: workspace, scope: scope)
        diagnostics += located.diagnostics
        var environment = planEnvironment(located, app: template.folder ?? manifestFolder)
        if let folder = template.folder { environment.unikraft?.app = folder.resolvingSymlinksInPath().path }
        environment.manifestFolder = relativePath(from: output, to: manifestFolder)
        environment.templateFolder = template.folder.map { relativePath(from: output, to: $0) }
        environment.hostPathRefusal = { scope.hostPathRefusal($0, output: output) }
        environment.hostPathExists = { ReadScope.hostPathExists($0, output: output) }
        environment.otherLibraryFolders = Self.workspaceLibraries(workspace, scope: scope).filter { located.libraries[$0.key] == nil }
        if located.diagnostics.contains(where: { $0.severity == .error }) {
            reader.report(Diagnostic.sortedByLocation(diagnostics), sources: loaded.sources.merging(template.sources) { a, _ in a })
            throw ExitCode.failure
        }
        let (plan, planDiagnostics, tree, configurations) = Planning.planWithConfigurations(manifest, environment: environment)
        let selected = Set(zip(manifest.targets, plan.targets).filter { pair in selectedTargets.contains { $0.range == pair.0.range && $0.file == pair.0.file } }.map(\.1.id))
        diagnostics += planDiagnostics
        reader.report(Diagnostic.sortedByLocation(diagnostics), sources: loaded.sources.merging(template.sources) { a, _ in a })
        if diagnostics.contains(where: { $0.severity == .error }) { throw ExitCode.failure }
        return Prepared(plan: plan, environment: environment, tree: tree, configurations: configurations, selected: selected,
                        located: located, makefileDefaults: makefileDefaults(located, output: output, manifestFolder: manifestFolder, workspace: workspace),
                        manifestFolder: manifestFolder)
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
        switch TargetSelection.select(targets, from: manifest.targets) {
        case .success(let selected): return selected
        case .failure(let unknown): throw ValidationError(unknown.message)
        }
    }

    /// The tree and library folders by the one rule (`TreeLocator`): `--uk-root`/`UK_ROOT` and
    /// `--lib`, the manifest's local sources, the workspace `kraft.lock` pins, none.
    func locate(_ manifest: Manifest, manifestFolder: URL, workspace: URL, scope: ReadScope) throws -> TreeLocator.Result {
        var given: [String] = []
        for library in libraries {
            let url = URL(fileURLWithPath: library).standardizedFileURL
            guard FileManager.default.fileExists(atPath: url.appendingPathComponent("Config.uk").path) else {
                throw ValidationError("'\(library)' is not a Unikraft library folder (it has no Config.uk)")
            }
            given.append(url.resolvingSymlinksInPath().path)
        }
        let (folders, unmatched) = PlanEnvironment().libraryFolders(given, for: manifest)
        if let folder = unmatched.first {
            throw ValidationError("'\(folder)' matches no library of the manifest (by its name or the symbol its Config.uk defines); the libraries are: \(manifest.libraries.map(\.name.value).joined(separator: ", "))")
        }
        var tree: TreeLocator.Found?
        if let (root, origin) = givenTree {
            let base = URL(fileURLWithPath: root).standardizedFileURL.resolvingSymlinksInPath()
            guard FileManager.default.fileExists(atPath: base.appendingPathComponent("Config.uk").path) else {
                throw ValidationError("'\(root)' (\(origin)) is not a Unikraft tree (it has no Config.uk)")
            }
            tree = TreeLocator.Found(folder: base.path, origin: origin)
        }
        // A lock that cannot be read or parsed pins nothing here; --build reports it.
        let lockData = (try? scope.read(manifestFolder.appendingPathComponent(LockFile.fileName), what: "the lock file")) ?? nil
        let lock = lockData.flatMap { LockFile.parse(Array($0), file: LockFile.fileName).lock }
        let locator = TreeLocator(manifest: manifest, manifestFolder: manifestFolder.path, workspace: workspace.standardizedFileURL.path,
                                  home: ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory(), lock: lock,
                                  given: tree, givenLibraries: folders)
        return locator.locate(DiskTreeProbe(scope: scope))
    }

    /// The planner's environment for what was found: the tree (with its git facts) and the library folders.
    func planEnvironment(_ located: TreeLocator.Result, app: URL) -> PlanEnvironment {
        let folders = located.libraries.mapValues { URL(fileURLWithPath: $0.folder).resolvingSymlinksInPath().path }
        // Folders named one by one on the command line are named so in the Makefile.
        let named = located.libraries.values.contains { $0.origin == .option("--lib") }
        guard let found = located.unikraft else { return PlanEnvironment(libraryFolders: folders, libraryFoldersInMakefile: named) }
        let base = URL(fileURLWithPath: found.folder).resolvingSymlinksInPath()
        let git = GitFacts(folder: base.path)
        let tree = UnikraftTree(
            base: base.path, app: app.resolvingSymlinksInPath().path, hostArch: Host.architecture,
            gitRevision: ukGitRevision ?? git.revision, gitModified: git.modified, shortRevisionLength: git.shortLength)
        var environment = PlanEnvironment(unikraft: tree, libraryFolders: folders, libraryFoldersInMakefile: named)
        environment.treeOrigin = found.origin.description
        environment.treeCache = TreeCacheLocation.shared
        return environment
    }

    /// The Makefile's `UK_ROOT` and `UK_LIBS` defaults, relative to the output folder: the tree
    /// `--uk-root` names, a local source as the manifest writes it, else the workspace's.
    func makefileDefaults(_ located: TreeLocator.Result, output: URL, manifestFolder: URL, workspace: URL) -> (ukRoot: String, ukLibs: String) {
        let libs = relativePath(from: output, to: workspace.appendingPathComponent("libs"))
        let inWorkspace = relativePath(from: output, to: workspace.appendingPathComponent("unikraft"))
        guard let found = located.unikraft else { return (inWorkspace, libs) }
        switch found.origin {
        case .option:
            return (relativePath(from: output, to: URL(fileURLWithPath: ukRoot ?? found.folder).standardizedFileURL), libs)
        case .manifestSource:
            let path = found.written ?? found.folder
            if path.hasPrefix("~") { return (found.folder, libs) }
            let fromOutput = relativePath(from: output, to: manifestFolder)
            return (path.hasPrefix("/") || fromOutput == "." ? path : fromOutput + "/" + path, libs)
        case .environment, .lock:
            return (inWorkspace, libs)
        }
    }
}
