import FoundationEssentials
import Glibc
import Diagnostics

/// Loaded Kconfig trees kept for reuse, in memory (for one process) and, when `directory` is
/// set, on disk (across processes).
///
/// An entry is keyed by what its load read: the root, the source folder and the shell resolver,
/// the environment variables the macros read (with their values), and every question asked of
/// the file system with its answer (a file's fingerprint: identity, size, times; or a hash). A
/// tree is reused only while all of them are unchanged, so reuse never changes a result.
///
/// The disk form is a file per tree, written atomically (once per process), with a checksum;
/// one that is not ours, too large, corrupt, for another key or written by another build of
/// manifestc is ignored and the tree is parsed again.
public final class KconfigTreeCache: @unchecked Sendable {
    /// The folder of the cache files, or nil for a cache in memory only.
    public let directory: String?
    /// What identifies the program that writes and reads the files (another build may parse differently).
    let producer: String
    private let lock = Lock()
    private var entries: [Entry] = []
    /// Files read ahead (`prefetch`) whose trees are decoding, until a lookup takes them.
    private var reading: [Key: DiskRead] = [:]
    private var counts = Counts()
    /// The files this process wrote: a key whose tree changes from one load to the next (another
    /// app folder each time, in a batch) is written once, not after every parse.
    private var written: Set<String> = []

    /// How many trees one process keeps.
    static let maxEntries = 8
    /// The largest cache file read.
    static let maxFileBytes = 64 << 20
    private static let magic: [UInt8] = Array("MKCT".utf8)
    private static let formatVersion: UInt8 = 1

    /// How trees were obtained: parsed, found in memory, read from disk.
    public struct Counts: Sendable, Equatable {
        public var parsed = 0
        public var memoryHits = 0
        public var diskHits = 0
    }

    /// - Parameters:
    ///   - directory: where cache files live; nil keeps trees in memory only.
    ///   - producer: identifies the program (files written by another are ignored).
    public init(directory: String? = nil, producer: String = "") {
        self.directory = directory
        self.producer = producer
    }

    public var statistics: Counts { lock.withLock { counts } }

    struct Key: Hashable {
        var root: String
        var sourceTree: String
        var shell: String
    }

    /// An environment variable the macros read: its value, or (when it was missing) the
    /// message its absence gave.
    struct EnvironmentRead: Hashable {
        var name: String
        var value: String?
        var gap: String?

        init(name: String, environment: [String: String], gaps: KconfigEnvironmentGaps?) {
            self.name = name
            value = environment[name]
            gap = value == nil ? gaps?.message(for: name) : nil
        }

        init(name: String, value: String?, gap: String?) {
            self.name = name
            self.value = value
            self.gap = gap
        }
    }

    struct Entry {
        var key: Key
        var environment: [EnvironmentRead]
        var reads: [KconfigFileRead]
        var tree: KconfigTree
        var diagnostics: [Diagnostic]

        func holds(environment env: [String: String], gaps: KconfigEnvironmentGaps?, fileSystem: any KconfigFileSystem) -> Bool {
            Self.holds(environment, reads, environment: env, gaps: gaps, fileSystem: fileSystem)
        }

        /// Whether every variable read has the same value and every file question the same answer.
        static func holds(_ environmentReads: [EnvironmentRead], _ reads: [KconfigFileRead], environment: [String: String],
                          gaps: KconfigEnvironmentGaps?, fileSystem: any KconfigFileSystem) -> Bool {
            environmentReads.allSatisfy { $0 == EnvironmentRead(name: $0.name, environment: environment, gaps: gaps) }
                && KconfigFileRead.allHold(reads, in: fileSystem)
        }
    }

    /// A cache file read for a key: its header checked, what its load read decoded, and its tree
    /// decoding on a thread of its own while the caller checks that those reads still hold.
    final class DiskRead: @unchecked Sendable {
        let environment: [EnvironmentRead]
        let reads: [KconfigFileRead]
        private let decoding: ThreadTask<(KconfigStorage, [Diagnostic])?>

        init(environment: [EnvironmentRead], reads: [KconfigFileRead], tree reader: ByteReader) {
            self.environment = environment
            self.reads = reads
            decoding = largeStackTask {
                var r = reader
                guard let result = try? KconfigTreeCodec.decode(from: &r), r.atEnd else { return nil }
                return result
            }
        }

        /// The decoded tree (waiting for it); nil when the file's tree is malformed.
        var tree: (KconfigStorage, [Diagnostic])? { decoding.value }
    }

    // MARK: Lookup and store

    /// Starts reading the file for `key`, its tree decoding on another thread, so that the caller
    /// can work out the environment meanwhile; the lookup for `key` takes it up.
    func prefetch(_ key: Key) {
        guard directory != nil, lock.withLock({ reading[key] == nil && !entries.contains { $0.key == key } }),
              let read = readFile(key) else { return }
        lock.withLock { reading[key] = read }
    }

