import Manifest

/// The file and folder names of a manual Unikraft setup, each built here and nowhere else:
/// the planner stores them in the `Plan`, and the emitters, the builder and the runner read
/// them from there (reference: running-unikernels.md §10).
enum Conventions {
    /// Where make builds a target (`O=`), relative to the output folder.
    static func buildFolder(_ id: String) -> String { "build/" + id }

    /// A target's configuration file (`C=`), relative to the output folder.
    static func configFile(_ id: String) -> String { ".config." + id }

    /// The configuration file Unikraft's own tools use when no `C=` is given: written too when
    /// the setup builds a single target.
    static let singleConfigFile = ".config"

    /// The built image, relative to the output folder.
    static func imagePath(_ id: String, imageName: String) -> String { buildFolder(id) + "/" + imageName }

    /// The VMM's own configuration for a target (`<id>.json` for Firecracker's `--config-file`,
    /// `<id>.cfg` for `xl create`), relative to the output folder; nil for the other platforms.
    static func vmmConfigFile(_ id: String, platform: Platform) -> String? {
        switch platform {
        case .fc, .kraftcloud: id + ".json"
        case .xen: id + ".cfg"
        case .qemu, .linuxu: nil
        }
    }

    /// The Makefile's `UK_ROOT` and `UK_LIBS` defaults, relative to the output folder unless
    /// absolute: the tree given on the command line, a local source as the manifest writes it
    /// (from the manifest's folder), else the workspace's `unikraft`; the workspace's `libs`.
    static func makefileDefaults(tree: MakefileTree, workspace: String, manifestFolder: String) -> MakefileDefaults {
        let inWorkspace = workspace == "." ? "unikraft" : workspace + "/unikraft"
        let libs = workspace == "." ? "libs" : workspace + "/libs"
        switch tree {
        case .workspace:
            return MakefileDefaults(ukRoot: inWorkspace, ukLibs: libs)
        case .given(let folder):
            return MakefileDefaults(ukRoot: folder, ukLibs: libs)
        case .manifestSource(let written, let resolved):
            if written.hasPrefix("~") { return MakefileDefaults(ukRoot: resolved, ukLibs: libs) }
            let root = written.hasPrefix("/") || manifestFolder == "." ? written : manifestFolder + "/" + written
            return MakefileDefaults(ukRoot: root, ukLibs: libs)
        }
    }
}

/// Where the Unikraft tree the Makefile defaults to comes from (`PlanEnvironment.makefileTree`).
public enum MakefileTree: Sendable, Equatable {
    /// The workspace's checkout (pinned by `kraft.lock`, found through `UK_ROOT`, or not there yet).
    case workspace
    /// A folder given on the command line, as seen from the output folder (or absolute).
    case given(String)
    /// The manifest's local `unikraft: source:`: as the manifest writes it (relative to the
    /// manifest's folder unless absolute), and resolved (absolute, for a `~/…` path).
    case manifestSource(written: String, resolved: String)
}

/// The Makefile's `UK_ROOT ?=` and `UK_LIBS ?=` values, relative to the output folder unless absolute.
public struct MakefileDefaults: Sendable, Equatable {
    public var ukRoot: String
    public var ukLibs: String

    public init(ukRoot: String, ukLibs: String) {
        self.ukRoot = ukRoot
        self.ukLibs = ukLibs
    }
}
