import FoundationEssentials
import Glibc
import Planner

/// What `git rev-parse HEAD` and `git rev-parse --short HEAD` print for a checkout, read from
/// the repository's files without starting git: `HEAD` (symbolic or detached), loose refs and
/// `packed-refs`, `.git` as a folder or a `gitdir:` file (a worktree, with its `commondir`),
/// `core.abbrev` and the length git derives from the packed object count, extended until the
/// name is unique among the packed (`objects/pack/*.idx`, version 2) and loose objects.
///
/// It reads only the repository's own files and the user's and system's git configuration,
/// each bounded in size, never following a symbolic link, never blocking on a FIFO. Whatever
/// it cannot decide with certainty (an environment variable that moves the repository, config
/// includes, extensions such as `objectformat=sha256`, alternates, a multi-pack index, a ref
/// it does not understand, a file owned by someone else) is `undecided`: git itself answers.
struct GitHeadReader {
    enum Answer: Equatable {
        /// The commit (40 lower-case hex digits) and the length of its short name.
        case commit(String, shortLength: Int)
        /// `HEAD` names a branch that does not exist yet: `rev-parse HEAD` fails.
        case unborn
        /// Ask git; the reason is for tests and debugging.
        case undecided(String)
    }

    /// The environment git would run with (`HOME`, `XDG_CONFIG_HOME`, `GIT_*`).
    var environment: [String: String]
    var userID: uid_t = geteuid()

    /// The largest ref, `HEAD`, `gitdir:` or `commondir` file read.
    static let smallFileLimit = 4096
    /// The largest configuration or `packed-refs` file read.
    static let largeFileLimit = 64 << 20
    /// The most packs and loose objects (in one `objects/xx` folder) looked at.
    static let packLimit = 10_000
    static let looseLimit = 1_000_000
    /// Variables that move the repository, its objects or its configuration.
    static let relocatingVariables = [
        "GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES",
        "GIT_CONFIG", "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM",
        "GIT_CONFIG_NOSYSTEM", "GIT_NAMESPACE", "GIT_DEFAULT_HASH", "GIT_QUARANTINE_PATH", "GIT_CEILING_DIRECTORIES",
        "GIT_DISCOVERY_ACROSS_FILESYSTEM", "GIT_TEST_DEFAULT_HASH",
    ]

    struct Undecided: Error { var reason: String }

    func read(checkout folder: String) -> Answer {
        do {
            return try resolve(folder)
        } catch let undecided as Undecided {
            return .undecided(undecided.reason)
        } catch {
            return .undecided(ErrorText.describe(error))
        }
    }

    private func resolve(_ folder: String) throws -> Answer {
        if let name = Self.relocatingVariables.first(where: { environment[$0] != nil }) { throw Undecided(reason: "\(name) is set") }
        let (gitDir, gitFile) = try locateGitDirectory(folder)
        try checkOwner(folder)
        if let gitFile { try checkOwner(gitFile) }
        try checkOwner(gitDir)
        var commonDir = gitDir
        if let common = try readSmall(gitDir + "/commondir") {
            let path = common.trimmingTrailingNewlines
            commonDir = path.hasPrefix("/") ? path : gitDir + "/" + path
        }
        guard isDirectory(commonDir + "/objects"), isDirectory(commonDir + "/refs") else { throw Undecided(reason: "not a git directory") }
        let abbrev = try configuredAbbrev(commonDir)

        guard let head = try readSmall(gitDir + "/HEAD") else { throw Undecided(reason: "no HEAD") }
        guard let commit = try resolveRef(contents: head, name: "HEAD", gitDir: gitDir, commonDir: commonDir, depth: 0) else { return .unborn }
        return .commit(commit, shortLength: try shortLength(commit, abbrev: abbrev, objects: commonDir + "/objects"))
    }

    // MARK: The repository

