import ArgumentParser
import Emitters
import Foundation
import Manifest
import Planner
import Diagnostics
import Kconfig
import Import

extension ImportedManifestWriter.Spec: ExpressibleByArgument {}

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Write a manifest that reproduces a manual Unikraft setup (Makefile, .config/defconfig, launch scripts, Firecracker and Xen files).",
        discussion: """
            Reads the setup folder: the Makefile (libraries and their L= order, kept as \
            x-manifestc.library-order when it is not the default rule; make's app, A= or UK_APP, as \
            x-manifestc.app when it is another folder inside the setup, the setup itself then a local library), every configuration \
            (.config, .config.<target>, defconfig.<target>, config.sol, .scripts/defconfig/<plat>.<arch>), \
            launch scripts (qemu-system-* and qemu-guest lines, a launch.sh manifestc generated), \
            Firecracker JSON and Xen cfg files (memory, vCPUs, kernel arguments, 9p shares, initrd, networks).

            The kconfig options are the smallest set that reproduces each configuration, in kconfig's \
            savedefconfig sense, when a Unikraft tree is given (--uk-root, with --lib for its libraries); \
            without one, the options the seeds set, minus what the target itself implies. Anything a \
            manifest cannot say is a warning with its location; guessed choices are commented in the output.

            Exit status: 0 when the manifest was written, 1 on errors (or when the output exists and --force \
            is not given), 2 on a usage error.

            Examples:
              manifestc import                        # this folder, into ./kraft.yaml
              manifestc import ../catalog-core/nginx -o nginx/kraft.yaml
              manifestc import sol/06 -o - --uk-root ~/uk-0.13 --lib ~/libs/lib-musl
              manifestc import . --spec 0.5 -o Kraftfile --force
            """
    )

    @Argument(help: ArgumentHelp("The setup folder.", valueName: "dir"))
    var directory: String = "."

    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp(
        "Where to write the manifest ('-' for standard output; default: DIR/kraft.yaml).", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("The spec version to write: 0.6 or 0.5.", valueName: "version"))
    var spec: ImportedManifestWriter.Spec = .v0_6

    @Option(name: .customLong("uk-root"), help: ArgumentHelp("A Unikraft source tree, to keep only the options that matter (default: $UK_ROOT, else, for a setup with a manifest, its local unikraft source or the workspace its kraft.lock pins).", valueName: "dir"))
    var ukRoot: String?

    @Option(name: .customLong("lib"), parsing: .singleValue, help: ArgumentHelp(
        "A library folder such as ../libs/lib-musl, part of the tree the configurations were made with (repeatable).", valueName: "dir"))
    var libraries: [String] = []

    @Option(name: .customLong("uk-git-revision"), help: ArgumentHelp(
        "The commit of the Unikraft tree, when it is not a git checkout.", valueName: "sha"))
    var ukGitRevision: String?

    @Flag(help: "Overwrite an existing manifest.")
    var force = false

    @Option(name: .customLong("diagnostics-format"), help: "How to print diagnostics on stderr: text or json.")
    var diagnosticsFormat: DiagnosticsFormat = .text

    @Option(help: "Colour diagnostics: auto (on a terminal), always or never.")
    var color: ColorChoice = .auto

    static let maxFileBytes = 4 << 20

    func run() throws {
        let folder = URL(fileURLWithPath: directory).standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("'\(directory)' is not a folder")
        }
        let (files, subfolders) = collect(folder)
        var sources: [String: SourceText] = [:]
        for file in files { sources[file.path] = SourceText(file: file.path, text: file.text) }
        let target = output.map { $0 == "-" ? nil : URL(fileURLWithPath: $0).standardizedFileURL } ?? folder.appendingPathComponent("kraft.yaml")
        if let target, FileManager.default.fileExists(atPath: target.path), !force {
            report([.error("import-output-exists", "'\(target.path)' exists; choose another file with -o, or overwrite it with --force", at: nil)], sources: [:])
            throw ExitCode.failure
        }

        // A first reading without the tree gives the name conf needs (CONFIG_UK_NAME's default).
        var input = ImportInput(folderName: folder.lastPathComponent, files: files, subfolders: subfolders)
        var treeDiagnostics: [Diagnostic] = []
        var libraryFolders = libraries
        var root = ukRoot ?? ProcessInfo.processInfo.environment["UK_ROOT"].flatMap({ $0.isEmpty ? nil : $0 })
        if root == nil, let located = Self.locateFromManifest(in: folder) {
            // A setup with a manifest (manifestc's own output): the one rule for every command.
            root = located.unikraft?.folder
            if libraries.isEmpty { libraryFolders = located.libraries.values.map(\.folder).sorted() }
            if let tree = located.unikraft { Console.standard.say("using the Unikraft tree at '\(tree.folder)' (\(tree.origin))") }
        }
        if let root {
            var preliminary = SetupImporter(input)
            let first = preliminary.run()
            // make's app may be another folder, the setup's own folder then one of its libraries (in L= order).
            let app = first.app.map { folder.appendingPathComponent(String($0.dropFirst(2))).standardizedFileURL } ?? folder
            if first.app != nil, let own = first.libraries.firstIndex(where: { $0.source != nil }) {
                let before = Set(first.libraries[..<own].map(\.name))
                let at = libraryFolders.firstIndex { !before.contains(PlanEnvironment.libraryName(ofFolder: $0)) } ?? libraryFolders.endIndex
                libraryFolders.insert(folder.path, at: at)
            }
            let (tree, version, d) = try loadTree(root: root, libraries: libraryFolders, app: app, name: first.name)
            input.tree = tree
            input.treeVersion = version
            treeDiagnostics = d.filter { $0.severity == .error }
        }
        var importer = SetupImporter(input)
        let setup = importer.run()
        let (text, renderDiagnostics) = ImportedManifestWriter.render(setup, spec: spec)
        let diagnostics = treeDiagnostics + importer.diagnostics + renderDiagnostics
        report(diagnostics, sources: sources)
        if diagnostics.contains(where: { $0.severity == .error }) { throw ExitCode.failure }

        // The manifest must read back without errors, as 'manifestc validate' reads it.
        let check = ManifestLoader(limits: YAMLLimits(), strict: false).load(Array(text.utf8), file: target?.path ?? "kraft.yaml", environment: [:])
        if check.diagnostics.contains(where: { $0.severity == .error }) {
            report(check.diagnostics, sources: [:])
            FileHandle.standardError.write(Data("manifestc: internal error: the imported manifest does not validate; please report this with the setup\n".utf8))
            throw ExitCode.failure
        }

        guard let target else {
            print(text, terminator: "")
            return
        }
        let writer = OutputWriter(folder: target.deletingLastPathComponent(), force: true)
        do {
            try writer.write(EmittedFile(path: target.lastPathComponent, contents: text))
        } catch {
            FileHandle.standardError.write(Data("manifestc: error: \(error)\n".utf8))
            throw ExitCode.failure
        }
        let warnings = diagnostics.filter { $0.severity == .warning }.count
        print("\(target.path): \(setup.targets.count) target\(setup.targets.count == 1 ? "" : "s"), \(setup.libraries.count) librar\(setup.libraries.count == 1 ? "y" : "ies")\(warnings > 0 ? ", \(warnings) warning\(warnings == 1 ? "" : "s")" : "")")
    }

    /// The setup's files: regular files at the top (not too large, not binary) and
    /// those under `.scripts/defconfig` and `.scripts/run`; and the top-level folders.
    private func collect(_ folder: URL) -> (files: [SetupFile], subfolders: [String]) {
        let fm = FileManager.default
        var files: [SetupFile] = []
        var subfolders: [String] = []
        // Files reached through a link out of the setup's repository (a `.scripts` link, say) are not read.
        let scope = ReadScope(manifestFolder: folder, named: [folder.path])
        func add(_ relative: String) {
            let url = folder.appendingPathComponent(relative)
            guard scope.allows(url), let attributes = try? fm.attributesOfItem(atPath: url.path), attributes[.type] as? FileAttributeType == .typeRegular,
                  (attributes[.size] as? Int ?? 0) <= Self.maxFileBytes, let data = fm.contents(atPath: url.path), !data.contains(0) else { return }
            files.append(SetupFile(path: relative, text: String(decoding: data, as: UTF8.self)))
        }
        for name in ((try? fm.contentsOfDirectory(atPath: folder.path)) ?? []).sorted() {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: folder.appendingPathComponent(name).path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue { subfolders.append(name) } else { add(name) }
        }
        for sub in [".scripts/defconfig", ".scripts/run"] {
            for name in ((try? fm.contentsOfDirectory(atPath: folder.appendingPathComponent(sub).path)) ?? []).sorted() { add(sub + "/" + name) }
        }
        return (files, subfolders)
    }

    /// The tree and libraries by the one rule (`TreeLocator`) for a manifest in the setup folder: its
    /// local sources, else the workspace its kraft.lock pins; nil without a manifest that loads.
    static func locateFromManifest(in folder: URL) -> TreeLocator.Result? {
        let scope = ReadScope(manifestFolder: folder)
        for name in ManifestInput.fileNames {
            let url = folder.appendingPathComponent(name)
            guard let data = (try? scope.read(url, what: "the manifest")) ?? nil,
                  let manifest = ManifestLoader().load(Array(data), file: url.path, environment: ProcessInfo.processInfo.environment).manifest else { continue }
            let lock = ((try? scope.read(folder.appendingPathComponent(LockFile.fileName), what: "the lock file")) ?? nil)
                .flatMap { LockFile.parse(Array($0), file: LockFile.fileName).lock }
            let located = TreeLocator(manifest: manifest, manifestFolder: folder.path, workspace: folder.appendingPathComponent(".unikraft").path,
                                      home: ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory(), lock: lock)
                .locate(DiskTreeProbe(scope: scope))
            return located.unikraft == nil ? nil : located
        }
        return nil
    }

    private func loadTree(root: String, libraries: [String], app: URL, name: String) throws -> (KconfigTree, String, [Diagnostic]) {
        let base = URL(fileURLWithPath: root).standardizedFileURL.resolvingSymlinksInPath()
        guard FileManager.default.fileExists(atPath: base.appendingPathComponent("Config.uk").path) else {
            throw ValidationError("'\(root)' is not a Unikraft tree (it has no Config.uk)")
        }
        var folders: [String] = []
        for library in libraries {
            let url = URL(fileURLWithPath: library).standardizedFileURL
            guard FileManager.default.fileExists(atPath: url.appendingPathComponent("Config.uk").path) else {
                throw ValidationError("'\(library)' is not a Unikraft library folder (it has no Config.uk)")
            }
            folders.append(url.resolvingSymlinksInPath().path)
        }
        let git = GitFacts(folder: base.path)
        var tree = UnikraftTree(base: base.path, app: app.resolvingSymlinksInPath().path, hostArch: Host.architecture,
                                gitRevision: ukGitRevision ?? git.revision, gitModified: git.modified, shortRevisionLength: git.shortLength)
        tree.libraries = folders
        tree.name = name
        let fileSystem = DiskKconfigFileSystem()
        let (loaded, diagnostics) = tree.load(fileSystem: fileSystem)
        return (loaded, tree.fullVersion(fileSystem: fileSystem).version, diagnostics)
    }

    private func report(_ diagnostics: [Diagnostic], sources: [String: SourceText]) {
        guard !diagnostics.isEmpty else { return }
        // The importer names files relative to the setup folder; show them from here.
        let prefix = directory == "." ? "" : (directory.hasSuffix("/") ? directory : directory + "/")
        let diagnostics = diagnostics.map { d -> Diagnostic in
            var d = d
            if let location = d.location, sources[location.file] != nil { d.location?.file = prefix + location.file }
            return d
        }
        let sources = Dictionary(sources.map { (prefix + $0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        let text: String
        switch diagnosticsFormat {
        case .json: text = Diagnostic.document(diagnostics).json()
        case .text:
            let useColor = color == .always || (color == .auto && isatty(2) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil)
            text = DiagnosticRenderer(sources: sources, color: useColor).render(diagnostics)
        }
        FileHandle.standardError.write(Data(text.utf8))
    }
}
