import Manifest
import Diagnostics
import Kconfig

/// Turns a normalized manifest into a `Plan`: names, seeds, full configurations (when
/// a tree is known) and run settings for every target.
public enum Planning {
    /// The channel (`stable`, `staging`) of Unikraft's own repository the manifest follows,
    /// when it follows one: both are past 0.17. Nil for a release, a commit, a fork or a local tree.
    static func channelPastLinuxu(_ manifest: Manifest) -> String? {
        guard let core = SourceRules.requests(for: manifest).requests.first(where: { $0.role == .unikraft }),
              case .git(let url) = core.origin, url == SourceRules.unikraftRepository,
              ["stable", "staging"].contains(core.version) else { return nil }
        return core.version
    }

    public static func plan(_ manifest: Manifest, environment: PlanEnvironment = .seedOnly) -> (plan: Plan, diagnostics: [Diagnostic]) {
        let result = planWithConfigurations(manifest, environment: environment)
        return (result.plan, result.diagnostics)
    }

    /// `plan`, also returning the loaded tree and each target's evaluated configuration
    /// (by target id), for explanations.
    public static func planWithConfigurations(_ manifest: Manifest, environment: PlanEnvironment = .seedOnly)
        -> (plan: Plan, diagnostics: [Diagnostic], tree: KconfigTree?, configurations: [String: KconfigConfiguration]) {
        var configurations: [String: KconfigConfiguration] = [:]
        var diagnostics: [Diagnostic] = []
        let file = manifest.file
        var manifest = manifest

        // A runtime is a prebuilt kernel: nothing to configure or build, only to launch.
        let runtime = manifest.runtime
        if let runtime {
            if manifest.targets.isEmpty {
                manifest.targets = [Target(name: nil, platform: Located(.qemu, at: runtime.range), architecture: Located(.x86_64, at: runtime.range),
                                           kconfig: [], range: runtime.range)]
                diagnostics.append(.note("runtime-target", "the manifest names no targets; the prebuilt kernel of runtime '\(runtime.value)' is launched as qemu/x86_64",
                                         at: SourceLocation(file: file, range: runtime.range)))
            }
            diagnostics.append(.note("runtime-prebuilt", "'\(runtime.value)' is a prebuilt kernel manifestc cannot fetch (an OCI image or a kraft package); launch.sh runs it with '-k PATH'",
                                     at: SourceLocation(file: file, range: runtime.range)))
        }

        // Names.
        let rawName = manifest.name?.value ?? "app"
        let name = Naming.normalize(rawName)
        if let given = manifest.name, name.isEmpty {
            diagnostics.append(.error("name-empty", "the name '\(given.value)' has no letter or digit, so it cannot name the image; use lower case letters, digits, '_' and '-'",
                                      at: SourceLocation(file: file, range: given.range)))
        } else if let given = manifest.name, name != given.value {
            diagnostics.append(.warning("name-normalized", "the name '\(given.value)' is used as '\(name)' (lower case letters, digits, '_' and '-')",
                                        at: SourceLocation(file: file, range: given.range)))
        }

        let (orderedLibraries, orderDiagnostics) = LibraryOrder.ordered(manifest, environment: environment)
        diagnostics += orderDiagnostics

        // The tree, when known.
        var tree: KconfigTree?
        var treeVersion: UnikraftVersion?
        var release = ""
        // conf reads the image name (`N=`, the target's name when it has one) from its environment:
        // a named target gets the tree loaded under its own name.
        var treesByImageName: [String: KconfigTree] = [:]
        var unikraftOfTarget: UnikraftTree?
        if var unikraft = environment.unikraft {
            unikraft.libraries = orderedLibraries.compactMap { environment.libraryFolders[$0.name.value] }
            unikraftOfTarget = unikraft
            unikraft.name = unikraft.name ?? name
            let (loaded, loadDiagnostics) = unikraft.load(fileSystem: environment.fileSystem, cache: environment.treeCache)
            diagnostics += loadDiagnostics
            tree = loaded
            treesByImageName[unikraft.name!] = loaded
            release = unikraft.fullVersion(fileSystem: environment.fileSystem).version
            treeVersion = UnikraftVersion(parsing: release)
        }
        let version = treeVersion ?? manifest.unikraft?.version.flatMap { UnikraftVersion(parsing: $0.value) }

        var librarySymbols: [String: String] = [:]
        for (library, folder) in environment.libraryFolders {
            if let symbol = environment.enableSymbol(ofLibraryAt: folder) { librarySymbols[library] = symbol }
        }
        var seeds = SeedBuilder(file: file, librarySymbols: librarySymbols)

        var targets: [TargetPlan] = []
        var ids: [String: SourceLocation] = [:]
        for target in manifest.targets {
            let id = TargetSelection.id(of: target)
            if let given = target.name, let problem = PathComponent.problem(id) {
                // The id names the target's build folder, `.config.<id>` and its make goal.
                let why = id.isEmpty ? "it has no letter or digit" : "'\(id)': \(problem)"
                diagnostics.append(.error("name-not-component", "the target name '\(given.value)' gives no usable id (\(why)), so it cannot name a make goal or a build folder; use letters, digits, '_' and '-'",
                                          at: given.location(in: file)))
                continue
            }
            if let given = target.name, let clash = Self.reservedGoal(id) {
                diagnostics.append(.error("target-name-reserved", "the target name '\(given.value)' is used as '\(id)', which \(clash); choose another name",
                                          at: given.location(in: file)))
                continue
            }
            if let first = ids[id] {
                diagnostics.append(.error("target-duplicate", "two targets are both called '\(id)'; give them distinct 'name's",
                                          at: target.location(in: file),
                                          notes: [DiagnosticNote("the other one", at: first)]))
                continue
            }
            ids[id] = target.location(in: file)
            let linuxuRemoved = target.platform.value == .linuxu && version.map { $0 >= UnikraftVersion(0, 17) } == true
            if linuxuRemoved, let version {
                diagnostics.append(linuxuRemovedError(target, version: version, release: treeVersion != nil ? release : nil,
                                                      manifest: manifest, environment: environment))
            }
            // Without a tree or a release number, the channel tells: stable and staging are past 0.17.
            var unbuildable: String?
            if target.platform.value == .linuxu, version == nil, let channel = Self.channelPastLinuxu(manifest) {
                unbuildable = "the linuxu platform was removed in Unikraft 0.17, and the channel '\(channel)' is past it"
                diagnostics.append(.warning("linuxu-channel", "\(unbuildable!), so target \(target.platformArchitecture) cannot be built; pin a release before 0.17 (such as 'unikraft: 0.16.3') or use a qemu target",
                                            at: target.platform.location(in: file)))
            }
            let makeName = target.name.map { Naming.normalize($0.value) } ?? name
            let seed = seeds.seed(for: target, manifest: manifest, treeKnown: tree != nil)
            var fullConfig: String?
            var facts = ConfigFacts(seed: seed)
            if var unikraft = unikraftOfTarget {
                unikraft.name = unikraft.name ?? makeName
                let tree = treesByImageName[unikraft.name!] ?? {
                    let (loaded, loadDiagnostics) = unikraft.load(fileSystem: environment.fileSystem, cache: environment.treeCache)
                    diagnostics += loadDiagnostics
                    treesByImageName[unikraft.name!] = loaded
                    return loaded
                }()
                var checker = SeedChecker(tree: tree, file: file)
                checker.hint = { SymbolHints.hint(for: $0, tree: tree, listed: manifest.libraries.map(\.name.value),
                                                  otherFolders: environment.otherLibraryFolders, environment: environment) }
                let (configuration, evalDiagnostics) = tree.evaluate(seed: checker.assignments(seed))
                let unmet = checker.unmetRequests(seed, configuration)
                // An unmet request already says that conf dropped the value, with the reasons.
                let unmetAt = Set(unmet.compactMap(\.location))
                diagnostics += checker.diagnostics + evalDiagnostics.filter { !($0.id == "kconfig-seed-ignored" && $0.location.map(unmetAt.contains) == true) } + unmet
                let dropped = TargetSupport.dropped(seed, in: configuration)
                if !dropped.isEmpty, !linuxuRemoved {
                    diagnostics.append(TargetSupport.diagnostic(target, dropped: dropped, release: release, tree: tree, file: file))
                }
                fullConfig = ConfigWriter.write(configuration)
                for symbol in configuration.visibleNumbersWithoutValue {
                    let example = symbol.type == .hex ? "0x0" : "0"
                    diagnostics.append(.error("kconfig-value-missing", "'CONFIG_\(symbol.name)' (\(symbol.type.rawValue)) is visible in target \(target.platformArchitecture) but has no value, so Unikraft's configuration step would stop and ask for it; set it in the target's kconfig, such as 'CONFIG_\(symbol.name): \(example)'",
                                              at: target.location(in: file)))
                }
                configurations[id] = configuration
                facts = ConfigFacts(configuration: configuration)
            }
            var runBuilder = RunPlanBuilder(manifest: manifest, target: target, version: version, facts: facts, hostPath: { environment.hostPath($0, fromTemplate: $1) })
            let run = runBuilder.build()
            diagnostics += runBuilder.diagnostics
            let imageName = Naming.imageName(makeName, platform: target.platform.value, architecture: target.architecture.value, version: version)
            targets.append(TargetPlan(id: id, spellings: TargetSelection.spellings(of: target), platform: target.platform.value, architecture: target.architecture.value,
                                      imageName: imageName, makeName: makeName,
                                      buildFolder: Conventions.buildFolder(id), imagePath: Conventions.imagePath(id, imageName: imageName),
                                      configFile: Conventions.configFile(id), vmmConfigFile: Conventions.vmmConfigFile(id, platform: target.platform.value),
                                      seed: seed, fullConfig: fullConfig, run: run,
                                      commandLine: KernelCommandLine.head(name: imageName, parameters: run.kernelParameters, argv0Supplied: run.argv0Supplied,
                                                                          separator: [.fc, .kraftcloud].contains(target.platform.value) && !run.networks.isEmpty),
                                      prebuilt: runtime != nil, unbuildable: unbuildable))
        }
        diagnostics += seeds.diagnostics
        diagnostics += outsideHostPaths(manifest, targets: targets, environment: environment)
        diagnostics += missingVolumeSources(manifest, environment: environment)
        if manifest.targets.isEmpty, manifest.runtime == nil {
            diagnostics.append(.warning("no-targets", "the manifest has no targets; add e.g. 'targets: [qemu/x86_64]'", at: SourceLocation(file: file, line: 1, column: 1)))
        }

        diagnostics += makePathDiagnostics(manifest)
        if let problem = ValueRules.makePathProblem(environment.appFolder) {
            diagnostics.append(.error("make-path", "the application folder '\(environment.appFolder.debugDescription.dropFirst().dropLast())' (from the output folder) cannot be written into the Makefile: \(problem)",
                                      at: SourceLocation(file: file, line: 1, column: 1)))
        }
        if let outdir = manifest.outdir {
            diagnostics.append(.warning("outdir-ignored", "'outdir' is not used: manifestc writes its files next to the manifest (or into '--output-dir DIR') and builds each target into 'build/<target>' there; remove 'outdir'",
                                        at: outdir.location(in: file)))
        }
        for library in manifest.libraries where !isMakeSafe(library.name.value) || !isMakeSafe(library.component.source?.value ?? "") {
            diagnostics.append(.error("library-name", "library '\(library.name.value)' (or its source) has characters a Makefile path list cannot hold (make's 'L=' list is separated by ':'); use letters, digits and '._+-/~@'",
                                      at: library.name.location(in: file)))
        }
        let libraries = orderedLibraries.map { library -> LibraryPlan in
            if environment.libraryFoldersInMakefile, let folder = environment.libraryFolders[library.name.value] {
                return LibraryPlan(name: library.name.value, folder: folder, isLocalPath: true)
            }
            if let source = library.component.source?.value, source.hasPrefix("/") || source.hasPrefix("./") || source.hasPrefix("../") {
                return LibraryPlan(name: library.name.value, folder: environment.hostPath(source, fromTemplate: library.name.file != nil), isLocalPath: true)
            }
            return LibraryPlan(name: library.name.value, folder: "lib-" + library.name.value, isLocalPath: false)
        }
        // Target-independent findings (a rootfs, a volume) are found once per target: report them once.
        var seen = Set<Diagnostic>()
        diagnostics = diagnostics.filter { seen.insert($0).inserted }
        let plan = Plan(source: file, name: name, appFolder: environment.appFolder, libraries: libraries, targets: targets, unikraftVersion: version,
                        makefileDefaults: Conventions.makefileDefaults(tree: environment.makefileTree, workspace: environment.workspaceFolder,
                                                                       manifestFolder: environment.manifestFolder),
                        singleConfigFile: targets.filter { !$0.prebuilt }.count == 1 ? Conventions.singleConfigFile : nil)
        return (plan, diagnostics, tree, configurations)
    }