    /// The git directory of `folder` (`.git`, or where its `gitdir:` file points) and the `.git` file.
    func locateGitDirectory(_ folder: String) throws -> (String, String?) {
        let dotGit = folder + "/.git"
        var info = stat()
        guard lstat(dotGit, &info) == 0 else { throw Undecided(reason: "no .git") }
        switch info.st_mode & S_IFMT {
        case S_IFDIR:
            return (dotGit, nil)
        case S_IFREG:
            guard let text = try readSmall(dotGit), text.hasPrefix("gitdir: ") else { throw Undecided(reason: ".git is not a gitdir file") }
            let path = String(text.dropFirst("gitdir: ".count)).trimmingTrailingNewlines
            guard !path.isEmpty else { throw Undecided(reason: "empty gitdir") }
            let gitDir = path.hasPrefix("/") ? path : folder + "/" + path
            guard isDirectory(gitDir) else { throw Undecided(reason: "gitdir is not a folder") }
            return (gitDir, dotGit)
        default:
            throw Undecided(reason: ".git is neither a folder nor a file")
        }
    }

    /// git refuses a repository owned by someone else unless `safe.directory` allows it: git decides.
    func checkOwner(_ path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0, info.st_uid == userID else { throw Undecided(reason: "'\(path)' is not owned by the user") }
    }

    /// `core.abbrev` from the system, user and repository configuration (-1: automatic).
    private func configuredAbbrev(_ commonDir: String) throws -> Int {
        var abbrev = -1
        for var config in try configurations(commonDir) {
            if let value = config.abbrev.popLast() { abbrev = try Self.abbrevLength(value) }
        }
        return abbrev
    }

    /// Whether no configuration git reads for the checkout (system, user, repository) defines a
    /// filter driver: then `git config --get-regexp '^filter\.'` would find nothing. False when
    /// that is not certain.
    func definesNoFilter(checkout folder: String) -> Bool {
        guard !Self.relocatingVariables.contains(where: { environment[$0] != nil }),
              let (gitDir, _) = try? locateGitDirectory(folder), (try? readSmall(gitDir + "/commondir")) == .some(nil),
              let configurations = try? configurations(gitDir) else { return false }
        return !configurations.contains { $0.hasFilter }
    }

