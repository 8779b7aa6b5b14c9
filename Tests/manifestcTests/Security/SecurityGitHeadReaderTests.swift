import Foundation
import Testing
import TestSupport
@testable import Driver

/// A tree's `.git` is input (a manifest's local source may be any folder): reading `HEAD`
/// natively reads only the repository's own files, each bounded, never a FIFO, never through a
/// symbolic link, never where `objects/info/alternates` points; what it cannot read is left to git.
@Suite(.tags(.security, .slow)) struct SecurityGitHeadReaderTests {
    typealias Repository = GitHeadReaderTests.Repository

    private func assertUndecided(_ repo: Repository, _ what: String) {
        if case .undecided = repo.native() {} else { Issue.record("\(what): \(repo.native())") }
    }

    @Test func aFIFOAsHEADDoesNotHang() throws {
        let repo = try Repository()
        try repo.importBlobs([1], commit: true)
        let head = repo.folder.appendingPathComponent(".git/HEAD").path
        try FileManager.default.removeItem(atPath: head)
        #expect(mkfifo(head, 0o600) == 0)
        assertUndecided(repo, "FIFO HEAD")
    }

    @Test func aFIFOAsAPackIndexDoesNotHang() throws {
        let repo = try Repository()
        try repo.importBlobs([1], commit: true)
        let pack = repo.folder.appendingPathComponent(".git/objects/pack").path
        #expect(mkfifo(pack + "/pack-evil.idx", 0o600) == 0)
        FileManager.default.createFile(atPath: pack + "/pack-evil.pack", contents: Data())
        assertUndecided(repo, "FIFO index")
    }

    @Test func aHugePackedRefsIsNotRead() throws {
        let repo = try Repository()
        try repo.importBlobs([1], commit: true)
        try repo.git(["pack-refs", "--all", "--prune"])
        // 66 MB of comments, then the branch: a reader without a bound would take it.
        let path = repo.folder.appendingPathComponent(".git/packed-refs").path
        var text = String(repeating: "#\n", count: 33 << 20)
        text += String(repeating: "c", count: 40) + " refs/heads/main\n"
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        assertUndecided(repo, "huge packed-refs")
    }

    @Test func aHEADLinkedToASecretIsNotFollowed() throws {
        let repo = try Repository()
        try repo.importBlobs([1], commit: true)
        let secret = repo.root.appendingPathComponent("secret")
        try (String(repeating: "a", count: 40) + "\n").write(to: secret, atomically: true, encoding: .utf8)
        let head = repo.folder.appendingPathComponent(".git/HEAD").path
        try FileManager.default.removeItem(atPath: head)
        try FileManager.default.createSymbolicLink(atPath: head, withDestinationPath: secret.path)
        assertUndecided(repo, "linked HEAD")
    }

    @Test func aRefClimbingOutOfTheRepositoryIsNotRead() throws {
        let repo = try Repository()
        try repo.importBlobs([1], commit: true)
        let secret = repo.root.appendingPathComponent("secret")
        try (String(repeating: "b", count: 40) + "\n").write(to: secret, atomically: true, encoding: .utf8)
        try "ref: refs/heads/../../../../secret\n".write(to: repo.folder.appendingPathComponent(".git/HEAD"), atomically: true, encoding: .utf8)
        assertUndecided(repo, "ref with ..")
    }

    @Test func alternatesPointingOutsideAreNotFollowed() throws {
        let repo = try Repository()
        try repo.importBlobs([1], commit: true)
        // Objects elsewhere, with an index that would block a reader (a FIFO).
        let elsewhere = repo.root.appendingPathComponent("elsewhere/pack")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        #expect(mkfifo(elsewhere.appendingPathComponent("pack-x.idx").path, 0o600) == 0)
        FileManager.default.createFile(atPath: elsewhere.appendingPathComponent("pack-x.pack").path, contents: Data())
        try (elsewhere.deletingLastPathComponent().path + "\n")
            .write(to: repo.folder.appendingPathComponent(".git/objects/info/alternates"), atomically: true, encoding: .utf8)
        assertUndecided(repo, "alternates")
    }

    @Test func aPackIndexWithALyingFanoutIsNotTrusted() throws {
        let repo = try Repository()
        try repo.importBlobs(Array(0..<100), commit: true)
        let pack = repo.folder.appendingPathComponent(".git/objects/pack")
        let index = try FileManager.default.contentsOfDirectory(atPath: pack.path).first { $0.hasSuffix(".idx") }!
        let handle = try FileHandle(forUpdating: pack.appendingPathComponent(index))
        // The first fan-out entry claims more objects than the later ones (git refuses such an index).
        try handle.seek(toOffset: 8)
        handle.write(Data([0xFF, 0xFF, 0xFF, 0x00]))
        try handle.close()
        assertUndecided(repo, "lying fan-out")
    }

    @Test func aRepositoryOfAnotherUserIsLeftToGit() throws {
        let repo = try Repository()
        try repo.importBlobs([1], commit: true)
        var reader = GitHeadReader(environment: repo.environment)
        reader.userID = geteuid() &+ 1
        if case .undecided = reader.read(checkout: repo.folder.path) {} else { Issue.record("read another user's repository") }
    }
}
