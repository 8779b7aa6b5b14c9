import FoundationEssentials
import Glibc

/// The output writer's file system on disk: `O_NOFOLLOW` reads, temporary file + `fsync` +
/// `rename` writes with unpredictable temporary names created only where nothing (not even a
/// link) exists, and `flock` on `.manifestc.lock` between manifestc processes.
package struct DiskOutputFileSystem: OutputFileSystem {
    static let lockName = ".manifestc.lock"

    package init() {}

    package func readRegularFile(_ url: URL) throws -> Data? {
        try Confinement.readRegularFile(url)
    }

    package func checkInside(_ relative: String, under root: URL) throws {
        try Confinement.checkInside(relative, under: root)
    }

    package func fileExists(_ url: URL) -> Bool {
        FileManager.default.fileExists(atPath: url.path)
    }

    package func isExecutable(_ url: URL) -> Bool {
        FileManager.default.isExecutableFile(atPath: url.path)
    }

    package func createDirectory(_ url: URL) throws {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    package func remove(_ url: URL) {
        unlink(url.path)
    }

    /// Holds a folder's lock until released (or the process ends).
    final class Lock {
        private let descriptor: Int32
        init(descriptor: Int32) { self.descriptor = descriptor }
        deinit { close(descriptor) }
    }

    package func lock(_ folder: URL, timeout: Double, waiting: () -> Void) throws -> AnyObject {
        let path = folder.appendingPathComponent(Self.lockName).path
        let fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            waiting()
            let deadline = Date().addingTimeInterval(timeout)
            while flock(fd, LOCK_EX | LOCK_NB) != 0 {
                if Date() > deadline {
                    close(fd)
                    throw WriteError(path: folder.path, reason: "another manifestc has been writing there for \(Int(timeout)) s (lock \(Self.lockName)); try again when it has finished")
                }
                usleep(20_000)
            }
        }
        return Lock(descriptor: fd)
    }

    /// Removes temporary files left by a manifestc that was killed while writing here
    /// (`.<name>.manifestc-<pid>-<random>` whose process is gone): plain files only, never a
    /// folder or what a link points to. Call it holding the lock.
    package func removeAbandonedTemporaries(in folder: URL) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names where name.hasPrefix(".") {
            guard let marker = name.ranges(of: ".manifestc-").last,
                  let pid = Int32(name[marker.upperBound...].prefix { $0 != "-" }), pid != getpid(), kill(pid, 0) != 0 else { continue }
            let path = folder.appendingPathComponent(name).path
            var info = stat()
            if lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG { unlink(path) }
        }
    }

    /// A temporary file in the same folder, flushed, then renamed over the target.
    package func writeAtomically(_ bytes: [UInt8], mode: Int, to url: URL) throws {
        try writeAtomically(bytes, mode: mode, to: url, beforeRename: {})
    }

    /// The same, with `beforeRename` called when the temporary file is complete: if it throws,
    /// the temporary file is removed and the target left as it is.
    package func writeAtomically(_ bytes: [UInt8], mode: Int, to url: URL, beforeRename: () throws -> Void) throws {
        // A fresh name nobody can predict, created only if nothing (not even a link) is there.
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).manifestc-\(getpid())-\(String(UInt64.random(in: 0...UInt64.max), radix: 16))")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode_t(mode))
        guard fd >= 0 else { throw WriteError(path: url.path, reason: String(cString: strerror(errno))) }
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                let reason = String(cString: strerror(errno))
                close(fd)
                unlink(temporary.path)
                throw WriteError(path: url.path, reason: reason)
            }
            written += n
        }
        fchmod(fd, mode_t(mode))
        if fsync(fd) != 0 || close(fd) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary.path)
            throw WriteError(path: url.path, reason: reason)
        }
        do {
            try beforeRename()
        } catch {
            unlink(temporary.path)
            throw error
        }
        if rename(temporary.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary.path)
            throw WriteError(path: url.path, reason: reason)
        }
    }
}
