import Foundation
import Testing
import TestSupport
import Emitters
import Diagnostics

/// `fetch-origin`, which make runs as `$(WGET)`: what a (reviewed, but still mistaken or
/// compromised) library Makefile hands it cannot write outside the output folder, reach
/// another scheme, or get unverified bytes into the build.
@Suite(.tags(.security)) struct SecurityOriginTests {
    typealias CLI = CommandLineTests

    /// A state folder as `--build` writes it, an output folder and a cache; returns the state folder.
    static func state(in root: URL, pins: [String: (String, Int)] = [:], offline: Bool = false, mirror: String? = nil) throws -> URL {
        let state = root.appendingPathComponent("state")
        try FileManager.default.createDirectory(at: state.appendingPathComponent("records"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("out/build"), withIntermediateDirectories: true)
        let pinned = pins.map { "\(DocumentValue.jsonString($0.key)): {\"sha256\": \"\($0.value.0)\", \"size\": \($0.value.1)}" }.joined(separator: ", ")
        let settings = """
            {"cache": \(DocumentValue.jsonString(root.appendingPathComponent("cache").path)), "outputRoot": \(DocumentValue.jsonString(root.appendingPathComponent("out").path)),
             \(mirror.map { "\"mirror\": \(DocumentValue.jsonString($0))," } ?? "") "offline": \(offline), "locked": false, "pins": {\(pinned)}, "stated": {},
             "timeout": 10, "maxBytes": 1048576}
            """
        try settings.write(to: state.appendingPathComponent("settings.json"), atomically: true, encoding: .utf8)
        return state
    }

    static func fetch(_ state: URL, _ arguments: [String]) throws -> ProcessOutput {
        try CLI.run(["fetch-origin"] + arguments, environment: ["MANIFESTC_ORIGIN_STATE": state.path])
    }

    @Test func aDownloadIsNeverWrittenOutsideTheOutputFolder() throws {
        let root = try CLI.temporaryFolder(["source/a.tar.gz": "bytes\n"])
        let state = try Self.state(in: root)
        let url = "file://" + root.appendingPathComponent("source/a.tar.gz").path
        let outside = root.appendingPathComponent("victim")
        let r = try Self.fetch(state, ["-q", "-O", outside.path, url])
        #expect(r.status == 1)
        #expect(r.stderr.contains("refusing to write '\(outside.path)': it is not inside the output folder"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: outside.path))
        // Nor through a link inside it that leads out.
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("out/build/link"), withDestinationURL: root)
        let linked = try Self.fetch(state, ["-O", root.appendingPathComponent("out/build/link/victim").path, url])
        #expect(linked.status == 1)
        #expect(!FileManager.default.fileExists(atPath: outside.path))
        let inside = try Self.fetch(state, ["-O", root.appendingPathComponent("out/build/a.tar.gz").path, url])
        #expect(inside.status == 0, "\(inside.stderr)")
    }

    @Test(arguments: ["ftp://example.com/a.tar.gz", "ext::sh%20-c%20touch%20CANARY", "-oProxyCommand=touch CANARY", "https://user:secret@example.com/a"])
    func otherSchemesAndCredentialsAreRefusedWithoutRunningAnything(_ url: String) throws {
        let root = try CLI.temporaryFolder([:])
        let state = try Self.state(in: root)
        let r = try Self.fetch(state, ["-O", root.appendingPathComponent("out/build/a").path, url])
        #expect(r.status == 1)
        #expect(r.stderr.contains("error: "), "\(r.stderr)")
        #expect(!r.stderr.contains("secret"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("out/build/a").path))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("CANARY").path))
    }

    @Test func aTamperedCacheEntryIsNotUsed() throws {
        let root = try CLI.temporaryFolder([:])
        let good = "the real origin\n"
        let digest = SHA256.hex(Array(good.utf8))
        let url = "https://origins.invalid/a.tar.gz"
        let state = try Self.state(in: root, pins: [url: (digest, good.utf8.count)], offline: true)
        // Someone replaced the cached file's content; its name still says the pinned hash.
        let cached = root.appendingPathComponent("cache/sha256/\(digest)")
        try FileManager.default.createDirectory(at: cached.deletingLastPathComponent(), withIntermediateDirectories: true)
        try "malicious\n".write(to: cached, atomically: true, encoding: .utf8)
        let r = try Self.fetch(state, ["-O", root.appendingPathComponent("out/build/a.tar.gz").path, url])
        #expect(r.status == 1)
        #expect(r.stderr.contains("is not in the cache and --offline forbids downloading it"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("out/build/a.tar.gz").path))
        #expect(!FileManager.default.fileExists(atPath: cached.path))
    }
}