    /// linuxu on Unikraft >= 0.17, naming where the version came from: the tree's `version.mk`
    /// (and where the tree came from), or the manifest's `unikraft` version.
    static func linuxuRemovedError(_ target: Target, version: UnikraftVersion, release: String?, manifest: Manifest,
                                   environment: PlanEnvironment) -> Diagnostic {
        let asked = manifest.unikraft?.version.map { "'\($0.value)'" }
        let source: String
        var notes: [DiagnosticNote] = []
        if let release, let tree = environment.unikraft {
            source = "the Unikraft tree '\(tree.base)'\(environment.treeOrigin.map { " (\($0))" } ?? "") is \(release) (its version.mk)"
            if let asked, let at = manifest.unikraft?.version { notes.append(DiagnosticNote("the manifest asks for \(asked)", at: at.location(in: manifest.file))) }
        } else {
            source = "the manifest asks for Unikraft \(asked ?? "\(version)")"
        }
        notes.append(DiagnosticNote("linuxu needs Unikraft 0.16 or older (for example 'unikraft: 0.16.3'); otherwise use another platform, such as qemu/\(target.architecture.value.rawValue)"))
        return .error("linuxu-removed", "the linuxu platform was removed in Unikraft 0.17, and \(source)",
                      at: target.platform.location(in: manifest.file), notes: notes)
    }

