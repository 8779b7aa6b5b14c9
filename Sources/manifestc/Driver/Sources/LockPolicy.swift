import Diagnostics
import Emitters
import Planner

/// The `kraft.lock` policy, as functions of values: whether a run may go on with the lock it
/// found (`--locked` needs one that pins every request; a lock that does not parse stops every
/// mode but `--update`), which requests the lock already pins, and whether the lock is written.
package enum LockPolicy {
    /// The lock as found, or why the run stops (`failure.details`: a diff of the lock that `--locked` wanted).
    /// - Parameters:
    ///   - data: the lock file's bytes, nil when there is none.
    ///   - file: its path, for diagnostics; `manifestName` goes into a rendered lock's header.
    package static func check(_ data: [UInt8]?, file: String, requests: [SourceRequest], mode: SourceSync.Mode,
                              manifestName: String) -> Result<LockFile?, SourceSync.Failure> {
        let lockName = file.split(separator: "/").last.map(String.init) ?? file
        var existing: LockFile?
        var existingText: String?
        if let data {
            existingText = String(decoding: data, as: UTF8.self)
            let (parsed, diagnostics) = LockFile.parse(data, file: file)
            if mode != .update, diagnostics.contains(where: { $0.severity == .error }) {
                return .failure(SourceSync.Failure(diagnostics: diagnostics))
            }
            existing = parsed
        }
        guard mode == .locked else { return .success(existing) }
        guard let existing, let existingText else {
            return .failure(SourceSync.Failure(message: "\(lockName) is missing and --locked forbids creating it; run once without --locked to create it, and commit it"))
        }
        let drift = existing.drift(from: requests)
        guard drift.isEmpty else {
            let wanted = LockFile(entries: requests.map { pinned($0, in: existing, mode: .normal) ?? LockEntry(unresolved: $0) })
            let diff = UnifiedDiff.render(old: existingText, new: wanted.render(manifest: manifestName), oldName: "a/\(lockName)", newName: "b/\(lockName)")
            return .failure(SourceSync.Failure(message: "\(lockName) does not match the manifest (--locked): " + drift.joined(separator: "; ")
                                                   + "; run with --update to refresh it", details: diff))
        }
        return .success(existing)
    }

    /// The lock's entry for a git `request` when the run takes it as it is (every mode but `--update`,
    /// when the entry satisfies the request); nil when the request must be resolved (a local folder
    /// is pinned again on every run, by its commit).
    package static func pinned(_ request: SourceRequest, in lock: LockFile?, mode: SourceSync.Mode) -> LockEntry? {
        guard mode != .update, case .git = request.origin, let entry = lock?.entry(for: request.role), entry.satisfies(request) else { return nil }
        return entry
    }

    /// Whether the lock is written: never with `--locked`, else when its text changes.
    package static func writes(_ text: String, over existing: String?, mode: SourceSync.Mode) -> Bool {
        mode != .locked && text != existing
    }
}
