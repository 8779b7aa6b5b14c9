import Emitters
import Foundation

/// Writes generated files into an output folder: atomically (temporary file, then
/// rename), only when their bytes change, and never over a file the user wrote or
/// edited unless forced. `.manifestc-outputs` (in `sha256sum` format) records what
/// manifestc wrote, so files without a header comment (JSON, `.config`) are recognised too.
struct OutputWriter {
    static let recordName = ".manifestc-outputs"

    /// For the fault tests only: `MANIFESTC_TEST_WRITE_DELAY_US` slows every file write, so
    /// that a kill or a second writer lands in the middle of a run.
    static let testWriteDelay: UInt32? = ProcessInfo.processInfo.environment["MANIFESTC_TEST_WRITE_DELAY_US"].flatMap { UInt32($0) }

    let folder: URL
    let force: Bool
    /// Runs after the files are renamed into place and before the record is finalized: the
    /// tests stop a write there, as a kill would.
    var afterRenames: () throws -> Void = {}

    init(folder: URL, force: Bool) {
        self.folder = folder
        self.force = force
    }

    /// Written before the files are renamed into place and removed once the record is
    /// updated: the hashes of the files being written. A manifestc killed in between leaves
    /// files that match it, and the next run accepts them as its own.
    static let pendingName = ".manifestc-outputs.pending"

    enum Change: Equatable {
        case create, update, unchanged
        /// Not written: `forcible` when `--force` would write it (an edited or foreign file), not
        /// when it is unsafe (a link, or a folder on its way that links out).
        case refuse(String, forcible: Bool = true)
    }

    struct Planned {
        var file: EmittedFile
        var change: Change
        var existing: String?
    }

    /// The record after writing `files`: their hashes, plus the entries of files
    /// written earlier (by other `--emit` selections) that still exist. Sorted by path.
    func record(after files: [EmittedFile]) -> EmittedFile {
        var entries = readRecord().filter { FileManager.default.fileExists(atPath: folder.appendingPathComponent($0.key).path) }
        // Files an interrupted run renamed into place before it could record them.
        for (path, hash) in readRecord(Self.pendingName) {
            if let data = try? Confinement.readRegularFile(folder.appendingPathComponent(path)), SHA256.hex(Array(data)) == hash { entries[path] = hash }
        }
        for file in files {
            // A full configuration kept for a seed-only `.config` (see `plan`) keeps its hash.
            if let seed = file.seed, let kept = entries[file.path],
               let data = try? Confinement.readRegularFile(folder.appendingPathComponent(file.path)), SHA256.hex(Array(data)) == kept,
               EmittedFile.configuration(String(decoding: data, as: UTF8.self), holds: seed) {
                continue
            }
            entries[file.path] = SHA256.hex(Array(file.contents.utf8))
        }
        let lines = entries.sorted { $0.key < $1.key }.map { "\($0.value)  \($0.key)" }
        return EmittedFile(path: Self.recordName, contents: lines.joined(separator: "\n") + "\n")
    }

    static let lockName = ".manifestc.lock"

    /// Holds the output folder's lock until released (or the process ends).
    final class Lock {
        private let descriptor: Int32
        init(descriptor: Int32) { self.descriptor = descriptor }
        deinit { close(descriptor) }
    }

