import Foundation
import Testing
import TestSupport
import Manifest
import Planner
@testable import Emitters

/// The bill of materials: an SPDX 2.3 JSON document that the SPDX project's own validator
/// (`pyspdxtools` from PyPI's `spdx-tools`, which scripts/setup.sh installs into .venv) accepts.
@Suite struct SPDXDocumentTests {
    static let digest = String(repeating: "0123456789abcdef", count: 4)
    static let commit = String(repeating: "c", count: 40)

    static let document = SPDXDocument(
        app: "9pfs", target: "qemu-x86_64", imageName: "9pfs_qemu-x86_64", imageSHA256: digest,
        sources: [.init(role: .unikraft, url: "https://github.com/unikraft/unikraft.git", commit: commit, license: nil),
                  .init(role: .library("musl"), url: "https://github.com/unikraft/lib-musl.git", commit: commit, license: "MIT"),
                  .init(role: .library("odd name"), url: nil, commit: nil, license: "the MIT license, mostly")],
        origins: [OriginPin(url: "https://www.musl-libc.org/releases/musl-1.2.3.tar.gz", sha256: digest, size: 1_058_642)],
        tools: [.init(name: "gcc", version: "gcc (Debian 12.2.0-14) 12.2.0"), .init(name: "binutils", version: "GNU ld (GNU Binutils for Debian) 2.40")],
        created: 1_700_000_000, creator: "manifestc-0.1.0")

    static func object() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(document.json().utf8)) as? [String: Any])
    }

    @Test func namesTheImageTheSourcesTheOriginsAndTheToolchain() throws {
        let json = try Self.object()
        #expect(json["spdxVersion"] as? String == "SPDX-2.3")
        #expect((json["creationInfo"] as? [String: Any])?["created"] as? String == "2023-11-14T22:13:20Z")
        let packages = try #require(json["packages"] as? [[String: Any]])
        func package(_ id: String) -> [String: Any]? { packages.first { $0["SPDXID"] as? String == id } }
        #expect((package("SPDXRef-Image")?["checksums"] as? [[String: String]])?.first?["checksumValue"] == Self.digest)
        #expect(package("SPDXRef-Unikraft")?["downloadLocation"] as? String == "git+https://github.com/unikraft/unikraft.git@\(Self.commit)")
        #expect(package("SPDXRef-Library-musl")?["licenseDeclared"] as? String == "MIT")
        // A license that is no SPDX expression is kept as a comment, never as an invalid expression.
        #expect(package("SPDXRef-Library-odd-name")?["licenseDeclared"] as? String == "NOASSERTION")
        #expect(package("SPDXRef-Library-odd-name")?["licenseComments"] as? String == "Library.uk states: the MIT license, mostly")
        #expect(package("SPDXRef-Origin-1")?["downloadLocation"] as? String == "https://www.musl-libc.org/releases/musl-1.2.3.tar.gz")
        #expect(package("SPDXRef-Tool-1")?["versionInfo"] as? String == "gcc (Debian 12.2.0-14) 12.2.0")
        let relationships = try #require(json["relationships"] as? [[String: String]])
        #expect(relationships.contains { $0["spdxElementId"] == "SPDXRef-Tool-2" && $0["relationshipType"] == "BUILD_TOOL_OF" })
        #expect(relationships.filter { $0["relationshipType"] == "GENERATED_FROM" }.count == 5)
        // Deterministic: the same values, the same bytes.
        #expect(Self.document.json() == Self.document.json())
    }

    @Test func theSPDXValidatorAcceptsIt() throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let validator = repository.appendingPathComponent(".venv/bin/pyspdxtools").path
        try #require(FileManager.default.isExecutableFile(atPath: validator), "pyspdxtools is not installed: run scripts/setup.sh (it installs spdx-tools into .venv)")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("manifestc-spdx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = folder.appendingPathComponent("image.spdx.json")
        try Self.document.json().write(to: good, atomically: true, encoding: .utf8)
        let accepted = try Subprocess.run(validator, ["-i", good.path])
        #expect(accepted.status == 0, "\(accepted.stdout)\(accepted.stderr)")
        // The validator does fail: the same document with a relationship to an element that does not exist.
        let broken = folder.appendingPathComponent("broken.spdx.json")
        try Self.document.json().replacingOccurrences(of: "\"relatedSpdxElement\": \"SPDXRef-App\"", with: "\"relatedSpdxElement\": \"SPDXRef-Nothing\"")
            .write(to: broken, atomically: true, encoding: .utf8)
        let refused = try Subprocess.run(validator, ["-i", broken.path])
        #expect(refused.status != 0, "\(refused.stdout)\(refused.stderr)")
    }
}
