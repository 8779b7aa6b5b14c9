import Diagnostics
import FoundationEssentials
import Glibc

/// Whether `git ls-files -m` lists anything in a checkout, decided as git decides it without
/// starting git: `.git/index` (versions 2, 3 and 4, its checksum verified, optional extensions
/// skipped) and, per entry, git's `ie_modified`: the file's `lstat` data against the entry's,
/// and where git looks at the content (same size but other stat data, a racily clean entry, a
/// smudged size) the file hashed as a blob. A missing file is listed (as git lists deleted
/// files), skip-worktree entries are not looked at, assume-unchanged entries count as
/// unchanged, a submodule compares its `HEAD`.
///
/// It reads only files inside the checkout and its `.git` folder, never through a symbolic
/// link (a link is hashed by its target text, a folder that is a link is left to git), bounded
/// in index size, entries and bytes hashed. Whatever it cannot decide exactly as git (a `.git`
/// file, a split or sparse index, an unmerged entry, sha256, attributes or `core.autocrlf`
/// when a file must be hashed, a result that depends on how git was built) is `undecided`.
struct GitIndexReader {
    enum Answer: Equatable {
        case modified(Bool)
        case undecided(String)
    }

    var environment: [String: String]
    var userID: uid_t = geteuid()

    /// The configuration keys (section `core`) the comparison depends on.
    static let coreKeys: Set<String> = ["filemode", "symlinks", "trustctime", "checkstat", "autocrlf", "attributesfile", "bare", "worktree"]
    static let indexLimit = 256 << 20
    static let entryLimit = 1_000_000
    /// The most bytes hashed in one answer.
    static let hashLimit = 1 << 30

    private typealias Undecided = GitHeadReader.Undecided

    func read(checkout folder: String) -> Answer {
        do {
            return .modified(try anyModified(folder))
        } catch let undecided as Undecided {
            return .undecided(undecided.reason)
        } catch {
            return .undecided(ErrorText.describe(error))
        }
    }

    private func anyModified(_ folder: String) throws -> Bool {
        let head = GitHeadReader(environment: environment, userID: userID)
        if let name = (GitHeadReader.relocatingVariables + ["GIT_INDEX_FILE"]).first(where: { environment[$0] != nil }) {
            throw Undecided(reason: "\(name) is set")
        }
        let (gitDir, gitFile) = try head.locateGitDirectory(folder)
        guard gitFile == nil else { throw Undecided(reason: ".git is a file") }
        try head.checkOwner(folder)
        try head.checkOwner(gitDir)
        guard try head.readFile(gitDir + "/commondir", limit: GitHeadReader.smallFileLimit, followLinks: false) == nil else {
            throw Undecided(reason: "a commondir")
        }
        let settings = try Settings(head.configurations(gitDir), environment: environment, gitDir: gitDir)
        guard let bytes = try head.readBytes(gitDir + "/index", limit: Self.indexLimit, followLinks: false) else { return false }
        var indexStat = stat()
        guard lstat(gitDir + "/index", &indexStat) == 0 else { throw Undecided(reason: "the index moved") }
        // The checksum is computed while the entries are read and compared; no answer without it.
        let checksum = ThreadTask { GitIndex.checksumHolds(bytes) }
        let index = try GitIndex(bytes)
        var worktree = GitWorktree(root: folder, settings: settings, environment: environment, hasAttributes: index.hasAttributes,
                                indexTime: (Int64(indexStat.st_mtim.tv_sec), Int64(indexStat.st_mtim.tv_nsec)))
        // Two halves compared at once (each entry is an lstat, and a checkout has thousands),
        // their answers taken in the order one loop over the entries would give them.
        let half = index.entries.count / 2
        let secondHalf = worktree
        let later = ThreadTask { () -> Result<Bool, Error> in
            var worktree = secondHalf
            return Result { try index.entries[half...].contains { try worktree.listed($0) } }
        }
        let modified = try index.entries[..<half].contains(where: { try worktree.listed($0) }) || later.value.get()
        guard checksum.value else { throw Undecided(reason: "the index checksum") }
        return modified
    }