    /// The system's, the user's and the repository's configuration, in the order git reads them.
    func configurations(_ commonDir: String) throws -> [GitConfigScan] {
        let home = environment["HOME"]
        let xdg = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 + "/git/config" } ?? home.map { $0 + "/.config/git/config" }
        let files: [(path: String, repository: Bool)] = [("/etc/gitconfig", false)] + [xdg, home.map { $0 + "/.gitconfig" }].compactMap { $0 }.map { ($0, false) }
            + [(commonDir + "/config", true)]
        return try files.compactMap { file in
            guard let text = try readFile(file.path, limit: Self.largeFileLimit, followLinks: !file.repository) else { return nil }
            let config = try GitConfigScan(text: text)
            if file.repository {
                if config.hasExtensions { throw Undecided(reason: "the repository uses extensions") }
                if let version = config.formatVersion, version != "0" { throw Undecided(reason: "repository format version \(version)") }
            }
            return config
        }
    }

    /// A `core.abbrev` value as git reads it: `auto`, a false boolean (the full name), or 4…40.
    static func abbrevLength(_ raw: String) throws -> Int {
        let value = raw.lowercased()
        if value == "auto" { return -1 }
        if ["false", "no", "off", ""].contains(value) { return 40 }
        // git reads numbers in C's base 0: a leading zero is octal (or an error).
        guard value.allSatisfy({ $0.isASCII && $0.isNumber }), value.count <= 3, !value.hasPrefix("0"), let n = Int(value), (4...40).contains(n) else {
            throw Undecided(reason: "core.abbrev '\(raw)'")
        }
        return n
    }

    /// The commit a ref's contents name, following symbolic refs (git stops after 5); nil when
    /// the branch does not exist.
    private func resolveRef(contents: String, name: String, gitDir: String, commonDir: String, depth: Int) throws -> String? {
        if contents.hasPrefix("ref:") {
            guard depth < 5 else { throw Undecided(reason: "symbolic refs nest too deep") }
            let target = String(contents.dropFirst(4).drop { $0 == " " || $0 == "\t" || $0 == "\n" }).trimmingTrailingWhitespace
            guard Self.isPlainSharedRef(target) else { throw Undecided(reason: "ref '\(target)'") }
            if let loose = try readSmall(commonDir + "/" + target) {
                return try resolveRef(contents: loose, name: target, gitDir: gitDir, commonDir: commonDir, depth: depth + 1)
            }
            return try packedRef(target, commonDir: commonDir)
        }
        let bytes = Array(contents.utf8)
        guard bytes.count >= 40, bytes[..<40].allSatisfy(Self.isHexDigit), bytes.count == 40 || Self.isSpace(bytes[40]) else {
            throw Undecided(reason: "'\(name)' holds no object name")
        }
        return String(decoding: bytes[..<40], as: UTF8.self).lowercased()
    }

    /// A branch, tag or remote-tracking ref of plain characters (per-worktree refs, odd names: git decides).
    static func isPlainSharedRef(_ name: String) -> Bool {
        guard ["refs/heads/", "refs/tags/", "refs/remotes/"].contains(where: name.hasPrefix), name.utf8.count < 1024 else { return false }
        let components = name.split(separator: "/", omittingEmptySubsequences: false)
        return components.allSatisfy { part in
            !part.isEmpty && !part.hasPrefix(".") && !part.hasSuffix(".lock") && !part.hasSuffix(".")
                && part.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && !"~^:?*[\\".utf8.contains($0) }
        } && !name.contains("..") && !name.contains("@{")
    }

    /// The ref's commit in `packed-refs`, nil when it is not there.
    private func packedRef(_ name: String, commonDir: String) throws -> String? {
        guard let text = try readFile(commonDir + "/packed-refs", limit: Self.largeFileLimit, followLinks: false) else { return nil }
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("#") || line.hasPrefix("^") { continue }
            let bytes = Array(line.utf8)
            guard bytes.count > 41, bytes[..<40].allSatisfy(Self.isHexDigit), bytes[40] == 0x20 else { throw Undecided(reason: "packed-refs line") }
            if bytes[41...].elementsEqual(name.utf8) { return String(decoding: bytes[..<40], as: UTF8.self).lowercased() }
        }
        return nil
    }

    // MARK: The short name

    /// git's `find_unique_abbrev` for `commit`.
    private func shortLength(_ commit: String, abbrev: Int, objects: String) throws -> Int {
        if abbrev == 40 { return 40 }
        if FileManager.default.fileExists(atPath: objects + "/info/alternates") { throw Undecided(reason: "alternates") }
        let packFolder = objects + "/pack"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: packFolder)) ?? []
        if names.contains("multi-pack-index") { throw Undecided(reason: "multi-pack index") }
        let indexes = try names.filter { $0.hasSuffix(".idx") }.sorted().compactMap { name -> PackIndex? in
            let base = packFolder + "/" + name.dropLast(4)
            var info = stat()
            guard stat(base + ".pack", &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
            return try PackIndex(path: packFolder + "/" + name)
        }
        guard indexes.count <= Self.packLimit else { throw Undecided(reason: "too many packs") }
        defer { indexes.forEach { $0.close() } }
        let target = Self.rawName(commit)
        let count = indexes.reduce(0) { $0 + $1.count }
        var length = abbrev >= 0 ? abbrev : Self.automaticLength(objectCount: count)
        for index in indexes {
            for neighbour in try index.neighbours(of: target) {
                length = Self.extended(length, from: 0, commit: target, other: neighbour)
            }
        }
        // Loose objects that share the first `length` digits (git compares from there on).
        let start = length
        let prefix = commit.prefix(start)
        let folder = objects + "/" + commit.prefix(2)
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        guard entries.count <= Self.looseLimit else { throw Undecided(reason: "too many loose objects") }
        for entry in entries where entry.utf8.count == 38 && entry.utf8.allSatisfy(Self.isHexDigit) {
            let other = (commit.prefix(2) + entry).lowercased()
            guard other.hasPrefix(prefix) else { continue }
            length = Self.extended(length, from: start, commit: target, other: Self.rawName(other))
        }
        return length
    }

    /// git's automatic length: half the bits of the packed object count, rounded up, at least 7.
    static func automaticLength(objectCount: Int) -> Int {
        var bits = 0, n = objectCount
        while n > 1 { n >>= 1; bits += 1 }   // git's msb()
        return max(7, (bits + 2) / 2)
    }

    /// git's `extend_abbrev_len`: the digits of `other` equal to the commit's from `start` on,
    /// and one more, if that is longer (a match of 32 digits or more extends nothing).
    static func extended(_ length: Int, from start: Int, commit: [UInt8], other: [UInt8]) -> Int {
        var i = start
        while i < 40 && hexDigit(commit, i) == hexDigit(other, i) { i += 1 }
        return i < 32 && i >= length ? i + 1 : length
    }

    static func hexDigit(_ raw: [UInt8], _ i: Int) -> UInt8 { i % 2 == 0 ? raw[i / 2] >> 4 : raw[i / 2] & 0x0F }

    static func rawName(_ hex: String) -> [UInt8] {
        let digits = Array(hex.utf8).map { c -> UInt8 in c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x61 + 10 }
        return stride(from: 0, to: 40, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
    }

    static func isHexDigit(_ c: UInt8) -> Bool { (0x30...0x39).contains(c) || (0x61...0x66).contains(c | 0x20) }
    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || (0x09...0x0D).contains(c) }

    // MARK: Files

    private func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    private func readSmall(_ path: String) throws -> String? {
        try readFile(path, limit: Self.smallFileLimit, followLinks: false)
    }

    /// A regular file's text; nil when it does not exist. A link (unless followed), a FIFO, a
    /// folder or a file over `limit` bytes leaves the answer to git.
    func readFile(_ path: String, limit: Int, followLinks: Bool) throws -> String? {
        try readBytes(path, limit: limit, followLinks: followLinks).map { String(decoding: $0, as: UTF8.self) }
    }

    /// A regular file's bytes, as `readFile`.
    func readBytes(_ path: String, limit: Int, followLinks: Bool) throws -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | (followLinks ? 0 : O_NOFOLLOW))
        if fd < 0 {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw Undecided(reason: "cannot read '\(path)'")
        }
        defer { Glibc.close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, Int(info.st_size) <= limit else {
            throw Undecided(reason: "'\(path)' is not a small regular file")
        }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            done += n
        }
        guard done == bytes.count else { throw Undecided(reason: "'\(path)' changed while read") }
        return bytes
    }
}

