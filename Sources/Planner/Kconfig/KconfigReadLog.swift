import Diagnostics
import FoundationEssentials

/// One question a tree's load asked its file system, with the answer it got. A cached tree is
/// valid while every one of them still gets the same answer.
enum KconfigFileRead: Hashable {
    case contents(String, fingerprint: String?)
    case isFile(String, Bool)
    case isDirectory(String, Bool)
    case entries(String, [String])
    case resolve(String, String)

    /// Whether `fileSystem` answers every question of `reads` as it was answered. The paths are
    /// resolved together (`resolveAll`); a file's fingerprint answers whether it is a file too
    /// (there is one exactly when there is a file), so that question is not asked again.
    static func allHold(_ reads: [KconfigFileRead], in fileSystem: any KconfigFileSystem) -> Bool {
        var fingerprinted: [String: Bool] = [:]
        for case .contents(let path, let fingerprint) in reads { fingerprinted[path] = fingerprint != nil }
        var resolved: [(path: String, answer: String)] = []
        for read in reads {
            let holds: Bool
            switch read {
            case .contents(let path, let fingerprint): holds = fileSystem.fingerprint(of: path) == fingerprint
            case .isFile(let path, let answer): holds = fingerprinted[path] == answer || fileSystem.isFile(path) == answer
            case .isDirectory(let path, let answer): holds = fileSystem.isDirectory(path) == answer
            case .entries(let path, let names): holds = fileSystem.entries(of: path).sorted() == names
            case .resolve(let path, let answer): resolved.append((path, answer)); holds = true
            }
            guard holds else { return false }
        }
        return fileSystem.resolveAll(resolved.map(\.path)) == resolved.map(\.answer)
    }

    func encode(into w: inout ByteWriter) {
        switch self {
        case .contents(let path, let fingerprint): w.u8(0); w.string(path); w.optional(fingerprint) { w, f in w.string(f) }
        case .isFile(let path, let answer): w.u8(1); w.string(path); w.bool(answer)
        case .isDirectory(let path, let answer): w.u8(2); w.string(path); w.bool(answer)
        case .entries(let path, let names): w.u8(3); w.string(path); w.array(names) { w, n in w.string(n) }
        case .resolve(let path, let resolved): w.u8(4); w.string(path); w.string(resolved)
        }
    }

    static func decode(from r: inout ByteReader) throws -> KconfigFileRead {
        let tag = try r.u8()
        let path = try r.string()
        switch tag {
        case 0: return .contents(path, fingerprint: try r.optional { try $0.string() })
        case 1: return .isFile(path, try r.bool())
        case 2: return .isDirectory(path, try r.bool())
        case 3: return .entries(path, try r.array { try $0.string() })
        case 4: return .resolve(path, try r.string())
        default: throw ByteReader.Malformed()
        }
    }
}

/// The questions one load asked, each once, in order.
final class KconfigReadLog: @unchecked Sendable {
    private let lock = Lock()
    private var asked: Set<String> = []
    private var list: [KconfigFileRead] = []

    var reads: [KconfigFileRead] { lock.withLock { list } }

    func record(_ question: String, _ answer: () -> KconfigFileRead) {
        guard lock.withLock({ asked.insert(question).inserted }) else { return }
        let read = answer()
        lock.withLock { list.append(read) }
    }
}

/// A file system that notes every question asked of `base` (for the tree cache).
struct RecordingKconfigFileSystem: KconfigFileSystem {
    let base: any KconfigFileSystem
    let log: KconfigReadLog

    func contents(of path: String) -> [UInt8]? {
        // The fingerprint is taken before the bytes: a file changed in between is seen as changed.
        log.record("c" + path) { .contents(path, fingerprint: base.fingerprint(of: path)) }
        return base.contents(of: path)
    }

    func fingerprint(of path: String) -> String? {
        log.record("c" + path) { .contents(path, fingerprint: base.fingerprint(of: path)) }
        return base.fingerprint(of: path)
    }

    func isFile(_ path: String) -> Bool {
        let answer = base.isFile(path)
        log.record("f" + path) { .isFile(path, answer) }
        return answer
    }

    func isDirectory(_ path: String) -> Bool {
        let answer = base.isDirectory(path)
        log.record("d" + path) { .isDirectory(path, answer) }
        return answer
    }

    func entries(of path: String) -> [String] {
        let names = base.entries(of: path)
        log.record("e" + path) { .entries(path, names.sorted()) }
        return names
    }

    func resolve(_ path: String) -> String {
        let resolved = base.resolve(path)
        log.record("r" + path) { .resolve(path, resolved) }
        return resolved
    }
}
