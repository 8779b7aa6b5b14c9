import Manifest
import Kconfig

/// What the planner may know beyond the manifest: a Unikraft tree to evaluate the
/// Kconfig configuration against, library folders, and a file system to read them.
/// The command line fills it in; the planner itself never touches the disk directly.
public struct PlanEnvironment: Sendable {
    /// The Unikraft tree and configure inputs (`A=`, `L=`, `N=`, host arch, git revision),
    /// or nil when no tree is known: then only seeds are planned.
    public var unikraft: UnikraftTree?
    /// Where the tree came from, for messages (`from kraft.lock`, `from --uk-root`).
    public var treeOrigin: String?
    /// Library folders by library name (`musl` → `/src/libs/lib-musl`), for enable symbols.
    public var libraryFolders: [String: String]
    public var fileSystem: any KconfigFileSystem
    /// Library folders present (the workspace's `libs/`) that the manifest does not list, by
    /// name: a symbol one of them defines is named with its library.
    public var otherLibraryFolders: [String: String] = [:]
    /// The manifest's folder as seen from the output folder (`.` when they are the same):
    /// relative host paths in the manifest are relative to the manifest's folder.
    public var manifestFolder: String

    /// Where loaded Kconfig trees are kept for reuse (by other targets, manifests, processes); nil parses each time.
    public var treeCache: KconfigTreeCache?

    /// Whether the Makefile names the library folders themselves (they were given one by one)
    /// rather than `$(UK_LIBS)/lib-<name>`.
    public var libraryFoldersInMakefile: Bool

    /// Where the Makefile's `UK_ROOT` default points (`Plan.makefileDefaults`).
    public var makefileTree: MakefileTree = .workspace
    /// The workspace folder (`.unikraft`) as seen from the output folder: the Makefile's
    /// defaults name its `unikraft` and `libs`.
    public var workspaceFolder = ".unikraft"

    /// An environment reading through `fileSystem` (the planner has no default: it never reaches
    /// the disk unless its caller hands it a file system that does).
    public init(unikraft: UnikraftTree? = nil, libraryFolders: [String: String] = [:], libraryFoldersInMakefile: Bool = false,
                fileSystem: any KconfigFileSystem, manifestFolder: String = ".") {
        self.unikraft = unikraft
        self.libraryFolders = libraryFolders
        self.libraryFoldersInMakefile = libraryFoldersInMakefile
        self.fileSystem = fileSystem
        self.manifestFolder = manifestFolder
    }

    /// No tree, no library folders, an empty file system: only seeds are planned.
    public static var seedOnly: PlanEnvironment { PlanEnvironment(fileSystem: InMemoryKconfigFileSystem()) }

    /// Why a host path handed to the guest (a volume, the rootfs, an initrd; as `hostPath`
    /// gives it, relative to the output folder unless absolute) must not be, or nil when it
    /// may: the command line decides what lies outside the repository. Nil checks nothing.
    public var hostPathRefusal: (@Sendable (String) -> String?)?

    /// Whether a host path handed to the guest exists (as `hostPath` gives it). Nil checks nothing.
    public var hostPathExists: (@Sendable (String) -> Bool)?

    /// The template's folder as seen from the output folder, when the manifest has a
    /// template: it is the application folder (`A=`), and the template's own relative
    /// paths are relative to it.
    public var templateFolder: String?

    /// The application folder (`A=`) as seen from the output folder.
    var appFolder: String { templateFolder ?? manifestFolder }

    /// A host path from the manifest (or, with `fromTemplate`, from its template), as seen
    /// from the output folder.
    func hostPath(_ path: String, fromTemplate: Bool = false) -> String {
        let folder = fromTemplate ? (templateFolder ?? manifestFolder) : manifestFolder
        if path.hasPrefix("/") || path.hasPrefix("~") || folder == "." { return path }
        let trimmed = path.hasPrefix("./") ? String(path.dropFirst(2)) : path
        return folder + "/" + trimmed
    }

    /// The library name a folder stands for: its last component without a `lib-` prefix.
    public static func libraryName(ofFolder path: String) -> String {
        let last = path.split(separator: "/").last.map(String.init) ?? path
        return last.hasPrefix("lib-") ? String(last.dropFirst(4)) : last
    }

    /// Which manifest library each folder is: by its name (`lib-musl` → `musl`), else by the
    /// symbol its `Config.uk` defines first (`musl-0.16.3` defining `LIBMUSL` → `musl`).
    /// Returns the matches and the folders that match no library.
    public func libraryFolders(_ folders: [String], for manifest: Manifest) -> (matched: [String: String], unmatched: [String]) {
        var matched: [String: String] = [:]
        var unmatched: [String] = []
        let names = Set(manifest.libraries.map(\.name.value))
        for folder in folders {
            let byName = Self.libraryName(ofFolder: folder)
            if names.contains(byName) {
                matched[byName] = folder
                continue
            }
            let symbol = enableSymbol(ofLibraryAt: folder)
            if let library = manifest.libraries.first(where: { LibrarySymbols.enableSymbol(ofLibrary: $0.name.value) == symbol }) {
                matched[library.name.value] = folder
            } else {
                unmatched.append(folder)
            }
        }
        return (matched, unmatched)
    }

    /// The first symbol a library's `Config.uk` defines (`menuconfig LIBMUSL` → `CONFIG_LIBMUSL`).
    func enableSymbol(ofLibraryAt folder: String) -> String? {
        guard let bytes = fileSystem.contents(of: folder + "/Config.uk") else { return nil }
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if words.count >= 2, words[0] == "config" || words[0] == "menuconfig" { return "CONFIG_" + words[1] }
        }
        return nil
    }
}
