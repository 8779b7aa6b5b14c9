import Manifest
import Testing
import TestSupport
import Diagnostics
@testable import Planner

/// Only the git transports https, ssh, git, file and local folders reach git, and no
/// credentials in a URL reach kraft.lock or a log: anything else is a located error at
/// the manifest's `source`.
@Suite(.tags(.security)) struct SecuritySourceTransportTests {
    static func diagnostics(_ source: String) throws -> [Diagnostic] {
        let text = "spec: v0.6\nunikraft:\n  source: '\(source)'\n  version: stable\n"
        let result = ManifestLoader().load(Array(text.utf8), file: "kraft.yaml")
        return SourceRules.requests(for: try #require(result.manifest)).diagnostics
    }

    @Test(arguments: [
        ("fd::17", "source-transport"), ("ext::sh -c touch% /tmp/pwned", "source-transport"),
        ("testgit::/tmp/repo", "source-transport"), ("transport::https://example.com/r.git", "source-transport"),
        ("--upload-pack=touch /tmp/pwned", "source-transport"), ("-uhello", "source-transport"),
        ("http://example.com/unikraft.git", "source-transport"), ("ftp://example.com/unikraft.git", "source-transport"),
        ("https://user:token@example.com/unikraft.git", "source-credentials"), ("https://ghp_token@github.com/u/r.git", "source-credentials"),
        ("ssh://git:password@example.com/r.git", "source-credentials"), ("https://ghp_token@github.com", "source-credentials"),
    ])
    func aHostileSourceIsALocatedError(_ c: (String, String)) throws {
        let diagnostics = try Self.diagnostics(c.0)
        #expect(diagnostics.map(\.id) == [c.1], "\(diagnostics.map(\.message))")
        #expect(diagnostics.first.map { "\($0.location!.range.start.line):\($0.location!.range.start.column)" } == "3:11")
        for secret in ["token", "password"] { #expect(diagnostics.first?.message.contains(secret) != true) }
    }

    @Test(arguments: [
        "https://github.com/unikraft/unikraft.git", "ssh://git@github.com/unikraft/unikraft.git", "git@github.com:unikraft/unikraft.git",
        "git://example.com/unikraft.git", "file:///srv/git/unikraft.git", "git+ssh://git@example.com/u.git", "mirror/unikraft.git",
    ])
    func anAllowedSourceIsAccepted(_ source: String) throws {
        #expect(try Self.diagnostics(source).isEmpty)
    }
}
