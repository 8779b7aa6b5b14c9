import Manifest

/// Turns a normalized manifest into a `Plan`: names, seeds, full configurations (when
/// a tree is known) and run settings for every target.
public enum Planning {
    /// The libraries that must come first in `L=` (C++ runtimes, then the libc), as KraftKit orders them.
    static let leadingLibraries = ["libcxxabi", "libcxx", "libunwind", "compiler-rt", "libgo", "musl", "newlib", "pthread-embedded"]

    public static func plan(_ manifest: Manifest, environment: PlanEnvironment = PlanEnvironment()) -> (plan: Plan, diagnostics: [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        let file = manifest.file

        // Names.
        let rawName = manifest.name?.value ?? "app"
        let name = Naming.normalize(rawName)
        if let given = manifest.name, name != given.value {
            diagnostics.append(.warning("name-normalized", "the name '\(given.value)' is used as '\(name)' (lower case letters, digits, '_' and '-')",
                                        at: SourceLocation(file: file, range: given.range)))
        }

        // The tree, when known.
        var tree: KconfigTree?
        var treeVersion: UnikraftVersion?
        if var unikraft = environment.unikraft {
            unikraft.name = unikraft.name ?? name
            unikraft.libraries = orderedLibraries(manifest.libraries).compactMap { environment.libraryFolders[$0.name.value] }
            let (loaded, loadDiagnostics) = unikraft.load(fileSystem: environment.fileSystem)
            diagnostics += loadDiagnostics
            tree = loaded
            treeVersion = UnikraftVersion(parsing: unikraft.fullVersion(fileSystem: environment.fileSystem).version)
        }
        let version = treeVersion ?? manifest.unikraft?.version.flatMap { UnikraftVersion(parsing: $0.value) }

        var librarySymbols: [String: String] = [:]
        for (library, folder) in environment.libraryFolders {
            if let symbol = environment.enableSymbol(ofLibraryAt: folder) { librarySymbols[library] = symbol }
        }
        var seeds = SeedBuilder(file: file, librarySymbols: librarySymbols)

        var targets: [TargetPlan] = []
        var ids: [String: SourceRange] = [:]
        for target in manifest.targets {
            let id = target.name.map { Naming.normalize($0.value) } ?? "\(target.platform.value.rawValue)-\(target.architecture.value.rawValue)"
            if let first = ids[id] {
                diagnostics.append(.error("target-duplicate", "two targets are both called '\(id)'; give them distinct 'name's",
                                          at: SourceLocation(file: file, range: target.range),
                                          notes: [DiagnosticNote("the other one", at: SourceLocation(file: file, range: first))]))
                continue
            }
            ids[id] = target.range
            if target.platform.value == .linuxu, let version, version >= UnikraftVersion(0, 17) {
                diagnostics.append(.error("linuxu-removed", "the linuxu platform was removed in Unikraft 0.17; this manifest uses \(version)",
                                          at: SourceLocation(file: file, range: target.platform.range)))
            }
            let makeName = target.name.map { Naming.normalize($0.value) } ?? name
            let seed = seeds.seed(for: target, manifest: manifest, treeKnown: tree != nil)
            var fullConfig: String?
            var facts = ConfigFacts(seed: seed)
            if let tree {
                var checker = SeedChecker(tree: tree, file: file)
                let (configuration, evalDiagnostics) = tree.evaluate(seed: checker.assignments(seed))
                diagnostics += checker.diagnostics + evalDiagnostics + checker.unmetRequests(seed, configuration)
                fullConfig = ConfigWriter.write(configuration)
                facts = ConfigFacts(configuration: configuration)
            }
            var runBuilder = RunPlanBuilder(manifest: manifest, target: target, version: version, facts: facts, hostPath: environment.hostPath)
            let run = runBuilder.build()
            diagnostics += runBuilder.diagnostics
            let imageName = "\(makeName)_\(Naming.imagePlatform(target.platform.value, version: version))-\(Naming.imageArchitecture(target.architecture.value))"
            targets.append(TargetPlan(id: id, platform: target.platform.value, architecture: target.architecture.value,
                                      imageName: imageName, makeName: makeName, seed: seed, fullConfig: fullConfig, run: run))
        }
        diagnostics += seeds.diagnostics
        if manifest.targets.isEmpty, manifest.runtime == nil {
            diagnostics.append(.warning("no-targets", "the manifest has no targets; add e.g. 'targets: [qemu/x86_64]'", at: SourceLocation(file: file, line: 1, column: 1)))
        }

        for library in manifest.libraries where !isMakeSafe(library.name.value) || !isMakeSafe(library.component.source?.value ?? "") {
            diagnostics.append(.error("library-name", "library '\(library.name.value)' (or its source) has characters a Makefile path list cannot hold; use letters, digits and '._+-/~'",
                                      at: SourceLocation(file: file, range: library.name.range)))
        }
        let libraries = orderedLibraries(manifest.libraries).map { library -> LibraryPlan in
            if let source = library.component.source?.value, source.hasPrefix("/") || source.hasPrefix("./") || source.hasPrefix("../") {
                return LibraryPlan(name: library.name.value, folder: environment.hostPath(source), isLocalPath: true)
            }
            return LibraryPlan(name: library.name.value, folder: "lib-" + library.name.value, isLocalPath: false)
        }
        return (Plan(source: file, name: name, appFolder: environment.manifestFolder, libraries: libraries, targets: targets, unikraftVersion: version), diagnostics)
    }

    /// Library names and local paths end up in make's colon-separated `L=` list.
    static func isMakeSafe(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "._+-/~@:".unicodeScalars.contains($0) }
    }

    /// `L=` order: C++ runtimes and the libc first, the rest in manifest order.
    static func orderedLibraries(_ libraries: [Library]) -> [Library] {
        let leading = leadingLibraries.compactMap { name in libraries.first { $0.name.value == name } }
        return leading + libraries.filter { !leadingLibraries.contains($0.name.value) }
    }
}
