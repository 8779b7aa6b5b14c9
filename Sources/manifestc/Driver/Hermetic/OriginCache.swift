import FoundationEssentials
import Glibc
import Emitters
import Planner

/// The content-addressed origin cache shared by every workspace of the user:
/// `<root>/sha256/<hash>`, each file written once (temporary file, then rename) and
/// checked against its name whenever it is read.
struct OriginCache {
    let root: URL
    let maxBytes: Int

    struct Failure: Error, CustomStringConvertible { var description: String }

    func file(_ sha256: String) -> URL { root.appendingPathComponent("sha256/\(sha256)") }

    /// The cached content with this hash; nil when absent. A cached file whose content no
    /// longer has its name's hash is removed (and nil returned).
    func lookup(_ sha256: String) -> Data? {
        guard OriginPin.isDigest(sha256), let data = try? Self.read(file(sha256), maxBytes: maxBytes) else { return nil }
        guard SHA256.hex(data) == sha256 else {
            try? FileManager.default.removeItem(at: file(sha256))
            return nil
        }
        return data
    }

    /// Stores `data` under its hash (`sha256`, which the caller computed); returns its file.
    @discardableResult
    func store(_ data: Data, sha256: String) throws -> URL {
        let target = file(sha256)
        if FileManager.default.fileExists(atPath: target.path) { return target }
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Self.writeAtomically(data, to: target)
        return target
    }

    /// Reads a regular file of at most `maxBytes` (no link in its last component, no FIFO).
    static func read(_ url: URL, maxBytes: Int) throws -> Data? {
        let fd = open(url.path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw Failure(description: "'\(url.path)' cannot be read: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { throw Failure(description: "'\(url.path)' is not a regular file") }
        guard Int(info.st_size) <= maxBytes else { throw Failure(description: "'\(url.path)' is larger than \(maxBytes) bytes") }
        guard let bytes = FileDescriptorIO.readToEnd(fd) else { throw Failure(description: "'\(url.path)' cannot be read: \(String(cString: strerror(errno)))") }
        return Data(bytes)
    }

    /// Writes `data` to `url` as the output writer writes (`DiskOutputFileSystem.writeAtomically`).
    static func writeAtomically(_ data: Data, to url: URL) throws {
        do {
            try DiskOutputFileSystem().writeAtomically(Array(data), mode: 0o644, to: url)
        } catch {
            throw Failure(description: ErrorText.describe(error))
        }
    }
}