    /// Errors for the host paths the launch files hand to the guest (shared folders, the
    /// initrd) that the environment refuses: outside the repository and not allowed.
    static func outsideHostPaths(_ manifest: Manifest, targets: [TargetPlan], environment: PlanEnvironment) -> [Diagnostic] {
        guard let refusal = environment.hostPathRefusal else { return [] }
        let handed = Set(targets.flatMap { $0.run.shares.map(\.hostPath) + [$0.run.initrd].compactMap { $0 } })
        var given = manifest.volumes.compactMap { volume in volume.source.map { ($0, volume.file != nil) } }
        if let rootfs = manifest.rootfs { given.append((rootfs.source, rootfs.source.file != nil)) }
        var diagnostics: [Diagnostic] = []
        for (source, fromTemplate) in given {
            let path = environment.hostPath(source.value, fromTemplate: fromTemplate)
            guard handed.contains(path), let why = refusal(path) else { continue }
            diagnostics.append(.error("volume-path-outside", "the host path '\(source.value)' \(why); the guest gets nothing outside the repository unless allowed",
                                      at: source.location(in: manifest.file),
                                      notes: [DiagnosticNote("use a folder inside the repository, or pass --allow-outside PATH if you trust it")]))
        }
        return diagnostics
    }

    /// Goals and prefixes the Makefile defines itself, which a target id must not shadow.
    static func reservedGoal(_ id: String) -> String? {
        if ["all", "clean", "properclean"].contains(id) { return "the Makefile uses as a goal of its own" }
        if let prefix = ["menuconfig-", "clean-", "properclean-"].first(where: id.hasPrefix) { return "starts with '\(prefix)', which the Makefile's per-target goals use" }
        return nil
    }

