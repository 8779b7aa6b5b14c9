import Foundation
import Testing
import TestSupport
@testable import Driver

/// The native answer to "does `git ls-files -m` list anything?" agrees with git on
/// repositories made here: clean, a same-size edit, a touch, a deletion, a racily clean entry,
/// index version 4, many files, symbolic links, assume-unchanged and skip-worktree entries.
@Suite(.tags(.slow)) struct GitIndexReaderTests {
    typealias Repository = GitHeadReaderTests.Repository

    /// The repository's files (name: content) added and committed.
    static func committed(_ files: [String: String], symlinks: [String: String] = [:]) throws -> Repository {
        let repo = try Repository()
        for (name, content) in files { try write(content, to: name, in: repo) }
        for (name, target) in symlinks { try FileManager.default.createSymbolicLink(atPath: repo.folder.appendingPathComponent(name).path, withDestinationPath: target) }
        try repo.git(["add", "-A"])
        try repo.git(["commit", "-q", "-m", "c"])
        return repo
    }

    static func write(_ content: String, to name: String, in repo: Repository) throws {
        let url = repo.folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try content.write(to: url, atomically: false, encoding: .utf8)
    }

    /// Sets a path's modification time (seconds and nanoseconds), not following a link.
    static func setModified(_ path: String, _ sec: Int, _ nsec: Int) {
        let times = [timespec(tv_sec: sec, tv_nsec: nsec), timespec(tv_sec: sec, tv_nsec: nsec)]
        #expect(utimensat(AT_FDCWD, path, times, AT_SYMLINK_NOFOLLOW) == 0)
    }

    static func modificationTime(_ path: String) -> (Int, Int) {
        var info = stat()
        lstat(path, &info)
        return (info.st_mtim.tv_sec, info.st_mtim.tv_nsec)
    }

    /// The native answer equals git's, and is native (not left to git).
    static func agrees(_ repo: Repository, _ expectListed: Bool, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let listed = !(try repo.git(["ls-files", "-m"])).isEmpty
        #expect(listed == expectListed, "git itself", sourceLocation: sourceLocation)
        #expect(GitIndexReader(environment: repo.environment).read(checkout: repo.folder.path) == .modified(listed), sourceLocation: sourceLocation)
    }

    static let files = ["a.c": "int a;\n", "src/b.c": "int b;\n", "src/deep/c.h": "#define C 1\n", "README": "readme\n"]

    @Test func aCleanCheckout() throws {
        // Written and added within the same second: racily clean entries, hashed and unchanged.
        try Self.agrees(try Self.committed(Self.files), false)
    }

    @Test func aSameSizeEditWithANewTime() throws {
        let repo = try Self.committed(Self.files)
        try Self.write("int x;\n", to: "src/b.c", in: repo)
        Self.setModified(repo.folder.appendingPathComponent("src/b.c").path, 1_600_000_000, 0)
        try Self.agrees(repo, true)
    }

    @Test func aTouchedButUnchangedFile() throws {
        let repo = try Self.committed(Self.files)
        Self.setModified(repo.folder.appendingPathComponent("src/deep/c.h").path, 1_600_000_000, 5)
        try Self.agrees(repo, false)
    }

    @Test func aDeletedFileAndFolder() throws {
        let repo = try Self.committed(Self.files)
        try FileManager.default.removeItem(at: repo.folder.appendingPathComponent("a.c"))
        try Self.agrees(repo, true)
        let other = try Self.committed(Self.files)
        try FileManager.default.removeItem(at: other.folder.appendingPathComponent("src/deep"))
        try Self.agrees(other, true)
    }

    @Test func aRacyEditWithTheSameStatData() throws {
        let repo = try Self.committed(Self.files)
        try repo.git(["config", "core.trustctime", "false"])
        let path = repo.folder.appendingPathComponent("src/b.c").path
        let (sec, nsec) = Self.modificationTime(path)
        try Self.write("int y;\n", to: "src/b.c", in: repo)
        Self.setModified(path, sec, nsec)
        // The index written in the same instant as the file: only the content tells.
        Self.setModified(repo.folder.appendingPathComponent(".git/index").path, sec, nsec)
        try Self.agrees(repo, true)
    }

    @Test func aModeChange() throws {
        let repo = try Self.committed(Self.files)
        #expect(chmod(repo.folder.appendingPathComponent("README").path, 0o755) == 0)
        try Self.agrees(repo, true)
    }

    @Test func indexVersionFour() throws {
        var files: [String: String] = [:]
        for i in 0..<200 { files["lib/module\(i / 20)/source-file-\(i).c"] = "int v\(i);\n" }
        let repo = try Self.committed(files)
        try repo.git(["update-index", "--index-version", "4"])
        try Self.agrees(repo, false)
        try Self.write("int w77;\n", to: "lib/module3/source-file-77.c", in: repo)
        Self.setModified(repo.folder.appendingPathComponent("lib/module3/source-file-77.c").path, 1_600_000_000, 0)
        try Self.agrees(repo, true)
    }

    @Test func manyFiles() throws {
        var files: [String: String] = [:]
        for i in 0..<3000 { files["d\(i % 37)/e\(i % 5)/f\(i).txt"] = String(repeating: "x", count: i % 300) + "\n" }
        let repo = try Self.committed(files)
        try Self.agrees(repo, false)
        try Self.write(String(repeating: "y", count: 2999 % 300) + "\n", to: "d2999/e4/f2999.txt".replacingOccurrences(of: "d2999", with: "d\(2999 % 37)"), in: repo)
        Self.setModified(repo.folder.appendingPathComponent("d\(2999 % 37)/e4/f2999.txt").path, 1_600_000_000, 0)
        try Self.agrees(repo, true)
    }

    /// The index is compared in two halves at once: an edit at either end is found.
    @Test func anEditInEitherHalfOfTheIndex() throws {
        var files: [String: String] = [:]
        for i in 0..<1000 { files["d\(i % 10)/f\(i).txt"] = "\(i)\n" }
        for (name, first) in [("d0/f0.txt", true), ("d9/f999.txt", false)] {
            let repo = try Self.committed(files)
            let names = try repo.git(["ls-files"]).split(separator: "\n").map(String.init)
            #expect(first ? names.first == name : names.last == name)
            try Self.write("edited\n", to: name, in: repo)
            Self.setModified(repo.folder.appendingPathComponent(name).path, 1_600_000_000, 0)
            try Self.agrees(repo, true)
        }
    }

    /// A byte of the index changed (an entry's time, which still parses): its checksum no longer
    /// holds, so the answer is git's, whatever the comparison found meanwhile.
    @Test func anIndexWhoseChecksumFailsIsLeftToGit() throws {
        let repo = try Self.committed(Self.files)
        let index = repo.folder.appendingPathComponent(".git/index")
        var bytes = try [UInt8](Data(contentsOf: index))
        bytes[12 + 8] ^= 0x01   // the first entry's mtime seconds
        try Data(bytes).write(to: index)
        guard case .undecided = GitIndexReader(environment: repo.environment).read(checkout: repo.folder.path) else {
            Issue.record("a damaged index was read")
            return
        }
    }

    @Test func aSymbolicLinkIsComparedByItsTarget() throws {
        let repo = try Self.committed(Self.files, symlinks: ["link": "src/b.c"])
        try Self.agrees(repo, false)
        let link = repo.folder.appendingPathComponent("link").path
        try FileManager.default.removeItem(atPath: link)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "src/x.c")
        try Self.agrees(repo, true)
    }

    @Test func assumeUnchangedAndSkipWorktreeEntries() throws {
        let repo = try Self.committed(Self.files)
        try repo.git(["update-index", "--assume-unchanged", "a.c"])
        try repo.git(["update-index", "--skip-worktree", "README"])
        try Self.write("int z;\n", to: "a.c", in: repo)
        Self.setModified(repo.folder.appendingPathComponent("a.c").path, 1_600_000_000, 0)
        try FileManager.default.removeItem(at: repo.folder.appendingPathComponent("README"))
        try Self.agrees(repo, false)
        // git lists an assume-unchanged file that is gone.
        try FileManager.default.removeItem(at: repo.folder.appendingPathComponent("a.c"))
        try Self.agrees(repo, true)
    }

    @Test func aSplitIndexIsLeftToGit() throws {
        let repo = try Self.committed(Self.files)
        try repo.git(["update-index", "--split-index"])
        if case .undecided = GitIndexReader(environment: repo.environment).read(checkout: repo.folder.path) {} else {
            Issue.record("a split index was read natively")
        }
    }

    @Test func sha1MatchesGitsObjectNames() throws {
        let repo = try Repository()
        for content in ["", "a", String(repeating: "z", count: 55), String(repeating: "q", count: 64), String(repeating: "r", count: 1000)] {
            let name = try repo.git(["hash-object", "--stdin"], input: content)
            #expect(GitWorktree.blobName(Array(content.utf8)) == GitHeadReader.rawName(name))
        }
    }
}
