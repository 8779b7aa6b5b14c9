import Foundation
import Testing
import TestSupport
@testable import Driver

/// The native reading of `HEAD` and its short name agrees with `git rev-parse HEAD` and
/// `git rev-parse --short HEAD` on generated repositories: thousands of packed and loose
/// objects, prefixes shared by 7 and more digits, symbolic and detached `HEAD`, packed refs
/// only, worktrees, and every kind of `core.abbrev`.
@Suite(.tags(.slow)) struct GitHeadReaderTests {
    /// A repository made with `git fast-import`, run with a `HOME` of its own.
    final class Repository {
        let root: URL
        let home: URL
        var folder: URL { root.appendingPathComponent("repo") }

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("githead-\(UUID().uuidString)")
            home = root.appendingPathComponent("home")
            try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
            try git(["init", "-q", "-b", "main", folder.path], in: root)
        }

        deinit { try? FileManager.default.removeItem(at: root) }

        var environment: [String: String] {
            var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GIT_") }
            env["HOME"] = home.path
            env.removeValue(forKey: "XDG_CONFIG_HOME")
            env["GIT_AUTHOR_NAME"] = "t"; env["GIT_AUTHOR_EMAIL"] = "t@t"; env["GIT_AUTHOR_DATE"] = "1700000000 +0000"
            env["GIT_COMMITTER_NAME"] = "t"; env["GIT_COMMITTER_EMAIL"] = "t@t"; env["GIT_COMMITTER_DATE"] = "1700000000 +0000"
            return env
        }

        @discardableResult
        func git(_ arguments: [String], in folder: URL? = nil, input: String = "", allowFailure: Bool = false) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["git"] + arguments
            process.currentDirectoryURL = folder ?? self.folder
            process.environment = environment
            let stdin = Pipe(), stdout = Pipe()
            process.standardInput = stdin
            process.standardOutput = stdout
            process.standardError = FileHandle.nullDevice
            try process.run()
            let writer = Thread { stdin.fileHandleForWriting.write(Data(input.utf8)); try? stdin.fileHandleForWriting.close() }
            writer.start()
            let out = stdout.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            if process.terminationStatus != 0 && !allowFailure { throw GitError(arguments: arguments) }
            return process.terminationStatus == 0 ? String(decoding: out, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : "<failed>"
        }

        struct GitError: Error { var arguments: [String] }

        /// Imports blobs `"blob <i>\n"` for `numbers` as one pack (and a commit of the first on
        /// `refs/heads/main` when `commit`); returns the blobs' names.
        @discardableResult
        func importBlobs(_ numbers: [Int], commit: Bool = false) throws -> [String] {
            var stream = ""
            for (mark, n) in numbers.enumerated() {
                let content = "blob \(n)\n"
                stream += "blob\nmark :\(mark + 1)\ndata \(content.utf8.count)\n\(content)\n"
            }
            if commit {
                stream += "commit refs/heads/main\nmark :\(numbers.count + 1)\ncommitter t <t@t> 1700000000 +0000\ndata 2\nc\nM 100644 :1 file\n\n"
            }
            let marks = root.appendingPathComponent("marks-\(UUID().uuidString)")
            try git(["fast-import", "--quiet", "--export-marks=\(marks.path)"], input: stream)
            let lines = try String(contentsOf: marks, encoding: .utf8).split(separator: "\n")
            var byMark: [Int: String] = [:]
            for line in lines {
                let parts = line.split(separator: " ")
                byMark[Int(parts[0].dropFirst())!] = String(parts[1])
            }
            return (1...numbers.count).map { byMark[$0]! }
        }

        /// Writes blob `"blob <n>\n"` as a loose object.
        @discardableResult
        func looseBlob(_ n: Int) throws -> String {
            try git(["hash-object", "-w", "--stdin"], input: "blob \(n)\n")
        }

        func detach(_ name: String) throws {
            try (name + "\n").write(to: folder.appendingPathComponent(".git/HEAD"), atomically: true, encoding: .utf8)
        }

        func native(_ folder: URL? = nil) -> GitHeadReader.Answer {
            GitHeadReader(environment: environment).read(checkout: (folder ?? self.folder).path)
        }

        /// What git prints, in the reader's terms.
        func expected(_ folder: URL? = nil) throws -> GitHeadReader.Answer {
            let full = try git(["rev-parse", "HEAD"], in: folder, allowFailure: true)
            if full == "<failed>" { return .unborn }
            return .commit(full, shortLength: try git(["rev-parse", "--short", "HEAD"], in: folder).count)
        }
    }

    /// Two blob numbers whose names share their first 7 hex digits (found once with a
    /// throw-away import; the contents are fixed, so the pair is too).
    static let sharedSevenDigits: (Int, Int) = {
        let scratch = try! Repository()
        let names = try! scratch.importBlobs(Array(0..<80_000))
        var seen: [Substring: Int] = [:]
        for (n, name) in names.enumerated() {
            if let other = seen[name.prefix(7)] { return (other, n) }
            seen[name.prefix(7)] = n
        }
        fatalError("no two of 80,000 blobs share 7 digits")
    }()

    @Test func symbolicHeadOnALooseBranch() throws {
        let repo = try Repository()
        try repo.importBlobs(Array(0..<300), commit: true)
        #expect(repo.native() == (try repo.expected()))
        if case .commit = repo.native() {} else { Issue.record("not read natively: \(repo.native())") }
    }

    @Test func theAutomaticLengthCountsPackedObjectsOnly() throws {
        let repo = try Repository()
        // 20,000 packed objects: git's length is 8; 9,000 more loose ones do not count.
        try repo.importBlobs(Array(0..<20_000), commit: true)
        #expect(repo.native() == (try repo.expected()))
        if case .commit(_, let length) = repo.native() { #expect(length == 8) }
        let small = try Repository()
        try small.importBlobs(Array(0..<8_000), commit: true)
        for n in 20_000..<20_300 { try small.looseBlob(n) }
        #expect(small.native() == (try small.expected()))
        if case .commit(_, let length) = small.native() { #expect(length == 7) }
    }

    @Test func aSevenDigitPrefixSharedWithAPackedOrLooseObjectExtendsTheName() throws {
        let (a, b) = Self.sharedSevenDigits
        for layout in ["both packed", "first packed", "second packed", "both loose"] {
            let repo = try Repository()
            try repo.importBlobs(Array(100_000..<101_000), commit: true)
            var names: [String] = []
            for (n, packed) in [(a, layout == "both packed" || layout == "first packed"), (b, layout == "both packed" || layout == "second packed")] {
                names.append(packed ? try repo.importBlobs([n])[0] : try repo.looseBlob(n))
            }
            for name in names {
                try repo.detach(name)
                let answer = repo.native()
                #expect(answer == (try repo.expected()), "\(layout)")
                if case .commit(_, let length) = answer { #expect(length >= 8, "\(layout)") } else { Issue.record("\(layout): \(answer)") }
            }
        }
    }

    @Test(arguments: ["4", "5", "7", "12", "40", "auto", "no", "false", "off", "", "AUTO"])
    func coreAbbrev(value: String) throws {
        let repo = try Repository()
        let packed = try repo.importBlobs(Array(0..<3_000), commit: true)
        let loose = try (3_000..<3_600).map { try repo.looseBlob($0) }
        try repo.git(["config", "core.abbrev", value])
        // A loose object that shares 4 digits with another one, and a few of each kind.
        let sharing = loose.filter { name in loose.contains { $0 != name && $0.prefix(4) == name.prefix(4) } }
        for name in Array(sharing.prefix(4)) + Array(packed.prefix(6)) + Array(loose.prefix(6)) {
            try repo.detach(name)
            #expect(repo.native() == (try repo.expected()), "core.abbrev=\(value) HEAD=\(name)")
        }
    }

    @Test func userConfigurationSetsTheLength() throws {
        let repo = try Repository()
        try repo.importBlobs(Array(0..<50), commit: true)
        try "[core]\n\tabbrev = 11\n".write(to: repo.home.appendingPathComponent(".gitconfig"), atomically: true, encoding: .utf8)
        #expect(repo.native() == (try repo.expected()))
        // The repository's own setting comes later and wins.
        try repo.git(["config", "core.abbrev", "9"])
        #expect(repo.native() == (try repo.expected()))
        if case .commit(_, let length) = repo.native() { #expect(length == 9) }
    }

    @Test func packedRefsOnlyAndUnbornBranches() throws {
        let repo = try Repository()
        try repo.importBlobs(Array(0..<500), commit: true)
        try repo.git(["tag", "v1"])
        try repo.git(["pack-refs", "--all", "--prune"])
        #expect(!FileManager.default.fileExists(atPath: repo.folder.appendingPathComponent(".git/refs/heads/main").path))
        #expect(repo.native() == (try repo.expected()))
        try "ref: refs/tags/v1\n".write(to: repo.folder.appendingPathComponent(".git/HEAD"), atomically: true, encoding: .utf8)
        #expect(repo.native() == (try repo.expected()))
        try repo.git(["symbolic-ref", "HEAD", "refs/heads/none"])
        #expect(repo.native() == .unborn)
        #expect((try repo.expected()) == .unborn)
    }

    @Test func worktreesThroughAGitdirFile() throws {
        let repo = try Repository()
        let names = try repo.importBlobs(Array(0..<2_000), commit: true)
        let commit = try repo.git(["rev-parse", "main"])
        let detached = repo.root.appendingPathComponent("detached"), branch = repo.root.appendingPathComponent("branch")
        try repo.git(["worktree", "add", "-q", "--detach", detached.path, commit])
        try repo.git(["worktree", "add", "-q", "-b", "side", branch.path, commit])
        for folder in [detached, branch] {
            let answer = repo.native(folder)
            #expect(answer == (try repo.expected(folder)))
            if case .commit = answer {} else { Issue.record("\(folder.lastPathComponent): \(answer)") }
        }
        // A worktree's HEAD detached on a blob sharing digits with others.
        try (names[17] + "\n").write(to: repo.folder.appendingPathComponent(".git/worktrees/detached/HEAD"), atomically: true, encoding: .utf8)
        #expect(repo.native(detached) == (try repo.expected(detached)))
    }

    /// `plan` reads the tree's commit without starting git: with no git on `PATH` the version
    /// still carries the commit's short name, as `git rev-parse --short HEAD` prints it.
    @Test func planNamesTheCommitWithoutGit() throws {
        let fake = try FakeUnikraft(manifest: "specification: '0.5'\nname: app\nunikraft:\n  version: stable\ntargets:\n  - qemu/x86_64\n")
        let tree = fake.root.appendingPathComponent("uk")
        let short = try FakeUnikraft.sh("git rev-parse --short HEAD", in: tree)
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GIT_") }
        environment["PATH"] = "/nonexistent"
        let r = try Subprocess.run(CommandLineTests.executable.path, ["plan", "--uk-root", tree.path, "--target", "qemu/x86_64"],
                                                in: fake.app, environment: environment)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Unikraft/0.16.3~\(short) Configuration"), "\(r.stdout.prefix(400))")
    }

    /// On a plain checkout `plan` starts no git: `HEAD`, its short name and whether
    /// `ls-files -m` lists anything (`.git/index`) are read from the files.
    @Test func planStartsNoGitOnACheckout() throws {
        let fake = try FakeUnikraft(manifest: "specification: '0.5'\nname: app\nunikraft:\n  version: stable\ntargets:\n  - qemu/x86_64\n")
        let tree = fake.root.appendingPathComponent("uk")
        let bin = fake.root.appendingPathComponent("bin"), log = fake.root.appendingPathComponent("git.log")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let realGit = try #require(Subprocess.which("git"))
        try "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '\(log.path)'\nexec '\(realGit)' \"$@\"\n".write(to: bin.appendingPathComponent("git"), atomically: true, encoding: .utf8)
        #expect(chmod(bin.appendingPathComponent("git").path, 0o755) == 0)
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GIT_") }
        environment["PATH"] = bin.path + ":/usr/bin:/bin"
        let r = try Subprocess.run(CommandLineTests.executable.path, ["plan", "--uk-root", tree.path, "--target", "qemu/x86_64"],
                                                in: fake.app, environment: environment)
        #expect(r.status == 0, "\(r.stderr)")
        let calls = ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n")
        #expect(calls.isEmpty, "\(calls)")
    }

    /// A filter driver in any configuration git reads (or one that cannot be read for certain)
    /// sends the filter lookup to git, which `ls-files -m` then switches off.
    @Test func aFilterDriverAnywhereIsLeftToGit() throws {
        let repo = try Repository()
        try repo.importBlobs([1], commit: true)
        let reader = GitHeadReader(environment: repo.environment)
        #expect(reader.definesNoFilter(checkout: repo.folder.path))
        try "[filter \"evil\"]\n\tclean = touch /tmp/canary\n".write(to: repo.home.appendingPathComponent(".gitconfig"), atomically: true, encoding: .utf8)
        #expect(!reader.definesNoFilter(checkout: repo.folder.path))
        try FileManager.default.removeItem(at: repo.home.appendingPathComponent(".gitconfig"))
        try repo.git(["config", "filter.lfs.process", "git-lfs filter-process"])
        #expect(!reader.definesNoFilter(checkout: repo.folder.path))
        try repo.git(["config", "--unset", "filter.lfs.process"])
        try repo.git(["config", "include.path", "elsewhere"])
        #expect(!reader.definesNoFilter(checkout: repo.folder.path))
    }

    /// What the reader leaves to git, and git's answer then still arrives (through `GitFacts`).
    @Test func unusualRepositoriesAreLeftToGit() throws {
        let cases: [(String, (Repository) throws -> Void)] = [
            ("an include", { r in try r.git(["config", "include.path", r.home.appendingPathComponent("extra").path]) }),
            ("a multi-pack index", { r in try r.git(["multi-pack-index", "write"]) }),
            ("alternates", { r in try "/nonexistent/objects\n".write(to: r.folder.appendingPathComponent(".git/objects/info/alternates"), atomically: true, encoding: .utf8) }),
            ("a per-worktree config", { r in try r.git(["config", "extensions.worktreeConfig", "true"]) }),
            ("a quoted value", { r in try "[core]\n\tabbrev = \"9\"\n".write(to: r.home.appendingPathComponent(".gitconfig"), atomically: true, encoding: .utf8) }),
            ("an octal value", { r in try r.git(["config", "core.abbrev", "010"], allowFailure: true) }),
        ]
        for (what, change) in cases {
            let repo = try Repository()
            try repo.importBlobs(Array(0..<200), commit: true)
            try change(repo)
            if case .undecided = repo.native() {} else { Issue.record("\(what): \(repo.native())") }
        }
        let sha256 = try Repository()
        try sha256.git(["init", "-q", "--object-format=sha256", sha256.root.appendingPathComponent("s").path], in: sha256.root)
        try sha256.git(["commit", "-q", "--allow-empty", "-m", "c"], in: sha256.root.appendingPathComponent("s"))
        if case .undecided = sha256.native(sha256.root.appendingPathComponent("s")) {} else { Issue.record("sha256 read natively") }
        // The facts still come from git for such a tree.
        let facts = GitFacts(folder: sha256.root.appendingPathComponent("s").path)
        #expect(facts.revision?.count == 64)
    }
}
