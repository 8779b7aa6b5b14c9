import FoundationEssentials
import Glibc
import Planner

/// The folder fetched sources live in (default `.unikraft/` next to the manifest):
/// `unikraft/`, `libs/lib-<name>/`, `apps/<name>/`. A source is cloned into a hidden
/// temporary folder beside its place and renamed into it only when it is complete,
/// so an interrupted fetch never leaves a half tree where a tree is expected.
struct Workspace {
    let root: URL
    let manifestFolder: URL
    var git: Git

    private static let partialMarker = ".manifestc-partial-"
    private static let oldMarker = ".manifestc-old-"

    /// Where a request's tree is: its workspace folder, or the local folder it names.
    func folder(for request: SourceRequest) -> URL {
        switch request.origin {
        case .git: return root.appendingPathComponent(request.workspaceFolder)
        case .local(let path): return Self.localFolder(path, manifestFolder: manifestFolder)
        }
    }

    static func localFolder(_ path: String, manifestFolder: URL) -> URL {
        var expanded = path
        if path == "~" || path.hasPrefix("~/") {
            expanded = (ProcessInfo.processInfo.environment["HOME"] ?? PathText.home) + path.dropFirst()
        }
        let url = expanded.hasPrefix("/") ? URL(fileURLWithPath: expanded) : manifestFolder.appendingPathComponent(expanded)
        return url.standardizedFileURL
    }

    /// Refuses a workspace folder reached through a symbolic link that leads out of the
    /// workspace (or, for the default `.unikraft`, out of the manifest's folder): nothing is
    /// cloned, moved or deleted behind such a link.
    func confine(_ folder: URL) throws {
        let manifestPath = manifestFolder.standardizedFileURL.path
        let base = root.standardizedFileURL.path.hasPrefix(manifestPath + "/") ? manifestFolder.standardizedFileURL : root.standardizedFileURL
        let path = folder.standardizedFileURL.path
        guard path.hasPrefix(base.path + "/") else { return }
        try Confinement.checkInside(String(path.dropFirst(base.path.count + 1)), under: base)
    }