/// A pack's `.idx` (version 2): the count from its fan-out table, and binary search over its
/// sorted object names, reading 20 bytes at a time.
private final class PackIndex {
    let fd: Int32
    let count: Int
    private let fanout: [UInt32]

    init(path: String) throws {
        fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw IndexError() }
        var info = stat()
        var header = [UInt8](repeating: 0, count: 8 + 1024)
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG,
              pread(fd, &header, header.count, 0) == header.count, header[0..<8].elementsEqual([0xFF, 0x74, 0x4F, 0x63, 0, 0, 0, 2]) else {
            Glibc.close(fd)
            throw IndexError()
        }
        fanout = (0..<256).map { i in header[8 + 4 * i..<12 + 4 * i].reduce(0) { $0 << 8 | UInt32($1) } }
        count = Int(fanout[255])
        // git's check_packed_git_idx: a non-decreasing fan-out, and a size that fits the count.
        let minimum = 8 + 1024 + count * 28 + 40
        let maximum = minimum + max(0, count - 1) * 8
        guard zip(fanout, fanout.dropFirst()).allSatisfy({ $0 <= $1 }), Int(info.st_size) >= minimum, Int(info.st_size) <= maximum else {
            Glibc.close(fd)
            throw IndexError()
        }
    }

    struct IndexError: Error, CustomStringConvertible { var description: String { "a pack index git would not read" } }

    func name(_ i: Int) throws -> [UInt8] {
        var raw = [UInt8](repeating: 0, count: 20)
        guard pread(fd, &raw, 20, off_t(8 + 1024 + 20 * i)) == 20 else { throw IndexError() }
        return raw
    }

    /// The objects next to `target` in sort order, as git's `find_abbrev_len_for_pack` takes them.
    func neighbours(of target: [UInt8]) throws -> [[UInt8]] {
        guard count > 0 else { return [] }
        let b = Int(target[0])
        var low = b == 0 ? 0 : Int(fanout[b - 1]), high = Int(fanout[b])
        var match = false
        while low < high {
            let mid = (low + high) / 2
            let name = try name(mid)
            if name == target { low = mid; match = true; break }
            if name.lexicographicallyPrecedes(target) { low = mid + 1 } else { high = mid }
        }
        let first = low
        var result: [[UInt8]] = []
        if !match {
            if first < count { result.append(try name(first)) }
        } else if first < count - 1 {
            result.append(try name(first + 1))
        }
        if first > 0 { result.append(try name(first - 1)) }
        return result
    }

    func close() { Glibc.close(fd) }
}

