import FoundationEssentials
import Glibc

/// git's `ie_modified` for one index entry against the file in the checkout, as `ls-files -m`
/// calls it. git may be built to compare nanoseconds (`USE_NSEC`) and devices (`USE_STDEV`);
/// the answer is computed for every such build and is `undecided` when they disagree.
struct GitWorktree {
    let root: String
    let settings: GitIndexReader.Settings
    let environment: [String: String]
    /// Whether the index holds a `.gitattributes` file.
    let hasAttributes: Bool
    /// The index file's modification time: entries modified in it or later are racily clean.
    let indexTime: (sec: Int64, nsec: Int64)
    /// Folders on entries' paths checked with `lstat` (false: missing or not a folder).
    private var folders: [[UInt8]: Bool] = [:]
    private var lastFolder: [UInt8] = []
    /// `root/` and the path of the entry looked at, NUL-terminated.
    private var buffer: [CChar]
    private var hashed = 0

    private typealias Undecided = GitHeadReader.Undecided
    static let emptyBlob = GitHeadReader.rawName("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391")

    init(root: String, settings: GitIndexReader.Settings, environment: [String: String], hasAttributes: Bool, indexTime: (sec: Int64, nsec: Int64)) {
        self.root = root
        self.settings = settings
        self.environment = environment
        self.hasAttributes = hasAttributes
        self.indexTime = indexTime
        buffer = Array((root + "/").utf8CString.dropLast())
    }

    private struct Build { var nsec: Bool; var stdev: Bool }
    private static let builds = [Build(nsec: false, stdev: false), Build(nsec: true, stdev: false), Build(nsec: false, stdev: true), Build(nsec: true, stdev: true)]

    /// Whether `git ls-files -m` lists the entry.
    mutating func listed(_ entry: GitIndexEntry) throws -> Bool {
        if entry.skipWorktree { return false }
        guard try parentsAreFolders(entry) else { return true }
        var info = stat()
        if setPath(entry.name[...], { lstat($0, &info) }) != 0 {
            if errno == ENOENT || errno == ENOTDIR { return true }
            throw Undecided(reason: "cannot lstat '\(entry.path)'")
        }
        if entry.assumeValid { return false }
        if entry.intentToAdd { return true }
        // Every build's verdict; the content is looked at (once) only when one needs it.
        var answer: Bool?
        var contentDiffers: Bool?
        for build in Self.builds {
            let this: Bool
            switch modified(entry, info, build) {
            case .unchanged: this = false
            case .changed: this = true
            case .content:
                if contentDiffers == nil { contentDiffers = try checkFileSystem(entry, info, root + "/" + entry.path) }
                this = contentDiffers!
            }
            guard answer == nil || answer == this else { throw Undecided(reason: "'\(entry.path)' depends on how git was built") }
            answer = this
        }
        return answer!
    }

    /// What the stat data says: the entry is unchanged, changed, or only its content can tell.
    private enum Verdict { case unchanged, changed, content }