    /// Removes what interrupted runs left: temporary clones and replaced trees whose
    /// manifestc is gone (another one still running keeps its own).
    func removeLeftovers() {
        let fm = FileManager.default
        guard (try? confine(root.appendingPathComponent("libs"))) != nil, (try? confine(root.appendingPathComponent("apps"))) != nil else { return }
        for sub in ["", "libs", "apps"] {
            let folder = sub.isEmpty ? root : root.appendingPathComponent(sub)
            for name in (try? fm.contentsOfDirectory(atPath: folder.path)) ?? [] {
                guard let marker = [Self.partialMarker, Self.oldMarker].first(where: { name.contains($0) }),
                      let pid = pid_t(name[name.firstRange(of: marker)!.upperBound...]) else { continue }
                if pid != getpid(), kill(pid, 0) == 0 || errno == EPERM { continue }
                // Only a folder manifestc made (a link of that name is left alone).
                var info = stat()
                guard lstat(folder.appendingPathComponent(name).path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { continue }
                try? fm.removeItem(at: folder.appendingPathComponent(name))
            }
        }
    }

    /// A tree made ready beside its place, to be moved in by `install`.
    struct Staged {
        var folder: URL
        var temporary: URL?
        var commit: String
    }

    /// Whether `folder` already holds `commit`: then nothing needs to happen.
    func isCurrent(_ folder: URL, commit: String) -> Bool {
        git.head(folder) == commit
    }

    /// Prepares `revision` (a full commit id, or an abbreviated one) of `url` for
    /// `folder`: nothing when the folder already has it; else a clone in a temporary
    /// folder beside it, from the existing checkout when that has the commit (no
    /// network), otherwise from `url`.
    func stage(url: String, revision: String, into folder: URL) throws -> Staged {
        let fm = FileManager.default
        try confine(folder)
        if revision.count == 40, isCurrent(folder, commit: revision) { return Staged(folder: folder, temporary: nil, commit: revision) }
        try fm.createDirectory(at: folder.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = folder.deletingLastPathComponent().appendingPathComponent(".\(folder.lastPathComponent)\(Self.partialMarker)\(getpid())")
        try? fm.removeItem(at: temporary)
        TemporaryFolders.register(temporary)
        do {
            let existing = git.head(folder) != nil
            if existing, git.commit(revision, in: folder) == nil, git.originURL(folder) == url {
                // The old checkout's objects stay valid whatever happens to this fetch.
                try git.run(["-C", folder.path, "fetch", "--quiet", "--tags", "origin"], network: true, what: "cannot fetch '\(url)'")
            }
            if existing, git.commit(revision, in: folder) != nil {
                try git.run(["clone", "--quiet", "--no-checkout", "--", folder.path, temporary.path], what: "cannot copy '\(folder.path)'")
                try git.run(["-C", temporary.path, "remote", "set-url", "origin", url], what: "cannot set the origin of '\(temporary.path)'")
            } else {
                try git.run(["clone", "--no-checkout", "--progress", "--", url, temporary.path], network: true, what: "cannot clone '\(url)'")
            }
            if git.commit(revision, in: temporary) == nil, revision.count == 40 {
                // A commit no branch or tag reaches (a pull request's, say).
                _ = try? git.run(["-C", temporary.path, "fetch", "--quiet", "origin", revision], network: true, what: "cannot fetch \(revision)")
                // It came from origin: a later move must not take it for a local commit.
                _ = try? git.run(["-C", temporary.path, "update-ref", "refs/remotes/origin/manifestc-pinned", "FETCH_HEAD"], what: "cannot record \(revision)")
            }
            guard let commit = git.commit(revision, in: temporary) else {
                throw Git.Failure(arguments: [], message: "'\(url)' has no commit '\(revision)'")
            }
            try git.run(["-C", temporary.path, "-c", "advice.detachedHead=false", "checkout", "--quiet", "--detach", commit],
                        what: "cannot check out \(commit) of '\(url)'")
            return Staged(folder: folder, temporary: temporary, commit: commit)
        } catch {
            try? fm.removeItem(at: temporary)
            TemporaryFolders.unregister(temporary)
            throw error
        }
    }

    /// Moves a staged tree into its place; the tree it replaces is removed afterwards.
    func install(_ staged: Staged) throws {
        guard let temporary = staged.temporary else { return }
        let fm = FileManager.default
        try confine(staged.folder)
        let old = staged.folder.deletingLastPathComponent().appendingPathComponent(".\(staged.folder.lastPathComponent)\(Self.oldMarker)\(getpid())")
        if fm.fileExists(atPath: staged.folder.path) {
            try? fm.removeItem(at: old)
            guard rename(staged.folder.path, old.path) == 0 else {
                throw Git.Failure(arguments: [], message: "cannot move '\(staged.folder.path)' aside: \(String(cString: strerror(errno)))")
            }
        }
        guard rename(temporary.path, staged.folder.path) == 0 else {
            throw Git.Failure(arguments: [], message: "cannot move the new tree into '\(staged.folder.path)': \(String(cString: strerror(errno)))")
        }
        TemporaryFolders.unregister(temporary)
        try? fm.removeItem(at: old)
    }

    /// Removes a staged tree that will not be installed.
    func discard(_ staged: Staged) {
        guard let temporary = staged.temporary else { return }
        try? FileManager.default.removeItem(at: temporary)
        TemporaryFolders.unregister(temporary)
    }
}

/// Temporary folders to remove if manifestc is interrupted.
enum TemporaryFolders {
    nonisolated(unsafe) private static var folders: Set<URL> = []

    static func register(_ url: URL) { folders.insert(url) }
    static func unregister(_ url: URL) { folders.remove(url) }

    static func removeAll() {
        for url in folders { try? FileManager.default.removeItem(at: url) }
        folders.removeAll()
    }
}
