import Emitters
import FoundationEssentials

/// Writes generated files into an output folder: atomically (temporary file, then
/// rename), only when their bytes change, and never over a file the user wrote or
/// edited unless forced. `.manifestc-outputs` (in `sha256sum` format) records what
/// manifestc wrote, so files without a header comment (JSON, `.config`) are recognised too.
package struct OutputWriter {
    static let recordName = ".manifestc-outputs"

    let folder: URL
    let force: Bool
    /// Where the files are read and written: the disk, or a file system the tests give.
    let fileSystem: any OutputFileSystem
    /// Runs after the files are renamed into place and before the record is finalized: the
    /// tests stop a write there, as a kill would.
    var afterRenames: () throws -> Void = {}

    package init(folder: URL, force: Bool, fileSystem: any OutputFileSystem = DiskOutputFileSystem()) {
        self.folder = folder
        self.force = force
        self.fileSystem = fileSystem
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
    /// The record after this run, which wrote the files `written` holds (path → hash) under the lock.
    func record(after files: [EmittedFile], written: [String: String]) -> EmittedFile {
        var entries = readRecord().filter { fileSystem.fileExists(folder.appendingPathComponent($0.key)) }
        // Files an interrupted run renamed into place before it could record them (a file this
        // run wrote with that hash is known to hold it).
        for (path, hash) in readRecord(Self.pendingName) {
            if written[path] == hash {
                entries[path] = hash
            } else if let data = try? fileSystem.readRegularFile(folder.appendingPathComponent(path)), SHA256.hex(Array(data)) == hash {
                entries[path] = hash
            }
        }
        for file in files {
            // A full configuration kept for a seed-only `.config` (see `plan`) keeps its hash.
            if let seed = file.seed, let kept = entries[file.path],
               let data = try? fileSystem.readRegularFile(folder.appendingPathComponent(file.path)), SHA256.hex(Array(data)) == kept,
               EmittedFile.configuration(String(decoding: data, as: UTF8.self), holds: seed) {
                continue
            }
            entries[file.path] = written[file.path] ?? SHA256.hex(Array(file.contents.utf8))
        }
        let lines = entries.sorted { $0.key < $1.key }.map { "\($0.value)  \($0.key)" }
        return EmittedFile(path: Self.recordName, contents: lines.joined(separator: "\n") + "\n")
    }

    static let lockName = DiskOutputFileSystem.lockName

    /// Takes the output folder's lock, so that two manifestc processes never interleave
    /// their writes; waits up to `timeout` seconds for another one to finish.
    func lock(timeout: Double = 60, waiting: () -> Void) throws -> AnyObject {
        do {
            try fileSystem.createDirectory(folder)
        } catch {
            throw WriteError(path: folder.path, reason: "the folder cannot be created")
        }
        return try fileSystem.lock(folder, timeout: timeout, waiting: waiting)
    }

    /// Removes temporary files left by a manifestc that was killed while writing here. Call it holding the lock.
    func removeAbandonedTemporaries() {
        fileSystem.removeAbandonedTemporaries(in: folder)
    }

    /// What writing `files` would do to each.
    func plan(_ files: [EmittedFile]) -> [Planned] {
        let recorded = readRecord()
        let pending = readRecord(Self.pendingName)
        return files.map { file in
            let url = folder.appendingPathComponent(file.path)
            let data: Data
            do {
                try fileSystem.checkInside(PathText.deletingLastComponent(file.path), under: folder)
                guard let read = try fileSystem.readRegularFile(url) else { return Planned(file: file, change: .create, existing: nil) }
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
        guard let data = try? fileSystem.readRegularFile(folder.appendingPathComponent(name)) else { return [:] }
        var out: [String: String] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2 else { continue }
            out[String(parts[1].drop { $0 == " " })] = String(parts[0])
        }
        return out
    }

    private func isExecutable(_ url: URL) -> Bool {
        fileSystem.isExecutable(url)
    }

    /// Writes one file atomically with its mode (`OutputFileSystem.writeAtomically`), inside the folder.
    func write(_ file: EmittedFile) throws {
        let url = folder.appendingPathComponent(file.path)
        let directory = url.deletingLastPathComponent()
        do {
            try fileSystem.checkInside(PathText.deletingLastComponent(file.path), under: folder)
        } catch {
            throw WriteError(path: url.path, reason: "\(error)")
        }
        do {
            try fileSystem.createDirectory(directory)
        } catch {
            throw WriteError(path: url.path, reason: "its folder cannot be created")
        }
        try fileSystem.writeAtomically(Array(file.contents.utf8), mode: file.mode, to: url)
    }
}