    /// Local folders of the core, the template and libraries reach the Makefile (`UK_ROOT`,
    /// `A=`, `L=`), and from there Unikraft's make and its shell recipes.
    static func makePathDiagnostics(_ manifest: Manifest) -> [Diagnostic] {
        var sources: [(String, Located<String>)] = []
        if let source = manifest.unikraft?.source { sources.append(("the Unikraft source", source)) }
        if let source = manifest.template?.source { sources.append(("the template's source", source)) }
        for library in manifest.libraries {
            if let source = library.component.source { sources.append(("the source of library '\(library.name.value)'", source)) }
        }
        return sources.compactMap { what, source in
            guard SourceRules.isLocalPath(source.value), let problem = ValueRules.makePathProblem(source.value) else { return nil }
            return .error("make-path", "\(what) '\(source.value.debugDescription.dropFirst().dropLast())' cannot be written into the Makefile: \(problem)",
                          at: source.location(in: manifest.file))
        }
    }

    /// Warnings for volumes whose source does not exist: the guest would find nothing to mount.
    static func missingVolumeSources(_ manifest: Manifest, environment: PlanEnvironment) -> [Diagnostic] {
        guard let exists = environment.hostPathExists else { return [] }
        return manifest.volumes.compactMap { volume in
            guard let source = volume.source, !exists(environment.hostPath(source.value, fromTemplate: volume.file != nil)) else { return nil }
            let what = volume.driver?.value == "initrd" ? "file" : "folder"
            return .warning("volume-source-missing", "the volume's source \(what) '\(source.value)' does not exist, so the guest gets nothing there; create it or correct the path",
                            at: source.location(in: manifest.file))
        }
    }

    /// Library names and local paths end up in make's colon-separated `L=` list.
    static func isMakeSafe(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "._+-/~@".unicodeScalars.contains($0) }
    }
}
