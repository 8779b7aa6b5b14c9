import FoundationEssentials
import Planner

/// A source `kraft.lock` pins, with the folder it is used from.
struct PinnedSource {
    var entry: LockEntry
    var folder: URL

    /// Every source of `lock`: git sources in the workspace, local ones where they are.
    static func all(_ lock: LockFile, workspace: URL, manifestFolder: URL) -> [PinnedSource] {
        lock.entries.map { entry in
            let folder: URL
            if let path = entry.path {
                folder = Workspace.localFolder(path, manifestFolder: manifestFolder)
            } else {
                switch entry.role {
                case .unikraft: folder = workspace.appendingPathComponent("unikraft")
                case .library(let name): folder = workspace.appendingPathComponent("libs/lib-" + name)
                case .template: folder = workspace.appendingPathComponent("apps/" + SourceRequest.templateFolderName(entry.url ?? ""))
                }
            }
            return PinnedSource(entry: entry, folder: folder)
        }
    }

    /// The library's `Library.uk`, when it has one (read as data, bounded).
    var description: LibraryDescription? {
        guard case .library(let name) = entry.role,
              let data = try? OriginCache.read(folder.appendingPathComponent("Library.uk"), maxBytes: LibraryDescription.sizeLimit) else { return nil }
        return LibraryDescription(parsing: String(decoding: data, as: UTF8.self), library: name)
    }
}