    func lookup(_ key: Key, environment: [String: String], gaps: KconfigEnvironmentGaps?,
                fileSystem: any KconfigFileSystem) -> (tree: KconfigTree, diagnostics: [Diagnostic])? {
        let candidates = lock.withLock { entries.filter { $0.key == key } }
        if let hit = candidates.last(where: { $0.holds(environment: environment, gaps: gaps, fileSystem: fileSystem) }) {
            lock.withLock { counts.memoryHits += 1 }
            return (hit.tree, hit.diagnostics)
        }
        guard let read = lock.withLock({ reading.removeValue(forKey: key) }) ?? readFile(key) else { return nil }
        // Checked while the tree decodes.
        let holds = Entry.holds(read.environment, read.reads, environment: environment, gaps: gaps, fileSystem: fileSystem)
        guard let (storage, diagnostics) = read.tree, holds else { return nil }
        let entry = Entry(key: key, environment: read.environment, reads: read.reads, tree: KconfigTree(storage: storage), diagnostics: diagnostics)
        remember(entry)
        lock.withLock { counts.diskHits += 1 }
        return (entry.tree, entry.diagnostics)
    }

    func store(_ entry: Entry) {
        lock.withLock { counts.parsed += 1 }
        remember(entry)
        writeFile(entry)
    }

    private func remember(_ entry: Entry) {
        lock.withLock {
            entries.append(entry)
            if entries.count > Self.maxEntries { entries.removeFirst(entries.count - Self.maxEntries) }
        }
    }

    // MARK: Files

    /// One file per tree (root and source folder): it holds the last load written, whatever the
    /// app, build folder or build of manifestc, so the folder does not grow with them.
    func path(for key: Key) -> String? {
        guard let directory else { return nil }
        var w = ByteWriter()
        for part in [key.root, key.sourceTree] { w.string(part) }
        return directory + "/kconfig-" + String(FNV1a.hash(w.bytes), radix: 16) + ".bin"
    }

    /// The file's bytes: header, key, what the load read, the tree, then a checksum of all of it;
    /// nil when the tree nests too deeply to be written.
    func encode(_ entry: Entry) -> [UInt8]? {
        let producer = self.producer
        return withLargeStack {
            var w = ByteWriter()
            for b in Self.magic { w.u8(b) }
            w.u8(Self.formatVersion)
            for part in [producer, entry.key.root, entry.key.sourceTree, entry.key.shell] { w.string(part) }
            w.array(entry.environment) { w, e in
                w.string(e.name)
                w.optional(e.value) { w, v in w.string(v) }
                w.optional(e.gap) { w, g in w.string(g) }
            }
            w.array(entry.reads) { w, r in r.encode(into: &w) }
            guard (try? KconfigTreeCodec.encode(entry.tree.storage, entry.diagnostics, into: &w)) != nil else { return nil }
            w.fixed64(FNV1a.hash(w.bytes))
            return w.bytes
        }
    }

    /// The file in `bytes` when its header is well formed and for `key`, its tree decoding; nil otherwise.
    func startReading(_ bytes: [UInt8], key: Key) -> DiskRead? {
        guard bytes.count > Self.magic.count + 9, bytes.starts(with: Self.magic) else { return nil }
        let bodyEnd = bytes.count - 8
        var tail = ByteReader(bytes, from: bodyEnd)
        guard let checksum = try? tail.fixed64(), checksum == FNV1a.hash(bytes[..<bodyEnd]) else { return nil }
        var r = ByteReader(bytes, from: Self.magic.count, to: bodyEnd)
        do {
            guard try r.u8() == Self.formatVersion, try r.string() == producer,
                  try Key(root: r.string(), sourceTree: r.string(), shell: r.string()) == key else { return nil }
            let env = try r.array { EnvironmentRead(name: try $0.string(), value: try $0.optional { try $0.string() }, gap: try $0.optional { try $0.string() }) }
            let reads = try r.array { try KconfigFileRead.decode(from: &$0) }
            return DiskRead(environment: env, reads: reads, tree: r)
        } catch {
            return nil
        }
    }

    private func readFile(_ key: Key) -> DiskRead? {
        guard let path = path(for: key), let bytes = Self.readOwnFile(path) else { return nil }
        return startReading(bytes, key: key)
    }

    /// The bytes of `path` when it is a regular file (not a link) of this user, at most `maxFileBytes`.
    private static func readOwnFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_uid == getuid(),
              info.st_size > 0, Int(info.st_size) <= maxFileBytes else { return nil }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return nil }
            done += n
        }
        return bytes
    }

    /// Writes the entry's file atomically (a temporary file renamed over it); failures leave the cache as it was.
    private func writeFile(_ entry: Entry) {
        guard let directory, let path = path(for: entry.key), lock.withLock({ written.insert(path).inserted }),
              let bytes = encode(entry) else { return }
        guard (try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                         attributes: [.posixPermissions: 0o700])) != nil else { return }
        var template = Array((directory + "/.kconfig-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return }
        let temporary = String(cString: template)
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            done += n
        }
        close(fd)
        if done != bytes.count || rename(temporary, path) != 0 { unlink(temporary) }
    }
}
