import FoundationEssentials
import Glibc

/// The only way the Kconfig engine reads files.
///
/// Paths are plain strings as Kconfig writes them (absolute, or relative to the
/// tree's source directory). Implementations decide what a path means.
public protocol KconfigFileSystem: Sendable {
    /// The bytes of the regular file at `path`, or `nil` when there is none.
    func contents(of path: String) -> [UInt8]?
    /// Whether `path` names a directory.
    func isDirectory(_ path: String) -> Bool
    /// The names (not paths) of the entries of the directory at `path`, unsorted; empty when it is not a directory.
    func entries(of path: String) -> [String]
    /// `path` with symbolic links resolved (like `readlink -f`); the path itself when nothing is to resolve.
    func resolve(_ path: String) -> String
    /// `resolve` of each path, at one moment (a cache checks many paths of one tree at once).
    func resolveAll(_ paths: [String]) -> [String]
    /// Whether `contents(of: path)` would give bytes (without reading them, where that is cheaper).
    func isFile(_ path: String) -> Bool
    /// A text that changes whenever `contents(of: path)` does (the file's identity, size and times, or a
    /// hash of its bytes); nil exactly when `isFile(path)` is false. Caches of what was read compare it.
    func fingerprint(of path: String) -> String?
}

extension KconfigFileSystem {
    public func isDirectory(_ path: String) -> Bool { false }
    public func entries(of path: String) -> [String] { [] }
    public func resolve(_ path: String) -> String { path }
    public func resolveAll(_ paths: [String]) -> [String] { paths.map(resolve) }
    public func isFile(_ path: String) -> Bool { contents(of: path) != nil }
    public func fingerprint(of path: String) -> String? { contents(of: path).map(contentFingerprint) }
}

/// The size and a 64-bit FNV-1a hash of `bytes`: the same in every process (unlike `Hasher`).
func contentFingerprint(_ bytes: [UInt8]) -> String {
    "\(bytes.count):" + String(FNV1a.hash(bytes), radix: 16)
}

/// 64-bit FNV-1a, for fingerprints and checksums that must not change between processes.
enum FNV1a {
    static func hash(_ bytes: some Sequence<UInt8>, into start: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
        var h = start
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }
}

/// Reads the real disk. Used by the command-line layer; the Planner never creates one itself.
///
/// Only regular files of at most `maxFileBytes` are read: a `source` naming a FIFO or a
/// device (`/dev/zero`) would block or never end.
public struct DiskKconfigFileSystem: KconfigFileSystem {
    public static let maxFileBytes = 16 << 20

    public init() {}

    public func contents(of path: String) -> [UInt8]? {
        // O_NONBLOCK: opening a FIFO does not wait for a writer; fstat then refuses it.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) <= Self.maxFileBytes else { return nil }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: max(Int(info.st_size) + 1, 4096))
        while bytes.count <= Self.maxFileBytes {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { return nil }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[..<n])
        }
        return Array(bytes.prefix(Self.maxFileBytes))
    }

    private func regularFile(_ path: String) -> stat? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) <= Self.maxFileBytes else { return nil }
        return info
    }

    public func isFile(_ path: String) -> Bool { regularFile(path) != nil }

    /// Device, inode, size, modification and change times.
    public func fingerprint(of path: String) -> String? {
        regularFile(path).map(Self.identity)
    }

    /// The fingerprint of the regular file at `path` whatever its size (a program's own, for instance).
    public static func identity(of path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return identity(info)
    }

    private static func identity(_ s: stat) -> String {
        "\(s.st_dev):\(s.st_ino):\(s.st_size):\(s.st_mtim.tv_sec).\(s.st_mtim.tv_nsec):\(s.st_ctim.tv_sec).\(s.st_ctim.tv_nsec)"
    }

    public func isDirectory(_ path: String) -> Bool {
        var isDir = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir
    }

    public func entries(of path: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    }

    public func resolve(_ path: String) -> String { Self.realPath(path) ?? path }

    /// `realpath(3)`, nil when a component is missing (or a link loops).
    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Resolves each folder once: a tree's files share their folders' ancestors, and `realpath` reads
    /// every component of every path. A normalized absolute path whose components are folders and
    /// whose last is no link is its resolved folder plus its name, which is what `realpath` gives;
    /// any other path (a link, a gap, `..`) is resolved whole, by `realpath`.
    public func resolveAll(_ paths: [String]) -> [String] {
        var folders: [Substring: String?] = ["": ""]   // "" is "/"; a folder's answer has no trailing "/"
        func resolvedFolder(_ folder: Substring) -> String? {
            if let known = folders[folder] { return known }
            var info = stat()
            let slash = folder.lastIndex(of: "/")!
            var answer: String?
            if let parent = resolvedFolder(folder[..<slash]), lstat(String(folder), &info) == 0 {
                switch info.st_mode & S_IFMT {
                case S_IFDIR: answer = parent + folder[slash...]
                case S_IFLNK: answer = Self.realPath(String(folder)).map { $0 == "/" ? "" : $0 }
                default: answer = nil
                }
            }
            folders[folder] = .some(answer)
            return answer
        }
        return paths.map { path in
            var info = stat()
            guard path.hasPrefix("/"), path != "/", isNormalized(path), let slash = path.lastIndex(of: "/"),
                  let folder = resolvedFolder(path[..<slash]), lstat(path, &info) == 0, (info.st_mode & S_IFMT) != S_IFLNK else {
                return resolve(path)
            }
            return folder + path[slash...]
        }
    }
}

