import Manifest
import Testing
import Diagnostics
@testable import Planner

/// Source resolution rules: defaults, `URL@ref`, local folders, version candidates.
@Suite struct SourceRulesTests {
    @Test(arguments: [
        ("https://github.com/unikraft/lib-musl.git@stable", "https://github.com/unikraft/lib-musl.git", "stable"),
        ("git@github.com:unikraft/lib-musl.git@RELEASE-0.17.0", "git@github.com:unikraft/lib-musl.git", "RELEASE-0.17.0"),
        ("git@github.com:unikraft/lib-musl.git", "git@github.com:unikraft/lib-musl.git", nil),
        ("https://user@example.com/repo.git", "https://user@example.com/repo.git", nil),
        ("ssh://git@example.com/repo.git@0123abc", "ssh://git@example.com/repo.git", "0123abc"),
        ("file:///srv/git/unikraft.git@v0.17.0", "file:///srv/git/unikraft.git", "v0.17.0"),
        ("https://example.com/repo.git@", "https://example.com/repo.git@", nil),
    ] as [(String, String, String?)])
    func urlAtRefSplitsAtTheLastAtAfterTheLastSlash(_ c: (String, String, String?)) {
        let (url, ref) = SourceRules.splitReference(c.0)
        #expect(url == c.1)
        #expect(ref == c.2)
    }

    @Test func localPathsAreTheOnesThatLookLikePaths() {
        for path in ["/src/unikraft", "./unikraft", "../libs/lib-musl", "~/unikraft", ".", ".."] {
            #expect(SourceRules.isLocalPath(path), "\(path)")
        }
        for url in ["https://github.com/unikraft/unikraft.git", "file:///srv/unikraft.git", "git@github.com:u/r.git", "unikraft"] {
            #expect(!SourceRules.isLocalPath(url), "\(url)")
        }
    }

    static func requests(_ text: String) throws -> ([SourceRequest], [Diagnostic]) {
        let result = ManifestLoader().load(Array(text.utf8), file: "kraft.yaml")
        return SourceRules.requests(for: try #require(result.manifest))
    }

    @Test func defaultsAreUnikraftsPublicRepositoriesAndTheStableChannel() throws {
        let (requests, diagnostics) = try Self.requests("""
            spec: v0.6
            unikraft: staging
            libraries:
              musl: ~
              lwip:
                source: https://example.com/lwip.git@v2
              mine:
                source: ./libs/mine
            targets: [qemu/x86_64]
            """)
        #expect(diagnostics.isEmpty)
        #expect(requests.map(\.role) == [.unikraft, .library("musl"), .library("lwip"), .library("mine")])
        #expect(requests[0].origin == .git("https://github.com/unikraft/unikraft.git"))
        #expect(requests[0].version == "staging" && requests[0].versionGiven)
        #expect(requests[1].origin == .git("https://github.com/unikraft/lib-musl.git"))
        #expect(requests[1].version == "stable" && !requests[1].versionGiven)
        #expect(requests[2].origin == .git("https://example.com/lwip.git") && requests[2].version == "v2")
        #expect(requests[3].origin == .local("./libs/mine"))
        #expect(requests.map(\.workspaceFolder) == ["unikraft", "libs/lib-musl", "libs/lib-lwip", "libs/lib-mine"])
    }

    @Test func aManifestWithoutUnikraftStillGetsTheCore() throws {
        let (requests, _) = try Self.requests("spec: v0.6\ntargets: [qemu/x86_64]\n")
        #expect(requests.map(\.role) == [.unikraft])
        #expect(requests[0].version == "stable")
    }

    @Test func problemsAreLocated() throws {
        let (_, diagnostics) = try Self.requests("""
            spec: v0.6
            unikraft:
              source: https://example.com/uk.git@stable
              version: staging
            libraries:
              mine:
                source: ./mine
                version: stable
            template:
              version: stable
            targets: [qemu/x86_64]
            """)
        #expect(diagnostics.map { "\($0.severity.rawValue) \($0.id) \($0.location!.range.start)" } == [
            "error source-version-conflict 4:12", "warning source-local-version 8:14", "error source-missing 10:3",
        ])
    }

    @Test func templatesLiveUnderAppsByRepositoryName() {
        let r = SourceRequest(role: .template, origin: .git("https://github.com/unikraft/app-elfloader.git"), version: "staging", versionGiven: true)
        #expect(r.workspaceFolder == "apps/app-elfloader")
    }

    @Test func candidateRefsForEachKindOfVersion() {
        #expect(SourceRules.candidateRefs(for: "stable", versionGiven: false) == ["refs/heads/stable", "refs/heads/staging"])
        #expect(SourceRules.candidateRefs(for: "stable") == ["refs/heads/stable", "refs/tags/stable"])
        #expect(SourceRules.candidateRefs(for: "0.17.0") == [
            "refs/heads/0.17.0", "refs/tags/0.17.0", "refs/tags/RELEASE-0.17.0", "refs/tags/v0.17.0",
        ])
        #expect(SourceRules.candidateRefs(for: "v0.6") == [
            "refs/heads/v0.6", "refs/tags/v0.6", "refs/tags/RELEASE-0.6", "refs/tags/0.6",
            "refs/tags/RELEASE-0.6.0", "refs/tags/v0.6.0", "refs/tags/0.6.0",
        ])
    }

    static let lsRemote = """
        1111111111111111111111111111111111111111\tHEAD
        2222222222222222222222222222222222222222\trefs/heads/stable
        3333333333333333333333333333333333333333\trefs/heads/staging
        4444444444444444444444444444444444444444\trefs/tags/RELEASE-0.17.0
        5555555555555555555555555555555555555555\trefs/tags/v0.18.0
        6666666666666666666666666666666666666666\trefs/tags/v0.18.0^{}

        """

    @Test func resolutionPrefersRefsAndPeelsAnnotatedTags() {
        let refs = SourceRules.parseLsRemote(Self.lsRemote)
        #expect(refs["refs/tags/v0.18.0"] == String(repeating: "6", count: 40))
        #expect(SourceRules.resolve("stable", versionGiven: false, refs: refs) == .ref(name: "refs/heads/stable", commit: String(repeating: "2", count: 40)))
        #expect(SourceRules.resolve("0.17.0", refs: refs) == .ref(name: "refs/tags/RELEASE-0.17.0", commit: String(repeating: "4", count: 40)))
        #expect(SourceRules.resolve("0.18", refs: refs) == .ref(name: "refs/tags/v0.18.0", commit: String(repeating: "6", count: 40)))
        #expect(SourceRules.resolve("abcdef1", refs: refs) == .commit("abcdef1"))
        #expect(SourceRules.resolve("stabel", refs: refs) == nil)
        #expect(SourceRules.resolve("ABCDEF1", refs: refs) == nil)
        #expect(SourceRules.shortNames(refs) == ["RELEASE-0.17.0", "stable", "staging", "v0.18.0"])
    }

    @Test func crossCompilersForEachHost() {
        #expect(Toolchain.forTarget(.x86_64, hostArch: "x86_64").prefix == "")
        #expect(Toolchain.forTarget(.arm64, hostArch: "x86_64") == Toolchain(prefix: "aarch64-linux-gnu-", debianPackage: "gcc-aarch64-linux-gnu"))
        #expect(Toolchain.forTarget(.arm64, hostArch: "aarch64").prefix == "")
        #expect(Toolchain.forTarget(.x86_64, hostArch: "aarch64") == Toolchain(prefix: "x86_64-linux-gnu-", debianPackage: "gcc-x86-64-linux-gnu"))
        #expect(Toolchain.forTarget(.arm64, hostArch: "x86_64", crossCompile: "/opt/tc/bin/aarch64-none-elf-").compiler == "/opt/tc/bin/aarch64-none-elf-gcc")
    }
}

