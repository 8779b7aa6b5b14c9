import FoundationEssentials
import Manifest
import Planner
import Diagnostics

extension SourceSync {
    /// The lock entry of a local folder: its path, and its commit when it is the top of a git
    /// checkout. Local changes are a warning (`[source-local-modified]`), an error under
    /// `--locked`, as is a checkout at another commit than the lock pins (`[source-local-moved]`).
    func localEntry(_ request: SourceRequest, pinned: LockEntry?) -> (entry: LockEntry, diagnostic: Diagnostic?) {
        var entry = LockEntry(unresolved: request)
        let folder = workspace.folder(for: request)
        guard let head = workspace.git.head(folder) else { return (entry, nil) }
        entry.commit = head
        if mode == .locked, let pinned, pinned.satisfies(request), let locked = pinned.commit, locked != head {
            return (entry, .error("source-local-moved", "the folder '\(folder.path)' is at commit \(head.prefix(12)), kraft.lock pins \(locked.prefix(12)) (--locked); "
                                  + "check out the pinned commit, or run without --locked to pin the folder's", at: request.location))
        }
        guard workspace.git.isModified(folder) else { return (entry, nil) }
        let message = "the folder '\(folder.path)' has local changes: kraft.lock pins its commit \(head.prefix(12)), which does not hold them"
        if mode == .locked {
            return (entry, .error("source-local-modified", message + " (--locked); commit them", at: request.location))
        }
        return (entry, .warning("source-local-modified", message + "; commit them to pin them", at: request.location))
    }
}
