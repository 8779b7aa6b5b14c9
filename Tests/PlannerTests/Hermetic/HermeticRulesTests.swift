import Testing
import TestSupport
import Diagnostics
@testable import Planner

/// kraft.lock's `origins`, what a `Library.uk` states, the origin URL rules and the
/// reproducible-build variables: pure functions of values.
@Suite struct LockOriginsTests {
    static let digest = String(repeating: "0123456789abcdef", count: 4)
    static let commit = String(repeating: "a", count: 40)

    static var lock: LockFile {
        LockFile(entries: [LockEntry(role: .unikraft, path: "./uk", version: "stable", commit: commit)],
                 origins: [OriginPin(url: "https://z.example/b.tar.gz", sha256: digest, size: 7),
                           OriginPin(url: "https://a.example/a.tar.gz", sha256: digest, size: 1_234_567)])
    }

    @Test func originsAreRenderedSortedByURLAndParsedBack() {
        let text = Self.lock.render(manifest: "kraft.yaml")
        #expect(text.hasSuffix("""
            unikraft:
              path: ./uk
              commit: \(Self.commit)
            origins:
              - url: 'https://a.example/a.tar.gz'
                sha256: \(Self.digest)
                size: 1234567
              - url: 'https://z.example/b.tar.gz'
                sha256: \(Self.digest)
                size: 7

            """), "\(text)")
        let (parsed, diagnostics) = LockFile.parse(Array(text.utf8), file: "kraft.lock")
        #expect(diagnostics.isEmpty)
        #expect(parsed == Self.lock)
        #expect(parsed?.origin(for: "https://z.example/b.tar.gz")?.size == 7)
    }

    @Test func aLockWithoutOriginsStillReads() {
        let old = "lock-version: 1\nunikraft:\n  url: 'https://github.com/unikraft/unikraft.git'\n  version: stable\n  commit: \(Self.commit)\n"
        let (parsed, diagnostics) = LockFile.parse(Array(old.utf8), file: "kraft.lock")
        #expect(diagnostics.isEmpty)
        #expect(parsed?.origins == [])
        #expect(parsed?.entries.count == 1)
    }

    @Test(arguments: [
        ("origins: {}\n", "2:10"),
        ("origins:\n  - url: 'https://a/x'\n    sha256: abc\n    size: 1\n", "3:5"),
        ("origins:\n  - url: 'ftp://a/x'\n    sha256: \(digest)\n    size: 1\n", "3:5"),
        ("origins:\n  - url: 'https://a/x'\n    sha256: \(digest.uppercased())\n    size: 1\n", "3:5"),
        ("origins:\n  - url: 'https://a/x'\n    sha256: \(digest)\n    size: -1\n", "3:5"),
        ("origins:\n  - url: 'https://a/x'\n    sha256: \(digest)\n", "3:5"),
        ("origins:\n  - url: 'https://a/x'\n    sha256: \(digest)\n    size: 1\n  - url: 'https://a/x'\n    sha256: \(digest)\n    size: 1\n", "6:5"),
    ])
    func invalidOriginsAreLocatedErrors(_ c: (String, String)) {
        let (parsed, diagnostics) = LockFile.parse(Array(("lock-version: 1\n" + c.0).utf8), file: "kraft.lock")
        #expect(parsed == nil)
        #expect(diagnostics.map(\.id) == ["lock-invalid"])
        #expect(diagnostics.first.map { "\($0.location!.range.start)" } == c.1, "\(diagnostics)")
    }

    @Test func mergeKeepsExistingPinsAndAddsNewOnes() {
        let old = OriginPin(url: "https://a/x", sha256: Self.digest, size: 1)
        let changed = OriginPin(url: "https://a/x", sha256: String(repeating: "f", count: 64), size: 2)
        let new = OriginPin(url: "https://a/0", sha256: Self.digest, size: 3)
        #expect(OriginRules.merge([old], [changed, new]) == [new, old])
    }
}

@Suite struct OriginRulesTests {
    @Test(arguments: [
        ("https://www.musl-libc.org/releases/musl-1.2.3.tar.gz", nil),
        ("http://127.0.0.1:8080/a.tar.gz", nil),
        ("file:///srv/mirror/a.tar.gz", nil),
        ("HTTPS://example.com/a", nil),
        ("ftp://example.com/a", "the scheme 'ftp' is not allowed; use one of https, http, file"),
        ("ext::sh -c touch% /tmp/pwned", "the URL holds a space or a control character"),
        ("https://user:token@example.com/a", "the URL holds a user name or password"),
        ("https:///a", "the URL names no host"),
        ("example.com/a", "the URL has no scheme; use one of https, http, file"),
        ("https://example.com/a\nb", "the URL holds a space or a control character"),
    ] as [(String, String?)])
    func urlRules(_ c: (String, String?)) {
        #expect(OriginRules.urlProblem(c.0) == c.1)
    }

    @Test func credentialsAreNeverShown() {
        #expect(OriginRules.redacted("https://user:secret@example.com/a@b") == "https://***@example.com/a@b")
        #expect(OriginRules.redacted("https://example.com/a@b") == "https://example.com/a@b")
    }

    @Test func mirrorNames() {
        #expect(OriginRules.mirrorName("https://a/releases/musl-1.2.3.tar.gz") == "musl-1.2.3.tar.gz")
        #expect(OriginRules.mirrorName("https://a/get?file=x") == "get")
        #expect(OriginRules.mirrorName("https://a/dir/") == nil)
        #expect(OriginRules.mirrorName("https://a/..") == nil)
    }

    @Test func theLockAndLibraryUkMustBothAgree() {
        let good = String(repeating: "1", count: 64), bad = String(repeating: "2", count: 64)
        let pin = OriginPin(url: "https://a/x", sha256: good, size: 1)
        let stated = StatedOrigin(library: "musl", version: "1.2.3", sha256: good, url: "https://a/x")
        #expect(OriginRules.verify(url: "https://a/x", sha256: good, pin: pin, stated: stated) == nil)
        #expect(OriginRules.verify(url: "https://a/x", sha256: good, pin: nil, stated: nil) == nil)
        let lockSays = OriginRules.verify(url: "https://a/x", sha256: bad, pin: pin, stated: nil)
        #expect(lockSays?.description.hasPrefix("the origin 'https://a/x' has changed: kraft.lock pins sha256 \(good), the download has sha256 \(bad)") == true)
        let libraryUkSays = OriginRules.verify(url: "https://a/x", sha256: bad, pin: nil, stated: stated)
        #expect(libraryUkSays?.expectedBy == "the Library.uk of 'musl'")
    }
}

@Suite struct LibraryDescriptionTests {
    @Test func readsLibMuslsLibraryUk() {
        let text = """
            name        := "musl"
            description := "A portable standard C library targetting the Linux syscall API."
            homepage    := "https://www.musl-libc.org/"
            license     := "MIT"
            version     := 1.2.3 sha256:7d5b0b6062521e4627e099e4c9dc8248d32a30285e959b7eecaa780cf8cfd4a4 https://www.musl-libc.org/releases/musl-1.2.3.tar.gz

            """
        let description = LibraryDescription(parsing: text, library: "musl")
        #expect(description.name == "musl")
        #expect(description.license == "MIT")
        #expect(description.homepage == "https://www.musl-libc.org/")
        #expect(description.origins == [StatedOrigin(library: "musl", version: "1.2.3",
                                                     sha256: "7d5b0b6062521e4627e099e4c9dc8248d32a30285e959b7eecaa780cf8cfd4a4",
                                                     url: "https://www.musl-libc.org/releases/musl-1.2.3.tar.gz")])
    }

    @Test(arguments: [
        "version := 1.0\n",
        "version := 1.0 sha256:xyz https://a/x\n",
        "version := 1.0 sha256:\(String(repeating: "a", count: 64)) ftp://a/x\n",
        "# version := 1.0 sha256:\(String(repeating: "a", count: 64)) https://a/x\n",
    ])
    func linesWithoutAUsableHashStateNoOrigin(_ text: String) {
        #expect(LibraryDescription(parsing: text, library: "x").origins.isEmpty)
    }
}

@Suite struct ReproducibleBuildTests {
    @Test(arguments: [
        (0, "1970-01-01T00:00:00+00:00"),
        (951_782_400, "2000-02-29T00:00:00+00:00"),
        (1_717_000_000, "2024-05-29T16:26:40+00:00"),
        (4_102_444_799, "2099-12-31T23:59:59+00:00"),
    ])
    func isoDatesAreWhatDateIsecondsUPrints(_ c: (Int, String)) {
        #expect(ReproducibleBuild.isoDate(c.0) == c.1)
    }

    @Test func theUsersEpochWinsElseTheNewestCommit() {
        #expect(ReproducibleBuild.epoch(userValue: "1234", commitTimes: [5, 9]) == 1234)
        #expect(ReproducibleBuild.epoch(userValue: nil, commitTimes: [5, 9, 7]) == 9)
        #expect(ReproducibleBuild.epoch(userValue: nil, commitTimes: []) == 0)
        #expect(ReproducibleBuild.epoch(userValue: "yesterday", commitTimes: [5]) == nil)
        #expect(ReproducibleBuild.epoch(userValue: "-5", commitTimes: [5]) == nil)
    }

    @Test func prefixMapsPutTheLongestFolderLastSoThatItWins() {
        let variables = ReproducibleBuild.makeVariables(epoch: 0, maps: [
            .init(folder: "/w/app/.unikraft/unikraft", name: "unikraft"),
            .init(folder: "/w/app", name: "app"),
        ])
        let flags = "-ffile-prefix-map=/w/app=app -ffile-prefix-map=/w/app/.unikraft/unikraft=unikraft"
        #expect(variables == ["HOSTUTC=1970-01-01T00:00:00+00:00", "UK_CFLAGS=\(flags)", "UK_CXXFLAGS=\(flags)", "UK_ASFLAGS=\(flags)"])
    }

    @Test func firstDifference() {
        #expect(ReproducibleBuild.firstDifference([1, 2, 3], [1, 2, 3]) == nil)
        #expect(ReproducibleBuild.firstDifference([1, 2, 3], [1, 9, 3]) == 1)
        #expect(ReproducibleBuild.firstDifference([1, 2], [1, 2, 3]) == 2)
        #expect(ReproducibleBuild.firstDifference([], [0]) == 0)
    }
}

/// Folder and library names reach make's command line (`UK_CFLAGS=-ffile-prefix-map=…`), which
/// Unikraft's recipes hand to `sh` unquoted: 1,000 hostile ones are each left out or kept as
/// words of letters, digits and `._+@/=-` only (and letters beyond ASCII).
@Suite(.tags(.security)) struct SecurityPrefixMapTests {
    static let alphabet: [String] = ["a", "Z", "0", " ", "\t", "\n", "'", "\"", "\\", "$", "`", ";", "|", "&", "<", ">", "(", ")",
                                     "{", "}", "*", "?", "~", "!", "#", "=", ",", "-", "%", "é", ":", "/", ".", "$(shell touch CANARY)"]

    @Test func hostileFoldersAndNamesNeverReachTheShellAsAnythingButPlainWords() {
        var rng = SplitMix64(seed: 0x5EED)
        func hostile() -> String {
            (0..<Int(rng.next() % 12)).map { _ in Self.alphabet[Int(rng.next() % UInt64(Self.alphabet.count))] }.joined()
        }
        for _ in 0..<1_000 {
            let folder = "/w/" + hostile(), name = "libs/lib-" + hostile()
            let variables = ReproducibleBuild.makeVariables(epoch: 0, maps: [.init(folder: folder, name: name), .init(folder: "/w", name: "app")])
            let flags = variables.filter { $0.hasPrefix("UK_CFLAGS=") }.map { String($0.dropFirst("UK_CFLAGS=".count)) }
            #expect(flags.count == 1)
            for word in flags.joined().split(separator: " ") {
                // Nothing the shell or make reads specially (letters beyond ASCII are plain to both).
                #expect(!word.unicodeScalars.contains { $0.value < 0x80 && !(("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "._+@/=-".unicodeScalars.contains($0)) },
                        "\(folder.debugDescription) \(name.debugDescription): \(word)")
                // One map per word: -ffile-prefix-map=FOLDER=NAME, never a second '='.
                #expect(word.split(separator: "=", omittingEmptySubsequences: false).count == 3, "\(word)")
            }
        }
    }
}