    /// The settings git's comparison reads.
    struct Settings {
        var trustExecutableBit = true
        var hasSymlinks = true
        var trustCtime = true
        var checkStat = true
        /// Hashing a file could go through a conversion (attributes, `core.autocrlf`).
        var mayConvert = false

        init(_ configurations: [GitConfigScan], environment: [String: String], gitDir: String) throws {
            var core: [String: String] = [:]
            for config in configurations { core.merge(config.core) { $1 } }
            func flag(_ key: String, _ fallback: Bool) throws -> Bool {
                guard let raw = core[key]?.lowercased() else { return fallback }
                if ["true", "yes", "on", "1"].contains(raw) { return true }
                if ["false", "no", "off", "0", ""].contains(raw) { return false }
                throw Undecided(reason: "core.\(key) '\(raw)'")
            }
            trustExecutableBit = try flag("filemode", true)
            hasSymlinks = try flag("symlinks", true)
            trustCtime = try flag("trustctime", true)
            switch core["checkstat"]?.lowercased() {
            case nil, "default": checkStat = true
            case "minimal": checkStat = false
            case let other?: throw Undecided(reason: "core.checkStat '\(other)'")
            }
            if try flag("bare", false) { throw Undecided(reason: "a bare repository") }
            if core["worktree"] != nil { throw Undecided(reason: "core.worktree") }
            let autocrlf = core["autocrlf"]?.lowercased()
            let home = environment["HOME"]
            let xdg = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 + "/git/attributes" } ?? home.map { $0 + "/.config/git/attributes" }
            let attributeFiles = [gitDir + "/info/attributes", "/etc/gitattributes", xdg].compactMap { $0 }
            mayConvert = (autocrlf != nil && autocrlf != "input" ? try flag("autocrlf", false) : autocrlf == "input")
                || core["attributesfile"] != nil
                || attributeFiles.contains { FileManager.default.fileExists(atPath: $0) }
        }
    }
}

/// One entry of the index: what `ie_modified` compares.
struct GitIndexEntry {
    var ctime: (sec: UInt32, nsec: UInt32)
    var mtime: (sec: UInt32, nsec: UInt32)
    var dev: UInt32, ino: UInt32, mode: UInt32, uid: UInt32, gid: UInt32, size: UInt32
    var oid: [UInt8]
    var assumeValid: Bool
    var skipWorktree: Bool
    var intentToAdd: Bool
    /// The path in the checkout, as bytes (git does not require UTF-8).
    var name: [UInt8]
    var path: String { String(decoding: name, as: UTF8.self) }
}

/// `.git/index` as git's `do_read_index` reads it, or `undecided` for anything it would not
/// read the same way (the checksum, an unknown version or flag, a required extension).
struct GitIndex {
    var entries: [GitIndexEntry] = []
    /// Whether an entry is a `.gitattributes` file.
    var hasAttributes = false

    private typealias Undecided = GitHeadReader.Undecided

    /// Whether the index ends with the SHA-1 of what comes before, as git checks it on reading.
    static func checksumHolds(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 20 && SHA1.digest(bytes[..<(bytes.count - 20)]).elementsEqual(bytes[(bytes.count - 20)...])
    }

