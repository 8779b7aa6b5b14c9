import Foundation
import Testing
import TestSupport

/// `--build` with origins: a fake Unikraft whose library downloads a file through
/// `$(WGET)` from an HTTP server on loopback, pinned in kraft.lock and cached by hash.
@Suite(.serialized, .tags(.slow)) struct HermeticBuildTests {
    static let contentV1 = "origin content v1\n"

    @Test func firstUseRecordsTheHashThenASecondWorkspaceUsesTheCacheWithTheServerStopped() throws {
        let fake = try FakeOriginTree(url: "http://127.0.0.1:1/unused")
        let server = try LoopbackServer(serving: fake.root.appendingPathComponent("served"))
        defer { server.stop() }
        try "LIBFOO_URL := \(server.url("foo-1.0.tar.gz"))\n".write(to: fake.app.appendingPathComponent("lib/Makefile.uk"), atomically: true, encoding: .utf8)
        let first = try fake.manifestc(["kraft.yaml", "--build"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("origin '\(server.url("foo-1.0.tar.gz"))': downloading…"), "\(first.stderr)")
        #expect(first.stderr.contains("no Library.uk states its hash"), "\(first.stderr)")
        let digest = FakeOriginTree.sha256(Self.contentV1)
        let lock = fake.text("kraft.lock")
        #expect(lock.contains("origins:\n  - url: '\(server.url("foo-1.0.tar.gz"))'\n    sha256: \(digest)\n    size: \(Self.contentV1.utf8.count)\n"), "\(lock)")
        #expect(server.requests.count == 1)
        #expect(FileManager.default.fileExists(atPath: fake.cache.appendingPathComponent("manifestc/origins/sha256/\(digest)").path))
        // The image holds the origin and the fixed build time; its digest is printed.
        let image = try #require(fake.bytes(fake.image))
        #expect(String(decoding: image, as: UTF8.self) == "image of hello built at 1970-01-01T00:00:00+00:00\n" + Self.contentV1)
        #expect(first.stdout.contains("qemu-x86_64: sha256 \(SHA256Hex.of(image))"), "\(first.stdout)")

        server.stop()
        let second = try fake.copyOfApp("second")
        let again = try fake.manifestc(["kraft.yaml", "--build", "--locked"], in: second)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("(from the cache;"), "\(again.stderr)")
        #expect(fake.bytes(fake.image, in: second) == image)
        #expect(fake.text("kraft.lock", in: second) == lock)
    }

    @Test func aChangedOriginIsRefusedWithNothingBuilt() throws {
        let fake = try FakeOriginTree(url: "http://127.0.0.1:1/unused")
        let server = try LoopbackServer(serving: fake.root.appendingPathComponent("served"))
        defer { server.stop() }
        let url = server.url("foo-1.0.tar.gz")
        try "LIBFOO_URL := \(url)\n".write(to: fake.app.appendingPathComponent("lib/Makefile.uk"), atomically: true, encoding: .utf8)
        #expect(try fake.manifestc(["kraft.yaml", "--build"]).status == 0)
        let lock = fake.text("kraft.lock")
        // The server now serves other bytes; a fresh folder and an empty cache must download them.
        try "tampered\n".write(to: fake.root.appendingPathComponent("served/foo-1.0.tar.gz"), atomically: true, encoding: .utf8)
        let second = try fake.copyOfApp("second")
        let run = try fake.manifestc(["kraft.yaml", "--build"], in: second, cache: fake.root.appendingPathComponent("other-cache"))
        #expect(run.status == 1)
        #expect(run.stderr.contains("error: the origin '\(url)' has changed: kraft.lock pins sha256 \(FakeOriginTree.sha256(Self.contentV1)), the download has sha256 \(FakeOriginTree.sha256("tampered\n")); nothing was built"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: second.appendingPathComponent(fake.image).path))
        #expect(!FileManager.default.fileExists(atPath: second.appendingPathComponent("build/qemu-x86_64/libfoo/foo-1.0.tar.gz").path))
        #expect(fake.text("kraft.lock", in: second) == lock)
    }

    @Test func aDownloadThatDisagreesWithLibraryUkIsRefused() throws {
        let fake = try FakeOriginTree(url: "http://127.0.0.1:1/unused")
        let server = try LoopbackServer(serving: fake.root.appendingPathComponent("served"))
        defer { server.stop() }
        let url = server.url("foo-1.0.tar.gz"), wrong = String(repeating: "ab", count: 32)
        try "LIBFOO_URL := \(url)\n".write(to: fake.app.appendingPathComponent("lib/Makefile.uk"), atomically: true, encoding: .utf8)
        try "name := \"foo\"\nversion := 1.0 sha256:\(wrong) \(url)\n".write(to: fake.app.appendingPathComponent("lib/Library.uk"), atomically: true, encoding: .utf8)
        let refused = try fake.manifestc(["kraft.yaml", "--build"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("the Library.uk of 'foo' pins sha256 \(wrong), the download has sha256 \(FakeOriginTree.sha256(Self.contentV1))"), "\(refused.stderr)")
        #expect(!fake.text("kraft.lock").contains("origins:"))
        #expect(fake.bytes(fake.image) == nil)

        let right = FakeOriginTree.sha256(Self.contentV1)
        try "name := \"foo\"\nversion := 1.0 sha256:\(right) \(url)\n".write(to: fake.app.appendingPathComponent("lib/Library.uk"), atomically: true, encoding: .utf8)
        let accepted = try fake.manifestc(["kraft.yaml", "--build"])
        #expect(accepted.status == 0, "\(accepted.stderr)")
        #expect(accepted.stderr.contains("matches the Library.uk of 'foo'"), "\(accepted.stderr)")
    }

    @Test func lockedWithoutTheOriginFails() throws {
        let fake = try FakeOriginTree(url: "http://127.0.0.1:1/unused")
        let server = try LoopbackServer(serving: fake.root.appendingPathComponent("served"))
        defer { server.stop() }
        try "LIBFOO_URL := \(server.url("foo-1.0.tar.gz"))\n".write(to: fake.app.appendingPathComponent("lib/Makefile.uk"), atomically: true, encoding: .utf8)
        // Pins the sources only (no origins yet): emitting with --update writes the lock without building.
        #expect(try fake.manifestc(["kraft.yaml", "--update"]).status == 0)
        #expect(!fake.text("kraft.lock").contains("origins"))
        let run = try fake.manifestc(["kraft.yaml", "--build", "--locked"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("the origin '\(server.url("foo-1.0.tar.gz"))' is not pinned in kraft.lock's 'origins' (--locked)"), "\(run.stderr)")
        #expect(server.requests.isEmpty)
        #expect(fake.bytes(fake.image) == nil)
    }

    @Test func offlineNeverOpensAConnectionAndTakesAFolderMirror() throws {
        let fake = try FakeOriginTree(url: "http://127.0.0.1:1/unused")
        let server = try LoopbackServer(serving: fake.root.appendingPathComponent("served"))
        defer { server.stop() }
        let url = server.url("foo-1.0.tar.gz")
        try "LIBFOO_URL := \(url)\n".write(to: fake.app.appendingPathComponent("lib/Makefile.uk"), atomically: true, encoding: .utf8)
        let offline = try fake.manifestc(["kraft.yaml", "--build", "--offline"])
        #expect(offline.status == 1)
        #expect(offline.stderr.contains("the origin '\(url)' is not in the cache and --offline forbids downloading it"), "\(offline.stderr)")
        #expect(server.requests.isEmpty, "\(server.requests)")

        let mirror = fake.root.appendingPathComponent("mirror")
        try FileManager.default.createDirectory(at: mirror, withIntermediateDirectories: true)
        try Self.contentV1.write(to: mirror.appendingPathComponent("foo-1.0.tar.gz"), atomically: true, encoding: .utf8)
        let mirrored = try fake.manifestc(["kraft.yaml", "--build", "--offline", "--origin-mirror", mirror.path])
        #expect(mirrored.status == 0, "\(mirrored.stderr)")
        #expect(mirrored.stderr.contains("(from the mirror;"), "\(mirrored.stderr)")
        #expect(server.requests.isEmpty, "\(server.requests)")
        #expect(fake.text("kraft.lock").contains("sha256: \(FakeOriginTree.sha256(Self.contentV1))"))
    }

    @Test func fetchFillsTheCacheSoThatAnOfflineBuildNeedsNoServer() throws {
        let fake = try FakeOriginTree(url: "http://127.0.0.1:1/unused")
        let server = try LoopbackServer(serving: fake.root.appendingPathComponent("served"))
        defer { server.stop() }
        try "LIBFOO_URL := \(server.url("foo-1.0.tar.gz"))\n".write(to: fake.app.appendingPathComponent("lib/Makefile.uk"), atomically: true, encoding: .utf8)
        let fetched = try fake.manifestc(["kraft.yaml", "--fetch"])
        #expect(fetched.status == 0, "\(fetched.stderr)")
        #expect(fake.bytes(fake.image) == nil)
        server.stop()
        let second = try fake.copyOfApp("second")
        let built = try fake.manifestc(["kraft.yaml", "--build", "--offline", "--locked"], in: second)
        #expect(built.status == 0, "\(built.stderr)")
    }

    @Test func verifyReproducibleRebuildsAndNamesTheFirstDifference() throws {
        let fake = try FakeOriginTree(url: "http://127.0.0.1:1/unused")
        let server = try LoopbackServer(serving: fake.root.appendingPathComponent("served"))
        defer { server.stop() }
        try "LIBFOO_URL := \(server.url("foo-1.0.tar.gz"))\n".write(to: fake.app.appendingPathComponent("lib/Makefile.uk"), atomically: true, encoding: .utf8)
        let same = try fake.manifestc(["kraft.yaml", "--build", "--verify-reproducible"])
        #expect(same.status == 0, "\(same.stderr)")
        #expect(same.stderr.contains("qemu-x86_64: reproducible (the rebuild in a fresh folder has the same"), "\(same.stderr)")
        // The image now records its build folder, which differs in the rebuild.
        try "".write(to: fake.app.appendingPathComponent("unstable"), atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(at: fake.app.appendingPathComponent("build"))
        let differs = try fake.manifestc(["kraft.yaml", "--build", "--verify-reproducible"])
        #expect(differs.status == 1)
        #expect(differs.stderr.contains("not reproducible: 'qemu-x86_64' differs from its rebuild at byte "), "\(differs.stderr)")
        // The first difference lies in the folder's path, after the line both images share.
        let said = differs.stderr.components(separatedBy: "at byte ").last?.prefix { $0.isNumber } ?? ""
        let header = "image of hello built at 1970-01-01T00:00:00+00:00\n".utf8.count
        #expect((Int(said) ?? 0) > header && (Int(said) ?? 0) < header + fake.app.path.utf8.count, "\(differs.stderr)")
    }

    @Test func theBillOfMaterialsNamesTheSourcesTheOriginAndTheImage() throws {
        let fake = try FakeOriginTree(url: "http://127.0.0.1:1/unused")
        let server = try LoopbackServer(serving: fake.root.appendingPathComponent("served"))
        defer { server.stop() }
        try "LIBFOO_URL := \(server.url("foo-1.0.tar.gz"))\n".write(to: fake.app.appendingPathComponent("lib/Makefile.uk"), atomically: true, encoding: .utf8)
        #expect(try fake.manifestc(["kraft.yaml", "--build"]).status == 0)
        let data = try #require(fake.bytes(fake.image + ".spdx.json"))
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(document["spdxVersion"] as? String == "SPDX-2.3")
        let packages = try #require(document["packages"] as? [[String: Any]])
        let image = try #require(packages.first { $0["SPDXID"] as? String == "SPDXRef-Image" })
        let checksums = try #require(image["checksums"] as? [[String: String]])
        #expect(checksums.first?["checksumValue"] == SHA256Hex.of(try #require(fake.bytes(fake.image))))
        let library = try #require(packages.first { $0["SPDXID"] as? String == "SPDXRef-Library-foo" })
        #expect(library["licenseDeclared"] as? String == "MIT")
        let origin = try #require(packages.first { $0["downloadLocation"] as? String == server.url("foo-1.0.tar.gz") })
        #expect((origin["checksums"] as? [[String: String]])?.first?["checksumValue"] == FakeOriginTree.sha256(Self.contentV1))
        #expect(packages.contains { $0["name"] as? String == "gcc" })
    }
}

/// SHA-256 of bytes, for the tests' expectations.
enum SHA256Hex {
    static func of(_ data: Data) -> String { FakeOriginTree.sha256Bytes(Array(data)) }
}
