import Foundation

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
}

extension KconfigFileSystem {
    public func isDirectory(_ path: String) -> Bool { false }
    public func entries(of path: String) -> [String] { [] }
    public func resolve(_ path: String) -> String { path }

    /// Whether a regular file exists at `path`.
    public func isFile(_ path: String) -> Bool { contents(of: path) != nil }
}

/// Reads the real disk. Used by the command-line layer; the Planner never creates one itself.
///
/// Only regular files of at most `maxFileBytes` are read: a `source` naming a FIFO or a
/// device (`/dev/zero`) would block or never end.
public struct DiskKconfigFileSystem: KconfigFileSystem {
    public static let maxFileBytes = 16 << 20

    public init() {}

    public func contents(of path: String) -> [UInt8]? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) <= Self.maxFileBytes,
              let data = FileManager.default.contents(atPath: path) else { return nil }
        return [UInt8](data.prefix(Self.maxFileBytes))
    }

    public func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    public func entries(of path: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    }

    public func resolve(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
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

/// Answers `$(shell,…)` calls for the preprocessor. The engine never runs processes itself.
public protocol KconfigShellResolver: Sendable {
    /// The standard output of `command` as `sh -c` would give it, or `nil` when the
    /// command is not supported (the engine then reports it and uses an empty string).
    ///
    /// `fileSystem` lets a resolver create files (for generated Kconfig fragments); it
    /// is the overlay the tree is read through.
    func run(_ command: String, fileSystem: inout InMemoryKconfigFileSystem) -> String?
}

/// A resolver that knows no command: every `$(shell,…)` is reported.
public struct NoShellResolver: KconfigShellResolver {
    public init() {}
    public func run(_ command: String, fileSystem: inout InMemoryKconfigFileSystem) -> String? { nil }
}

/// A resolver backed by a fixed table of command → output, for tests.
public struct TableShellResolver: KconfigShellResolver {
    public var outputs: [String: String]
    public init(_ outputs: [String: String]) { self.outputs = outputs }
    public func run(_ command: String, fileSystem: inout InMemoryKconfigFileSystem) -> String? { outputs[command] }
}