    /// The entries of `bytes` (its checksum is `checksumHolds`' to check).
    init(_ bytes: [UInt8]) throws {
        guard bytes.count >= 32, bytes[0..<4].elementsEqual("DIRC".utf8) else { throw Undecided(reason: "not an index") }
        let end = bytes.count - 20
        func u32(_ at: Int) throws -> UInt32 {
            guard at + 4 <= end else { throw Undecided(reason: "a truncated index") }
            return bytes[at..<at + 4].reduce(0) { $0 << 8 | UInt32($1) }
        }
        func u16(_ at: Int) throws -> UInt16 {
            guard at + 2 <= end else { throw Undecided(reason: "a truncated index") }
            return UInt16(bytes[at]) << 8 | UInt16(bytes[at + 1])
        }
        let version = try u32(4)
        guard (2...4).contains(version) else { throw Undecided(reason: "index version \(version)") }
        let count = Int(try u32(8))
        guard count <= GitIndexReader.entryLimit else { throw Undecided(reason: "too many index entries") }
        entries.reserveCapacity(count)
        var offset = 12
        var previous: [UInt8] = []
        for _ in 0..<count {
            let start = offset
            let flags = try u16(offset + 60)
            let extended = flags & 0x4000 != 0
            var extra: UInt16 = 0
            if extended {
                guard version >= 3 else { throw Undecided(reason: "an extended entry in a version 2 index") }
                extra = try u16(offset + 62)
                guard extra & ~0x6000 == 0 else { throw Undecided(reason: "unknown index entry flags") }
            }
            guard flags & 0x3000 == 0 else { throw Undecided(reason: "an unmerged entry") }
            let nameStart = offset + (extended ? 64 : 62)
            var length = Int(flags & 0x0FFF)
            var name: [UInt8]
            if version == 4 {
                var p = nameStart
                guard p < end else { throw Undecided(reason: "a truncated index") }
                var c = bytes[p]; p += 1
                var strip = Int(c & 127)
                while c & 128 != 0 {
                    guard p < end, strip < 1 << 40 else { throw Undecided(reason: "a bad name prefix") }
                    c = bytes[p]; p += 1
                    strip = ((strip + 1) << 7) + Int(c & 127)
                }
                guard strip <= previous.count, let nul = bytes[p..<end].firstIndex(of: 0) else { throw Undecided(reason: "a bad name prefix") }
                name = Array(previous.dropLast(strip)) + bytes[p..<nul]
                guard length == 0x0FFF || length == name.count else { throw Undecided(reason: "a name length") }
                length = name.count
                offset = nul + 1
            } else {
                guard let nul = bytes[nameStart..<end].firstIndex(of: 0), length == 0x0FFF || nul - nameStart == length else {
                    throw Undecided(reason: "a name length")
                }
                length = nul - nameStart
                name = Array(bytes[nameStart..<nul])
                offset = start + ((nameStart - start + length + 8) & ~7)
                guard offset <= end else { throw Undecided(reason: "a truncated index") }
            }
            let field = { (i: Int) in try u32(start + 4 * i) }
            let mode = try field(6)
            guard [0o100644, 0o100755, 0o120000, 0o160000].contains(mode) else { throw Undecided(reason: "index mode \(String(mode, radix: 8))") }
            guard Self.isPlainPath(name) else { throw Undecided(reason: "an index path git may read otherwise") }
            let attributes = ".gitattributes".utf8
            hasAttributes = hasAttributes || name.count >= attributes.count && name.suffix(attributes.count).elementsEqual(attributes)
                && (name.count == attributes.count || name[name.count - attributes.count - 1] == 0x2F)
            entries.append(GitIndexEntry(ctime: (try field(0), try field(1)), mtime: (try field(2), try field(3)), dev: try field(4), ino: try field(5),
                                         mode: mode, uid: try field(7), gid: try field(8), size: try field(9),
                                         oid: Array(bytes[start + 40..<start + 60]), assumeValid: flags & 0x8000 != 0,
                                         skipWorktree: extra & 0x4000 != 0, intentToAdd: extra & 0x2000 != 0, name: name))
            previous = name
        }
        // Extensions: an upper-case signature is optional (skipped), any other is required.
        while offset < end {
            guard offset + 8 <= end else { throw Undecided(reason: "a truncated extension") }
            let size = Int(try u32(offset + 4))
            let signature = String(decoding: bytes[offset..<offset + 4], as: UTF8.self)
            guard (0x41...0x5A).contains(bytes[offset]) else { throw Undecided(reason: "the index extension '\(signature)'") }
            guard signature != "FSMN" else { throw Undecided(reason: "an fsmonitor index") }
            guard size <= end - offset - 8 else { throw Undecided(reason: "a truncated extension") }
            offset += 8 + size
        }
    }

    /// A relative path of plain components: none empty, `.`, `..` or `.git` (in any case).
    static func isPlainPath(_ name: [UInt8]) -> Bool {
        var start = 0
        for i in 0...name.count where i == name.count || name[i] == 0x2F {
            let part = name[start..<i]
            if part.isEmpty || part.allSatisfy({ $0 == 0x2E }) && part.count <= 2 { return false }
            if part.count == 4 && part.map({ $0 | 0x20 }).elementsEqual(".git".utf8) { return false }
            start = i + 1
        }
        return true
    }
}