    /// Calls `body` with `root/relative` as a C string.
    private mutating func setPath(_ relative: ArraySlice<UInt8>, _ body: (UnsafePointer<CChar>) -> Int32) -> Int32 {
        let base = root.utf8.count + 1
        buffer.removeSubrange(base...)
        relative.withUnsafeBytes { buffer.append(contentsOf: $0.assumingMemoryBound(to: CChar.self)) }
        buffer.append(0)
        return buffer.withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    /// `ie_modified` with `ie_match_stat`, `ce_match_stat_basic` and `match_stat_data`.
    private func modified(_ entry: GitIndexEntry, _ st: stat, _ build: Build) -> Verdict {
        let type = st.st_mode & S_IFMT
        var typeOrMode = false, data = false, other = false
        switch entry.mode & 0o170000 {
        case 0o100000:
            typeOrMode = type != S_IFREG || (settings.trustExecutableBit && (entry.mode ^ UInt32(st.st_mode)) & 0o100 != 0)
        case 0o120000:
            typeOrMode = type != S_IFLNK && (settings.hasSymlinks || type != S_IFREG)
        default:   // a gitlink: only the folder's HEAD
            return type != S_IFDIR ? .changed : .content
        }
        let check = settings.checkStat, ctime = settings.trustCtime && check
        other = entry.mtime.sec != UInt32(truncatingIfNeeded: st.st_mtim.tv_sec)
            || (ctime && entry.ctime.sec != UInt32(truncatingIfNeeded: st.st_ctim.tv_sec))
            || (build.nsec && check && entry.mtime.nsec != UInt32(truncatingIfNeeded: st.st_mtim.tv_nsec))
            || (build.nsec && ctime && entry.ctime.nsec != UInt32(truncatingIfNeeded: st.st_ctim.tv_nsec))
            || (check && (entry.uid != UInt32(truncatingIfNeeded: st.st_uid) || entry.gid != UInt32(truncatingIfNeeded: st.st_gid)
                          || entry.ino != UInt32(truncatingIfNeeded: st.st_ino)))
            || (build.stdev && check && entry.dev != UInt32(truncatingIfNeeded: st.st_dev))
        data = entry.size != UInt32(truncatingIfNeeded: st.st_size) || (entry.size == 0 && entry.oid != Self.emptyBlob)
        if !typeOrMode && !data && !other {
            // A racily clean entry: git looks at the content.
            let racy = build.nsec
                ? indexTime.sec < Int64(entry.mtime.sec) || (indexTime.sec == Int64(entry.mtime.sec) && indexTime.nsec <= Int64(entry.mtime.nsec))
                : indexTime.sec <= Int64(entry.mtime.sec)
            return indexTime.sec != 0 && racy ? .content : .unchanged
        }
        if typeOrMode || (data && entry.size != 0) { return .changed }
        return .content
    }

    /// `ce_modified_check_fs`: the content (a file hashed as a blob, a link's target, a
    /// submodule's HEAD) against the entry.
    private mutating func checkFileSystem(_ entry: GitIndexEntry, _ st: stat, _ path: String) throws -> Bool {
        switch st.st_mode & S_IFMT {
        case S_IFREG:
            return try hashFile(entry, st, path) != entry.oid
        case S_IFLNK:
            var target = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = readlink(path, &target, target.count)
            guard n >= 0, n < target.count else { throw Undecided(reason: "cannot read the link '\(entry.path)'") }
            return Self.blobName(target[..<n]) != entry.oid
        case S_IFDIR where entry.mode == 0o160000:
            guard FileManager.default.fileExists(atPath: path + "/.git") else { return false }
            switch GitHeadReader(environment: environment).read(checkout: path) {
            case .commit(let commit, _): return GitHeadReader.rawName(commit) != entry.oid
            case .unborn: return false
            case .undecided(let reason): throw Undecided(reason: "submodule '\(entry.path)': \(reason)")
            }
        default:
            return true
        }
    }

    /// The blob name of a regular file, read without following links and only when no
    /// attribute or `core.autocrlf` could convert it first.
    private mutating func hashFile(_ entry: GitIndexEntry, _ st: stat, _ path: String) throws -> [UInt8] {
        if settings.mayConvert || hasAttributes { throw Undecided(reason: "attributes may convert '\(entry.path)'") }
        var folder = Substring(entry.path)
        while let slash = folder.lastIndex(of: "/") {
            folder = folder[..<slash]
            if FileManager.default.fileExists(atPath: root + "/" + folder + "/.gitattributes") { throw Undecided(reason: "attributes in '\(folder)'") }
        }
        if FileManager.default.fileExists(atPath: root + "/.gitattributes") { throw Undecided(reason: "attributes") }
        let size = Int(st.st_size)
        hashed += size
        guard hashed <= GitIndexReader.hashLimit else { throw Undecided(reason: "too much to hash") }
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw Undecided(reason: "cannot open '\(entry.path)'") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_ino == st.st_ino, info.st_dev == st.st_dev, info.st_size == st.st_size else {
            throw Undecided(reason: "'\(entry.path)' changed")
        }
        var sha = SHA1()
        sha.update(Array("blob \(size)\0".utf8))
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var done = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw Undecided(reason: "cannot read '\(entry.path)'") }
            if n == 0 { break }
            done += n
            guard done <= size else { throw Undecided(reason: "'\(entry.path)' changed") }
            buffer.withUnsafeBytes { sha.update(UnsafeRawBufferPointer(rebasing: $0[..<n])) }
        }
        guard done == size else { throw Undecided(reason: "'\(entry.path)' changed") }
        return sha.finish()
    }

    static func blobName(_ content: some Collection<UInt8>) -> [UInt8] {
        SHA1.digest(Array("blob \(content.count)\0".utf8) + content)
    }

    /// Whether every folder on the entry's path is a folder (false: the entry is missing); a
    /// folder that is a symbolic link is left to git (its `lstat` would follow it).
    private mutating func parentsAreFolders(_ entry: GitIndexEntry) throws -> Bool {
        let name = entry.name
        guard let last = name.lastIndex(of: 0x2F) else { return true }
        if last == lastFolder.count, name[..<last].elementsEqual(lastFolder) { return true }
        var end = 0
        while let slash = name[end...].firstIndex(of: 0x2F) {
            end = slash + 1
            // A folder of the last entry's path was checked with it (the index is sorted: most are).
            if slash <= lastFolder.count, slash == lastFolder.count || lastFolder[slash] == 0x2F,
               name[..<slash].elementsEqual(lastFolder[..<slash]) { continue }
            let prefix = Array(name[..<slash])
            if let known = folders[prefix] {
                guard known else { return false }
                continue
            }
            var info = stat()
            let isFolder: Bool
            if setPath(name[..<slash], { lstat($0, &info) }) == 0 {
                if info.st_mode & S_IFMT == S_IFLNK { throw Undecided(reason: "'\(String(decoding: prefix, as: UTF8.self))' is a link") }
                isFolder = info.st_mode & S_IFMT == S_IFDIR
            } else if errno == ENOENT || errno == ENOTDIR {
                isFolder = false
            } else {
                throw Undecided(reason: "cannot lstat '\(String(decoding: prefix, as: UTF8.self))'")
            }
            folders[prefix] = isFolder
            guard isFolder else { return false }
        }
        lastFolder = Array(name[..<last])
        return true
    }
}
