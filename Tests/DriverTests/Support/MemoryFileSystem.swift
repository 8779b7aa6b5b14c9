@testable import Driver
import Foundation

/// An in-memory file system for the output writer: files with modes, folders and symbolic
/// links (followed in the middle of a path, not at its end, as `O_NOFOLLOW` reads do), and a
/// writer lock per folder that another thread waits for.
final class MemoryFileSystem: OutputFileSystem, @unchecked Sendable {
    enum Node: Equatable {
        case file([UInt8], mode: Int)
        case folder
        case link(String)
    }

    private let guardLock = NSCondition()
    private var nodes: [String: Node] = ["/": .folder]
    private var heldLocks: Set<String> = []

    /// The file's text, nil when there is none.
    func text(_ path: String) -> String? {
        guardLock.withLock {
            guard case .file(let bytes, _) = nodes[resolved(path)] else { return nil }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// Every file under `folder`, by path relative to it.
    func files(under folder: String) -> [String: String] {
        guardLock.withLock {
            var out: [String: String] = [:]
            for (path, node) in nodes where path.hasPrefix(folder + "/") {
                if case .file(let bytes, _) = node { out[String(path.dropFirst(folder.count + 1))] = String(decoding: bytes, as: UTF8.self) }
            }
            return out
        }
    }

    func put(_ path: String, _ node: Node) {
        guardLock.withLock {
            var parent = (path as NSString).deletingLastPathComponent
            while parent != "/" && nodes[parent] == nil {
                nodes[parent] = .folder
                parent = (parent as NSString).deletingLastPathComponent
            }
            nodes[path] = node
        }
    }

    /// `path` with the links of its folders followed (not its last component).
    private func resolved(_ path: String) -> String {
        var current = ""
        let parts = path.split(separator: "/").map(String.init)
        for (index, part) in parts.enumerated() {
            current += "/" + part
            if index < parts.count - 1, case .link(let target) = nodes[current] {
                current = target.hasPrefix("/") ? target : (current as NSString).deletingLastPathComponent + "/" + target
            }
        }
        return current.isEmpty ? "/" : (current as NSString).standardizingPath
    }

    func readRegularFile(_ url: URL) throws -> Data? {
        try guardLock.withLock {
            switch nodes[resolved(url.path)] {
            case nil: return nil
            case .file(let bytes, _): return Data(bytes)
            case .folder: throw Confinement.Refusal(description: "'\(url.path)' is a folder, not a regular file")
            case .link: throw Confinement.Refusal(description: "'\(url.path)' is a symbolic link")
            }
        }
    }

    func checkInside(_ relative: String, under root: URL) throws {
        try guardLock.withLock {
            var current = root.path
            for component in relative.split(separator: "/") where component != "." {
                current += "/" + component
                guard let node = nodes[current] else { return }
                guard case .link(let target) = node else { continue }
                let real = target.hasPrefix("/") ? target : (current as NSString).deletingLastPathComponent + "/" + target
                guard (real as NSString).standardizingPath.hasPrefix(root.path + "/") else {
                    throw Confinement.Refusal(description: "'\(current)' is a symbolic link to '\(target)', outside '\(root.path)'")
                }
            }
        }
    }

    func fileExists(_ url: URL) -> Bool { guardLock.withLock { nodes[resolved(url.path)] != nil } }

    func isExecutable(_ url: URL) -> Bool {
        guardLock.withLock {
            guard case .file(_, let mode) = nodes[resolved(url.path)] else { return false }
            return mode & 0o100 != 0
        }
    }

    func createDirectory(_ url: URL) throws {
        try guardLock.withLock {
            var current = ""
            for part in resolved(url.path).split(separator: "/") {
                current += "/" + part
                switch nodes[current] {
                case nil: nodes[current] = .folder
                case .folder: continue
                default: throw WriteError(path: current, reason: "not a folder")
                }
            }
        }
    }

    func writeAtomically(_ bytes: [UInt8], mode: Int, to url: URL) throws {
        try guardLock.withLock {
            let path = resolved(url.path)
            guard nodes[(path as NSString).deletingLastPathComponent] == .folder else { throw WriteError(path: path, reason: "no folder") }
            if nodes[path] == .folder { throw WriteError(path: path, reason: "it is a folder") }
            nodes[path] = .file(bytes, mode: mode)
        }
    }

    func remove(_ url: URL) { guardLock.withLock { nodes[resolved(url.path)] = nil } }

    /// Released when the last reference goes.
    final class Held {
        let release: () -> Void
        init(_ release: @escaping () -> Void) { self.release = release }
        deinit { release() }
    }

    func lock(_ folder: URL, timeout: Double, waiting: () -> Void) throws -> AnyObject {
        guardLock.lock()
        defer { guardLock.unlock() }
        if heldLocks.contains(folder.path) {
            waiting()
            let deadline = Date().addingTimeInterval(timeout)
            while heldLocks.contains(folder.path) {
                if !guardLock.wait(until: deadline) { throw WriteError(path: folder.path, reason: "locked") }
            }
        }
        heldLocks.insert(folder.path)
        return Held { [self] in
            guardLock.withLock {
                heldLocks.remove(folder.path)
                guardLock.broadcast()
            }
        }
    }

    /// Writes here are atomic in one step: they leave no temporary files.
    func removeAbandonedTemporaries(in folder: URL) {}
}

/// A file system that hands every call to `base` unless it says otherwise.
protocol ForwardingFileSystem: OutputFileSystem {
    var base: any OutputFileSystem { get }
}

extension ForwardingFileSystem {
    func readRegularFile(_ url: URL) throws -> Data? { try base.readRegularFile(url) }
    func checkInside(_ relative: String, under root: URL) throws { try base.checkInside(relative, under: root) }
    func fileExists(_ url: URL) -> Bool { base.fileExists(url) }
    func isExecutable(_ url: URL) -> Bool { base.isExecutable(url) }
    func createDirectory(_ url: URL) throws { try base.createDirectory(url) }
    func writeAtomically(_ bytes: [UInt8], mode: Int, to url: URL) throws { try base.writeAtomically(bytes, mode: mode, to: url) }
    func remove(_ url: URL) { base.remove(url) }
    func lock(_ folder: URL, timeout: Double, waiting: () -> Void) throws -> AnyObject { try base.lock(folder, timeout: timeout, waiting: waiting) }
    func removeAbandonedTemporaries(in folder: URL) { base.removeAbandonedTemporaries(in: folder) }
}

/// A file system that dies (every change fails) after `budget` changes: a writer killed at that moment.
final class KilledFileSystem: ForwardingFileSystem, @unchecked Sendable {
    struct Killed: Error {}
    let base: any OutputFileSystem
    private var budget: Int

    init(_ base: any OutputFileSystem, after budget: Int) {
        self.base = base
        self.budget = budget
    }

    private func change() throws {
        if budget <= 0 { throw Killed() }
        budget -= 1
    }

    func writeAtomically(_ bytes: [UInt8], mode: Int, to url: URL) throws {
        try change()
        try base.writeAtomically(bytes, mode: mode, to: url)
    }

    func remove(_ url: URL) {
        guard (try? change()) != nil else { return }
        base.remove(url)
    }
}

/// The disk, with a pause before every file written and a call when the first write starts:
/// a slow writer that another one must wait for.
final class SlowFileSystem: ForwardingFileSystem, @unchecked Sendable {
    let base: any OutputFileSystem = DiskOutputFileSystem()
    let pause: UInt32
    private var started: (() -> Void)?

    init(pause microseconds: UInt32, started: @escaping () -> Void) {
        pause = microseconds
        self.started = started
    }

    func writeAtomically(_ bytes: [UInt8], mode: Int, to url: URL) throws {
        if let started { self.started = nil; started() }
        usleep(pause)
        try base.writeAtomically(bytes, mode: mode, to: url)
    }
}
