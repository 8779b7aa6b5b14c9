import ArgumentParser
import Driver
import Emitters
import FoundationEssentials
import Manifest
import Planner
import Diagnostics
import Kconfig
import Import

extension ImportedManifestWriter.Spec: ExpressibleByArgument {}

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        _superCommandName: "manifestc",
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

    @OptionGroup var tree: TreeOptions

    @Flag(help: "Overwrite an existing manifest.")
    var force = false

    @OptionGroup var diagnostics: DiagnosticsOptions

    func run() throws {
        let console = Console(buffered: false, input: diagnostics.settings)
        let folder = URL(fileURLWithPath: directory).standardizedFileURL
        var isDirectory = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory else {
            throw DriverError.usage("'\(directory)' is not a folder")
        }
        let (files, subfolders) = ImportTree.collect(folder)
        var sources: [String: SourceText] = [:]
        for file in files { sources[file.path] = SourceText(file: file.path, text: file.text) }
        let target = output.map { $0 == "-" ? nil : URL(fileURLWithPath: $0).standardizedFileURL } ?? folder.appendingPathComponent("kraft.yaml")
        if let target, FileManager.default.fileExists(atPath: target.path), !force {
            report([.error("import-output-exists", "'\(target.path)' exists; choose another file with -o, or overwrite it with --force", at: nil)], sources: [:], console: console)
            throw DriverError.failure
        }

        // A first reading without the tree gives the name conf needs (CONFIG_UK_NAME's default).
        var input = ImportInput(folderName: folder.lastPathComponent, files: files, subfolders: subfolders)
        var treeDiagnostics: [Diagnostic] = []
        var libraryFolders = tree.libraries
        var root = tree.ukRoot ?? ProcessInfo.processInfo.environment["UK_ROOT"].flatMap({ $0.isEmpty ? nil : $0 })
        if root == nil, let located = ImportTree.locateFromManifest(in: folder) {
            // A setup with a manifest (manifestc's own output): the one rule for every command.
            root = located.unikraft?.folder
            if tree.libraries.isEmpty { libraryFolders = located.libraries.values.map(\.folder).sorted() }
            if let found = located.unikraft { console.say("using the Unikraft tree at '\(found.folder)' (\(found.origin))") }
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
            let (loaded, version, d) = try ImportTree.load(root: root, libraries: libraryFolders, app: app, name: first.name, gitRevision: tree.ukGitRevision)
            input.tree = loaded
            input.treeVersion = version
            treeDiagnostics = d.filter { $0.severity == .error }
        }
        var importer = SetupImporter(input)
        let setup = importer.run()
        let (text, renderDiagnostics) = ImportedManifestWriter.render(setup, spec: spec)
        let diagnostics = treeDiagnostics + importer.diagnostics + renderDiagnostics
        report(diagnostics, sources: sources, console: console)
        if diagnostics.contains(where: { $0.severity == .error }) { throw DriverError.failure }

        // The manifest must read back without errors, as 'manifestc validate' reads it.
        let check = ManifestLoader(limits: YAMLLimits(), strict: false).load(Array(text.utf8), file: target?.path ?? "kraft.yaml", environment: [:])
        if check.diagnostics.contains(where: { $0.severity == .error }) {
            report(check.diagnostics, sources: [:], console: console)
            console.fail("import-internal", "internal error: the imported manifest does not validate; please report this with the setup")
            throw DriverError.failure
        }

        guard let target else {
            console.out(text)
            return
        }
        try OutputWriter.writeOne(text, to: target, console: console)
        let warnings = diagnostics.filter { $0.severity == .warning }.count
        console.out("\(target.path): \(setup.targets.count) target\(setup.targets.count == 1 ? "" : "s"), \(setup.libraries.count) librar\(setup.libraries.count == 1 ? "y" : "ies")\(warnings > 0 ? ", \(warnings) warning\(warnings == 1 ? "" : "s")" : "")\n")
    }

    /// The importer names files relative to the setup folder: reported as seen from here.
    private func report(_ diagnostics: [Diagnostic], sources: [String: SourceText], console: Console) {
        guard !diagnostics.isEmpty else { return }
        // The importer names files relative to the setup folder; show them from here.
        let prefix = directory == "." ? "" : (directory.hasSuffix("/") ? directory : directory + "/")
        let diagnostics = diagnostics.map { d -> Diagnostic in
            var d = d
            if let location = d.location, sources[location.file] != nil { d.location?.file = prefix + location.file }
            return d
        }
        let sources = Dictionary(sources.map { (prefix + $0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        console.diagnostics.report(diagnostics, sources: sources)
    }
}