/// `kraft.lock`: deterministic text, parsing with located errors, drift.
@Suite struct LockFileTests {
    static let sha1 = String(repeating: "a", count: 40), sha2 = String(repeating: "b", count: 40)

    static var lock: LockFile {
        LockFile(entries: [
            LockEntry(role: .library("musl"), url: "https://github.com/unikraft/lib-musl.git", version: "stable", ref: "refs/heads/stable", commit: sha2),
            LockEntry(role: .library("lwip"), path: "../lwip", version: "stable"),
            LockEntry(role: .unikraft, url: "https://github.com/unikraft/unikraft.git", version: "0.17.0", ref: "refs/tags/RELEASE-0.17.0", commit: sha1),
        ])
    }

    @Test func rendersSortedWithAFixedKeyOrder() {
        #expect(Self.lock.render(manifest: "kraft.yaml") == """
            # Generated by manifestc from kraft.yaml: the commit of every source. Review changes;
            # refresh with 'manifestc kraft.yaml --update'.
            lock-version: 1
            unikraft:
              url: 'https://github.com/unikraft/unikraft.git'
              version: 0.17.0
              ref: refs/tags/RELEASE-0.17.0
              commit: \(Self.sha1)
            libraries:
              lwip:
                path: ../lwip
              musl:
                url: 'https://github.com/unikraft/lib-musl.git'
                version: stable
                ref: refs/heads/stable
                commit: \(Self.sha2)

            """)
    }

    @Test func parsesWhatItRenders() {
        let text = Self.lock.render(manifest: "kraft.yaml")
        let (parsed, diagnostics) = LockFile.parse(Array(text.utf8), file: "kraft.lock")
        #expect(diagnostics.isEmpty)
        #expect(parsed == Self.lock)
    }

    @Test(arguments: [
        ("lock-version: 1\nunikraft:\n  url: x\n  version: stable\n  commit: abc\n", "3:3"),
        ("lock-version: 2\n", "1:15"),
        ("lock-version: 1\nunikraft:\n  url: x\n  colour: blue\n", "4:3"),
        ("unikraft: {}\n", "1:1"),
        ("lock-version: 1\nlibraries: [musl]\n", "2:12"),
    ])
    func invalidLockFilesAreLocatedErrors(_ c: (String, String)) {
        let (parsed, diagnostics) = LockFile.parse(Array(c.0.utf8), file: "kraft.lock")
        #expect(parsed == nil)
        #expect(diagnostics.map(\.id) == ["lock-invalid"])
        #expect(diagnostics.first.map { "\($0.location!.range.start)" } == c.1)
    }

    @Test func driftNamesEveryDifference() {
        let requests = [
            SourceRequest(role: .unikraft, origin: .git("https://github.com/unikraft/unikraft.git"), version: "staging", versionGiven: true),
            SourceRequest(role: .library("lwip"), origin: .local("../lwip"), version: "stable", versionGiven: false),
            SourceRequest(role: .library("newlib"), origin: .git("https://github.com/unikraft/lib-newlib.git"), version: "stable", versionGiven: false),
        ]
        #expect(Self.lock.drift(from: requests) == [
            "unikraft asks for version 'staging', the lock file has '0.17.0'",
            "library 'newlib' is not in the lock file",
            "the lock file pins library 'musl', which the manifest no longer lists",
        ])
        #expect(Self.lock.entry(for: .library("lwip"))!.satisfies(requests[1]))
        #expect(!Self.lock.entry(for: .unikraft)!.satisfies(requests[0]))
    }
}
