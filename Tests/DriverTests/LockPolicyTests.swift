@testable import Driver
import Planner
import Testing

/// The kraft.lock policy, in-process: what `--locked`, `--update` and a normal run take from
/// the lock they find, and when the lock is written.
struct LockPolicyTests {
    static let commit = String(repeating: "a", count: 40)
    static let unikraft = SourceRequest(role: .unikraft, origin: .git("https://example.org/unikraft.git"), version: "stable", versionGiven: true)
    static let musl = SourceRequest(role: .library("musl"), origin: .git("https://example.org/lib-musl.git"), version: "stable", versionGiven: true)

    static func lock(_ requests: [SourceRequest]) -> [UInt8] {
        let entries = requests.map { request -> LockEntry in
            guard case .git(let url) = request.origin else { return LockEntry(unresolved: request) }
            return LockEntry(role: request.role, url: url, version: request.version, ref: "refs/heads/stable", commit: commit)
        }
        return Array(LockFile(entries: entries).render(manifest: "kraft.yaml").utf8)
    }

    @Test func lockedWithoutALockStops() throws {
        let result = LockPolicy.check(nil, file: "/app/kraft.lock", requests: [Self.unikraft], mode: .locked, manifestName: "kraft.yaml")
        guard case .failure(let failure) = result else { Issue.record("a missing lock passed --locked"); return }
        #expect(failure.message == "kraft.lock is missing and --locked forbids creating it; run once without --locked to create it, and commit it")
        #expect(failure.details == nil)
    }

    @Test func lockedWithDriftStopsWithADiffOfTheWantedLock() throws {
        let data = Self.lock([Self.unikraft])
        let result = LockPolicy.check(data, file: "/app/kraft.lock", requests: [Self.unikraft, Self.musl], mode: .locked, manifestName: "kraft.yaml")
        guard case .failure(let failure) = result else { Issue.record("a lock without musl passed --locked"); return }
        #expect(failure.message?.contains("library 'musl' is not in the lock file") == true, "\(failure.message ?? "")")
        let diff = try #require(failure.details)
        #expect(diff.hasPrefix("--- a/kraft.lock\n+++ b/kraft.lock\n"), "\(diff)")
        #expect(diff.contains("+") && diff.contains("lib-musl.git"), "\(diff)")
    }

    @Test func lockedWithAMatchingLockGoesOn() throws {
        let data = Self.lock([Self.unikraft, Self.musl])
        let result = LockPolicy.check(data, file: "/app/kraft.lock", requests: [Self.unikraft, Self.musl], mode: .locked, manifestName: "kraft.yaml")
        let lock = try result.get()
        #expect(lock?.entries.count == 2)
    }

    @Test func aLockThatDoesNotParseStopsEveryModeButUpdate() throws {
        let garbage = Array("unikraft: [\n".utf8)
        for mode in [SourceSync.Mode.normal, .locked] {
            guard case .failure(let failure) = LockPolicy.check(garbage, file: "/app/kraft.lock", requests: [Self.unikraft], mode: mode, manifestName: "kraft.yaml") else {
                Issue.record("a broken lock passed \(mode)"); continue
            }
            #expect(failure.diagnostics.contains { $0.severity == .error && $0.location?.file == "/app/kraft.lock" }, "\(failure.diagnostics)")
        }
        let updated = LockPolicy.check(garbage, file: "/app/kraft.lock", requests: [Self.unikraft], mode: .update, manifestName: "kraft.yaml")
        guard case .success = updated else { Issue.record("--update stopped at a broken lock"); return }
    }

    @Test func pinnedEntriesAreTakenExceptUnderUpdateOrWhenTheyNoLongerSatisfy() throws {
        let lock = try #require(LockFile.parse(Self.lock([Self.unikraft]), file: "kraft.lock").lock)
        #expect(LockPolicy.pinned(Self.unikraft, in: lock, mode: .normal)?.commit == Self.commit)
        #expect(LockPolicy.pinned(Self.unikraft, in: lock, mode: .locked)?.commit == Self.commit)
        #expect(LockPolicy.pinned(Self.unikraft, in: lock, mode: .update) == nil)
        var moved = Self.unikraft
        moved.version = "staging"
        #expect(LockPolicy.pinned(moved, in: lock, mode: .normal) == nil)
        #expect(LockPolicy.pinned(Self.musl, in: lock, mode: .normal) == nil)
    }

    @Test func theLockIsWrittenOnlyWhenItChangesAndNeverUnderLocked() {
        #expect(LockPolicy.writes("a", over: nil, mode: .normal))
        #expect(LockPolicy.writes("a", over: "b", mode: .update))
        #expect(!LockPolicy.writes("a", over: "a", mode: .normal))
        #expect(!LockPolicy.writes("a", over: nil, mode: .locked))
        #expect(!LockPolicy.writes("a", over: "b", mode: .locked))
    }
}
