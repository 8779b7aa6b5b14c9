import Diagnostics
import FoundationEssentials
import Import
import Kconfig
import Manifest
import Planner

/// What `import` reads from the disk: the setup's files, and the tree to import against
/// (named, or found by the one rule for a setup that has a manifest).
package enum ImportTree {
    /// The largest setup file read.
    static let maxFileBytes = 4 << 20

    /// The setup's files: regular files at the top (not too large, not binary) and
    /// those under `.scripts/defconfig` and `.scripts/run`; and the top-level folders.
    package static func collect(_ folder: URL) -> (files: [SetupFile], subfolders: [String]) {
        let fm = FileManager.default
        var files: [SetupFile] = []
        var subfolders: [String] = []
        // Files reached through a link out of the setup's repository (a `.scripts` link, say) are not read.
        let scope = ReadScope(manifestFolder: folder, named: [folder.path])
        func add(_ relative: String) {
            let url = folder.appendingPathComponent(relative)
            guard scope.allows(url), let attributes = try? fm.attributesOfItem(atPath: url.path), attributes[.type] as? FileAttributeType == .typeRegular,
                  let size = attributes.fileSizeInBytes, size <= maxFileBytes, let data = fm.contents(atPath: url.path), !data.contains(0) else { return }
            files.append(SetupFile(path: relative, text: String(decoding: data, as: UTF8.self)))
        }
        for name in ((try? fm.contentsOfDirectory(atPath: folder.path)) ?? []).sorted() {
            var isDirectory = false
            guard fm.fileExists(atPath: folder.appendingPathComponent(name).path, isDirectory: &isDirectory) else { continue }
            if isDirectory { subfolders.append(name) } else { add(name) }
        }
        for sub in [".scripts/defconfig", ".scripts/run"] {
            for name in ((try? fm.contentsOfDirectory(atPath: folder.appendingPathComponent(sub).path)) ?? []).sorted() { add(sub + "/" + name) }
        }
        return (files, subfolders)
    }

    /// The tree and libraries by the one rule (`TreeLocator`) for a manifest in the setup folder: its
    /// local sources, else the workspace its kraft.lock pins; nil without a manifest that loads.
    package static func locateFromManifest(in folder: URL) -> TreeLocator.Result? {
        let scope = ReadScope(manifestFolder: folder)
        for name in ManifestInput.fileNames {
            let url = folder.appendingPathComponent(name)
            guard let data = (try? scope.read(url, what: "the manifest")) ?? nil,
                  let manifest = ManifestLoader().load(Array(data), file: url.path, environment: ProcessInfo.processInfo.environment).manifest else { continue }
            let lock = ((try? scope.read(folder.appendingPathComponent(LockFile.fileName), what: "the lock file")) ?? nil)
                .flatMap { LockFile.parse(Array($0), file: LockFile.fileName).lock }
            let located = TreeLocator(manifest: manifest, manifestFolder: folder.path, workspace: folder.appendingPathComponent(".unikraft").path,
                                      home: ProcessInfo.processInfo.environment["HOME"] ?? PathText.home, lock: lock)
                .locate(DiskTreeProbe(scope: scope))
            return located.unikraft == nil ? nil : located
        }
        return nil
    }

    /// The tree at `root` with `libraries`, loaded for the setup's app and name: the tree, its full version, its diagnostics.
    package static func load(root: String, libraries: [String], app: URL, name: String, gitRevision: String?) throws -> (KconfigTree, String, [Diagnostic]) {
        let base = URL(fileURLWithPath: root).standardizedFileURL.resolvingSymlinksInPath()
        guard FileManager.default.fileExists(atPath: base.appendingPathComponent("Config.uk").path) else {
            throw DriverError.usage("'\(root)' is not a Unikraft tree (it has no Config.uk)")
        }
        var folders: [String] = []
        for library in libraries {
            let url = URL(fileURLWithPath: library).standardizedFileURL
            guard FileManager.default.fileExists(atPath: url.appendingPathComponent("Config.uk").path) else {
                throw DriverError.usage("'\(library)' is not a Unikraft library folder (it has no Config.uk)")
            }
            folders.append(url.resolvingSymlinksInPath().path)
        }
        var tree = UnikraftTreeSetup.tree(base: base, app: app, gitRevision: gitRevision)
        tree.libraries = folders
        tree.name = name
        let fileSystem = DiskKconfigFileSystem()
        let (loaded, diagnostics) = tree.load(fileSystem: fileSystem)
        return (loaded, tree.fullVersion(fileSystem: fileSystem).version, diagnostics)
    }
}
