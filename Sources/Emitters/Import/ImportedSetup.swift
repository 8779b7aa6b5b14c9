import Manifest
import Planner
import Kconfig

/// A file of a manual setup, by its path relative to the setup's folder.
public struct SetupFile: Sendable {
    public var path: String
    public var text: String

    public init(path: String, text: String) {
        self.path = path
        self.text = text
    }
}

/// What the importer reads: the setup's files and the names of its sub-folders. The
/// command line collects them; the importer never touches the disk.
public struct ImportInput: Sendable {
    /// The setup folder's own name (the fallback application name).
    public var folderName: String
    public var files: [SetupFile]
    /// Top-level sub-folders (candidates for shared folders).
    public var subfolders: [String]
    /// A Unikraft tree (with its libraries) to compute minimal seeds; nil: seeds are kept as written.
    public var tree: KconfigTree?
    /// The tree's version (`0.17.0~484ff209`), when one is given.
    public var treeVersion: String?

    public init(folderName: String, files: [SetupFile], subfolders: [String] = [], tree: KconfigTree? = nil, treeVersion: String? = nil) {
        self.folderName = folderName
        self.files = files
        self.subfolders = subfolders
        self.tree = tree
        self.treeVersion = treeVersion
    }
}

/// A manual setup read back: everything a manifest can say about it, with the comments
/// that explain guessed choices. `ImportedManifestWriter` renders it.
public struct ImportedSetup: Sendable {
    public struct Option: Sendable, Equatable {
        /// With `CONFIG_`.
        public var symbol: String
        /// Seed text: `y`, `n`, `42`, `0x10`, `"text"`.
        public var value: String

        public var line: String { "\(symbol)=\(value)" }
    }

    public struct TargetEntry: Sendable {
        public var name: String?
        public var platform: Platform
        public var architecture: Architecture
        public var options: [Option]
        /// Where the target's configuration comes from (nil: only run settings name it).
        public var configFile: String?
    }

    public struct Library: Sendable {
        public var name: String
        /// The folder as the Makefile names it, when it has one.
        public var folder: String?
        /// A local source (`./`: the setup's own folder, when its app is another folder).
        public var source: String? = nil
    }

    public struct VolumeEntry: Sendable, Equatable {
        public var source: String
        public var destination: String?
        public var readOnly = false
        public var comment: String?
    }

    public struct NetworkEntry: Sendable, Equatable {
        public var name: String
        public var settings: [Pair]
    }

    public struct Pair: Sendable, Equatable {
        public var key: String
        public var value: String
    }

    public var name: String
    public var unikraftVersion: String
    public var libraries: [Library] = []
    /// The exact `L=` order (names), when the setup's differs from the planner's default
    /// rule; written as `x-manifestc: {library-order: […]}`.
    public var libraryOrder: [String]?
    /// The application folder (`A=`, `UK_APP`) relative to the setup's folder (`./workdir/apps/elfloader`),
    /// when it is another folder; written as `x-manifestc: {app: …}`.
    public var app: String?
    public var targets: [TargetEntry] = []
    /// Options every target shares (the manifest's `unikraft.kconfig`).
    public var commonOptions: [Option] = []
    public var volumes: [VolumeEntry] = []
    public var networks: [NetworkEntry] = []
    public var env: [Pair] = []
    public var cmd: [String]?
    public var memoryMiB: Int?
    public var vcpus: Int?
    /// An initrd that cannot be a volume of its own (its path), when there is one.
    public var initrd: String?
    /// Comments for the manifest, by section (`name`, `unikraft`, `libraries`, `targets`,
    /// `volumes`, `networks`, `cmd`, `x-manifestc`, and `header`).
    public var comments: [String: [String]] = [:]
    /// The files the import read, in order.
    public var filesRead: [String] = []

    mutating func comment(_ section: String, _ text: String) {
        if comments[section]?.contains(text) != true { comments[section, default: []].append(text) }
    }
}