    /// Takes the output folder's lock, so that two manifestc processes never interleave
    /// their writes; waits up to `timeout` seconds for another one to finish.
    func lock(timeout: Double = 60, waiting: () -> Void) throws -> Lock {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw WriteError(path: folder.path, reason: "the folder cannot be created")
        }
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
    func removeAbandonedTemporaries() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names where name.hasPrefix(".") {
            guard let marker = name.range(of: ".manifestc-", options: .backwards),
                  let pid = Int32(name[marker.upperBound...].prefix { $0 != "-" }), pid != getpid(), kill(pid, 0) != 0 else { continue }
            let path = folder.appendingPathComponent(name).path
            var info = stat()
            if lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG { unlink(path) }
        }
    }

    /// What writing `files` would do to each.
    func plan(_ files: [EmittedFile]) -> [Planned] {
        let recorded = readRecord()
        let pending = readRecord(Self.pendingName)
        return files.map { file in
            let url = folder.appendingPathComponent(file.path)
            let data: Data
            do {
                try Confinement.checkInside((file.path as NSString).deletingLastPathComponent, under: folder)
                guard let read = try Confinement.readRegularFile(url) else { return Planned(file: file, change: .create, existing: nil) }
                data = read
            } catch {
                return Planned(file: file, change: .refuse("\(error); manifestc replaces only plain files it wrote", forcible: false), existing: nil)
            }
            let existing = String(decoding: data, as: UTF8.self)
            if existing == file.contents && isExecutable(url) == file.executable {
                return Planned(file: file, change: .unchanged, existing: existing)
            }
            let hash = SHA256.hex(Array(data))
            // Planned without a tree, a `.config` is only the seed; a full configuration this
            // folder's record says manifestc wrote (with a tree, on this machine or another) and
            // that holds the whole seed stays: a plan without the tree cannot say more.
            if let seed = file.seed, recorded[file.path] == hash || pending[file.path] == hash,
               EmittedFile.configuration(existing, holds: seed) {
                return Planned(file: file, change: .unchanged, existing: existing)
            }
            if force { return Planned(file: file, change: .update, existing: existing) }
            switch GeneratedHeader.state(of: existing) {
            case .pristine:
                return Planned(file: file, change: .update, existing: existing)
            case .edited:
                return Planned(file: file, change: .refuse("it was edited after manifestc generated it"), existing: existing)
            case .foreign:
                if recorded[file.path] == hash || pending[file.path] == hash {
                    return Planned(file: file, change: .update, existing: existing)
                }
                if recorded[file.path] != nil {
                    return Planned(file: file, change: .refuse("it was edited after manifestc generated it"), existing: existing)
                }
                return Planned(file: file, change: .refuse("manifestc did not write it"), existing: existing)
            }
        }
    }

    func readRecord(_ name: String = Self.recordName) -> [String: String] {
        guard let data = try? Confinement.readRegularFile(folder.appendingPathComponent(name)) else { return [:] }
        var out: [String: String] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2 else { continue }
            out[String(parts[1].drop { $0 == " " })] = String(parts[0])
        }
        return out
    }

    private func isExecutable(_ url: URL) -> Bool {
        FileManager.default.isExecutableFile(atPath: url.path)
    }

    /// Writes one file atomically with its mode: a temporary file in the same folder,
    /// flushed, then renamed over the target.
    func write(_ file: EmittedFile) throws {
        let url = folder.appendingPathComponent(file.path)
        let directory = url.deletingLastPathComponent()
        do {
            try Confinement.checkInside((file.path as NSString).deletingLastPathComponent, under: folder)
        } catch {
            throw WriteError(path: url.path, reason: "\(error)")
        }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw WriteError(path: url.path, reason: "its folder cannot be created")
        }
        if let delay = Self.testWriteDelay { usleep(delay) }
        // A fresh name nobody can predict, created only if nothing (not even a link) is there.
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).manifestc-\(getpid())-\(UInt64.random(in: 0...UInt64.max).hex)")
        let bytes = Array(file.contents.utf8)
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode_t(file.mode))
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
        fchmod(fd, mode_t(file.mode))
        if fsync(fd) != 0 || close(fd) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary.path)
            throw WriteError(path: url.path, reason: reason)
        }
        if rename(temporary.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary.path)
            throw WriteError(path: url.path, reason: reason)
        }
    }

    struct WriteError: Error, CustomStringConvertible {
        var path: String
        var reason: String
        var description: String { "cannot write '\(path)': \(reason)" }
    }
}

private extension UInt64 {
    var hex: String { String(self, radix: 16) }
}