/// Files held in memory: for tests, and for generated files layered over another file system.
public struct InMemoryKconfigFileSystem: KconfigFileSystem {
    /// Path → contents. Directories are implied by the paths of their files.
    public var files: [String: [UInt8]]
    /// Files not found here are looked up in `fallback`.
    public var fallback: (any KconfigFileSystem)?

    public init(files: [String: String] = [:], fallback: (any KconfigFileSystem)? = nil) {
        self.files = files.mapValues { Array($0.utf8) }
        self.fallback = fallback
    }

    /// Adds or replaces a file.
    public mutating func write(_ path: String, _ text: String) { files[path] = Array(text.utf8) }

    public func contents(of path: String) -> [UInt8]? {
        files[normalizePath(path)] ?? fallback?.contents(of: path)
    }

    public func isFile(_ path: String) -> Bool {
        files[normalizePath(path)] != nil || fallback?.isFile(path) == true
    }

    public func fingerprint(of path: String) -> String? {
        files[normalizePath(path)].map(contentFingerprint) ?? fallback?.fingerprint(of: path)
    }

    public func isDirectory(_ path: String) -> Bool {
        let prefix = normalizePath(path) + "/"
        if files.keys.contains(where: { $0.hasPrefix(prefix) }) { return true }
        return fallback?.isDirectory(path) ?? false
    }

    public func entries(of path: String) -> [String] {
        let prefix = normalizePath(path) + "/"
        var names = Set<String>()
        for key in files.keys where key.hasPrefix(prefix) {
            let rest = key.dropFirst(prefix.count)
            if let first = rest.split(separator: "/", omittingEmptySubsequences: true).first {
                names.insert(String(first))
            }
        }
        if let fallback { names.formUnion(fallback.entries(of: path)) }
        return Array(names)
    }

    public func resolve(_ path: String) -> String {
        let normalized = normalizePath(path)
        if files[normalized] != nil { return normalized }
        return fallback?.resolve(path) ?? normalized
    }
}

/// Removes `.` components, repeated and trailing slashes, and folds `..` lexically.
public func normalizePath(_ path: String) -> String {
    if isNormalized(path) { return path }
    let absolute = path.hasPrefix("/")
    var parts: [Substring] = []
    for part in path.split(separator: "/", omittingEmptySubsequences: true) {
        if part == "." { continue }
        if part == "..", let last = parts.last, last != ".." { parts.removeLast(); continue }
        if part == "..", absolute { continue }
        parts.append(part)
    }
    let joined = parts.joined(separator: "/")
    return absolute ? "/" + joined : (joined.isEmpty ? "." : joined)
}

/// Whether `normalizePath` would return `path` unchanged: no empty, `.` or `..` component, no
/// trailing slash (the common case, checked without splitting).
private func isNormalized(_ path: String) -> Bool {
    if path == "/" { return true }
    var length = 0, dots = 0, first = true
    for c in path.utf8 {
        if c == UInt8(ascii: "/") {
            if length == 0 && !first { return false }
            if length > 0 && dots == length && length <= 2 { return false }
            length = 0
            dots = 0
        } else {
            length += 1
            if c == UInt8(ascii: ".") { dots += 1 }
        }
        first = false
    }
    return length > 0 && !(dots == length && length <= 2)
}

/// Answers `$(shell,…)` calls for the preprocessor. The engine never runs processes itself.
public protocol KconfigShellResolver: Sendable {
    /// The standard output of `command` as `sh -c` would give it, or `nil` when the
    /// command is not supported (the engine then reports it and uses an empty string).
    ///
    /// `fileSystem` lets a resolver create files (for generated Kconfig fragments); it
    /// is the overlay the tree is read through.
    func run(_ command: String, fileSystem: inout InMemoryKconfigFileSystem) -> String?
    /// A text that tells this resolver's answers apart from another's (its settings); nil when
    /// they cannot be told apart, and then trees loaded with it are not cached.
    var cacheKey: String? { get }
}

extension KconfigShellResolver {
    public var cacheKey: String? { nil }
}

/// A resolver that knows no command: every `$(shell,…)` is reported.
public struct NoShellResolver: KconfigShellResolver {
    public init() {}
    public func run(_ command: String, fileSystem: inout InMemoryKconfigFileSystem) -> String? { nil }
    public var cacheKey: String? { "none" }
}

/// A resolver backed by a fixed table of command → output, for tests.
public struct TableShellResolver: KconfigShellResolver {
    public var outputs: [String: String]
    public init(_ outputs: [String: String]) { self.outputs = outputs }
    public func run(_ command: String, fileSystem: inout InMemoryKconfigFileSystem) -> String? { outputs[command] }
    public var cacheKey: String? {
        var w = ByteWriter()
        for (command, output) in outputs.sorted(by: { $0.key < $1.key }) { w.string(command); w.string(output) }
        return "table:" + String(FNV1a.hash(w.bytes), radix: 16)
    }
}
