import FoundationEssentials
import Glibc

/// Where manifestc may write and read. Every file it creates, replaces or deletes lies inside
/// its root (the output folder, the workspace), reached without following a symbolic link out
/// of it; every input it reads on its own (a discovered manifest, `.env`, `kraft.lock`, a
/// template, a local source) lies inside the repository or a path the command line names.
enum Confinement {
    /// A path that leaves its root through a symbolic link, or an input that is not a plain file.
    struct Refusal: Error, CustomStringConvertible {
        var description: String
    }

    /// The real path of `url` (symbolic links resolved), or nil when it does not exist.
    static func realPath(_ url: URL) -> String? {
        guard let resolved = realpath(url.path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Whether `path` (a real path) is `root` or lies inside it.
    static func path(_ path: String, isInside root: String) -> Bool {
        path == root || path.hasPrefix(root.hasSuffix("/") ? root : root + "/")
    }

    /// Checks the existing components of `relative` under `root`: none may be a symbolic link
    /// that leads out of `root` (or nowhere). A missing component ends the check: what does
    /// not exist yet is created by manifestc, as a folder, never through a link.
    static func checkInside(_ relative: String, under root: URL) throws {
        guard let rootReal = realPath(root) else { return }
        var current = root
        for component in relative.split(separator: "/") where component != "." {
            current = current.appendingPathComponent(String(component))
            var info = stat()
            guard lstat(current.path, &info) == 0 else { return }
            guard info.st_mode & S_IFMT == S_IFLNK else { continue }
            let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: current.path)) ?? "?"
            guard let real = realPath(current), path(real, isInside: rootReal) else {
                throw Refusal(description: "'\(current.path)' is a symbolic link to '\(target)', outside '\(root.path)'; manifestc does not write or delete through it: remove the link, or make it a folder")
            }
        }
    }

    /// The kind of a file system object, for messages; nil for a regular file.
    static func irregularKind(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: nil
        case S_IFDIR: "a folder"
        case S_IFLNK: "a symbolic link"
        case S_IFIFO: "a FIFO"
        case S_IFCHR, S_IFBLK: "a device"
        case S_IFSOCK: "a socket"
        default: "not a regular file"
        }
    }

    /// Reads a regular file without following a symbolic link in its last component and
    /// without blocking on a FIFO: nil when it does not exist; throws when it is a link, a
    /// FIFO, a device or a folder.
    static func readRegularFile(_ url: URL) throws -> Data? {
        let fd = open(url.path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            if errno == ELOOP { throw Refusal(description: "'\(url.path)' is a symbolic link") }
            throw Refusal(description: "'\(url.path)' cannot be read: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Refusal(description: "'\(url.path)' cannot be read: \(String(cString: strerror(errno)))") }
        if let kind = irregularKind(info.st_mode) { throw Refusal(description: "'\(url.path)' is \(kind), not a regular file") }
        guard let bytes = FileDescriptorIO.readToEnd(fd) else { throw Refusal(description: "'\(url.path)' cannot be read: \(String(cString: strerror(errno)))") }
        return Data(bytes)
    }
}

/// The places manifestc reads on its own: the repository holding the manifest (the git top
/// level, else the manifest's folder), the paths named on the command line, and those
/// `--allow-outside` allows. A symbolic link that leads elsewhere, and anything that is not a
/// plain file (a FIFO would hang, `/proc` files hold secrets), is refused.
package struct ReadScope {
    /// Real paths of the allowed folders and files.
    let roots: [String]
    /// The repository (real path), for messages.
    let repository: String

    init(manifestFolder: URL, named: [String] = [], allowed: [String] = []) {
        let folder = Confinement.realPath(manifestFolder) ?? manifestFolder.standardizedFileURL.path
        repository = Self.repository(of: folder)
        roots = [repository] + (named + allowed).map { path in
            let url = URL(fileURLWithPath: PathText.expandingTilde(path))
            return Confinement.realPath(url) ?? url.standardizedFileURL.path
        }
    }

    /// The git top level holding `folder` (a real path), else `folder` itself.
    static func repository(of folder: String) -> String {
        var current = URL(fileURLWithPath: folder)
        while true {
            if FileManager.default.fileExists(atPath: current.appendingPathComponent(".git").path) { return current.path }
            let parent = current.deletingLastPathComponent()
            if parent.path == current.path { return folder }
            current = parent
        }
    }

    /// `url` with the symbolic links of its longest existing part resolved (the rest, which
    /// does not exist yet, appended as written).
    static func resolved(_ url: URL) -> String {
        var existing = url.standardizedFileURL
        var rest: [String] = []
        while Confinement.realPath(existing) == nil, existing.path != "/" {
            rest.insert(existing.lastPathComponent, at: 0)
            existing = existing.deletingLastPathComponent()
        }
        let base = Confinement.realPath(existing) ?? existing.path
        return rest.isEmpty ? base : URL(fileURLWithPath: base).appendingPathComponent(rest.joined(separator: "/")).standardizedFileURL.path
    }

    /// Whether `url`, with its symbolic links resolved, lies inside an allowed place.
    func allows(_ url: URL) -> Bool {
        let real = Self.resolved(url)
        return roots.contains { Confinement.path(real, isInside: $0) }
    }

    /// Why a host path the launch files hand to the guest is refused (as the planner's
    /// `hostPathRefusal` wants it): `path` is relative to `output` unless absolute or `~/…`.
    func hostPathRefusal(_ path: String, output: URL) -> String? {
        let expanded = PathText.expandingTilde(path)
        let url = expanded.hasPrefix("/") ? URL(fileURLWithPath: expanded) : output.appendingPathComponent(expanded)
        guard !allows(url) else { return nil }
        return "leads to '\(Self.resolved(url))', outside the repository '\(repository)'"
    }

    /// Whether a host path the launch files hand to the guest exists (as the planner's
    /// `hostPathExists` wants it): `path` is relative to `output` unless absolute or `~/…`.
    static func hostPathExists(_ path: String, output: URL) -> Bool {
        let expanded = PathText.expandingTilde(path)
        // Lexically: the output folder may not exist yet (`-o new`, `--dry-run`).
        let url = expanded.hasPrefix("/") ? URL(fileURLWithPath: expanded) : output.appendingPathComponent(expanded)
        return FileManager.default.fileExists(atPath: url.standardizedFileURL.path)
    }

    /// Why reading `url` is refused, or nil: it resolves outside every allowed place.
    func refusal(_ url: URL, what: String) -> Confinement.Refusal? {
        guard !allows(url) else { return nil }
        let real = Self.resolved(url)
        return Confinement.Refusal(description: "\(what) '\(url.path)' leads to '\(real)', outside the repository '\(repository)'; manifestc reads nothing outside it unless allowed: pass --allow-outside '\(real)' if you trust it")
    }

    /// The contents of an input file manifestc found on its own (not named on the command
    /// line): nil when it does not exist; throws when it leads outside or is not a plain file.
    package func read(_ url: URL, what: String) throws -> Data? {
        var info = stat()
        guard stat(url.path, &info) == 0 else { return nil }
        if let refusal = refusal(url, what: what) { throw refusal }
        if let kind = Confinement.irregularKind(info.st_mode) {
            throw Confinement.Refusal(description: "\(what) '\(url.path)' is \(kind), not a regular file; manifestc reads it only when named on the command line")
        }
        let real = Confinement.realPath(url).map { URL(fileURLWithPath: $0) } ?? url
        return try Confinement.readRegularFile(real)
    }
}