/// The few settings the reader needs from a git configuration file, or `undecided` for any
/// syntax it does not read exactly as git (includes, quoted or continued values of interest).
struct GitConfigScan {
    var abbrev: [String] = []
    /// The last value of each of `GitIndexReader.coreKeys` (a key without `=` is `true`).
    var core: [String: String] = [:]
    var formatVersion: String?
    var hasExtensions = false
    var hasFilter = false

    struct Unclear: Error, CustomStringConvertible { var description: String }

    init(text: String) throws {
        var section = ""
        for raw in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let line = raw.trimmingWhitespace()
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasSuffix("\\") { throw Unclear(description: "a continued line") }
            if line.hasPrefix("[") {
                guard let close = line.firstIndex(of: "]") else { throw Unclear(description: "a section header") }
                let rest = line[line.index(after: close)...].trimmingWhitespace()
                guard rest.isEmpty || rest.hasPrefix("#") || rest.hasPrefix(";") else { throw Unclear(description: "a value after a section header") }
                let header = line[line.index(after: line.startIndex)..<close]
                let name = header.prefix { $0 != " " && $0 != "\t" && $0 != "\"" }.lowercased()
                section = header.contains("\"") ? name + ".\"" : name
                if name.hasPrefix("include") { throw Unclear(description: "an include") }
                if name == "extensions" { hasExtensions = true }
                if name == "filter" || name.hasPrefix("filter.") { hasFilter = true }
                continue
            }
            let key = line.prefix { $0.isLetter || $0.isNumber || $0 == "-" }.lowercased()
            guard section == "core" else { continue }
            let afterKey = line.dropFirst(key.count).trimmingWhitespace()
            if GitIndexReader.coreKeys.contains(key) && !afterKey.hasPrefix("=") { core[key] = "true"; continue }
            guard key == "abbrev" || key == "repositoryformatversion" || GitIndexReader.coreKeys.contains(key) else { continue }
            guard afterKey.hasPrefix("=") else { throw Unclear(description: "core.\(key) without a value") }
            var value = String(afterKey.dropFirst())
            if value.contains("\"") || value.contains("\\") { throw Unclear(description: "a quoted value") }
            if let comment = value.firstIndex(where: { $0 == "#" || $0 == ";" }) { value = String(value[..<comment]) }
            value = value.trimmingWhitespace()
            if key == "abbrev" { abbrev.append(value) } else if key == "repositoryformatversion" { formatVersion = value } else { core[key] = value }
        }
    }
}

private extension String {
    var trimmingTrailingNewlines: String {
        var s = Substring(self)
        while s.last == "\n" || s.last == "\r" { s = s.dropLast() }
        return String(s)
    }

    var trimmingTrailingWhitespace: String {
        var s = Substring(self)
        while let last = s.utf8.last, GitHeadReader.isSpace(last) { s = s.dropLast() }
        return String(s)
    }
}
