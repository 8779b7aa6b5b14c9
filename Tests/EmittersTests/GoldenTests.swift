import Foundation
import Manifest
import Planner
import Testing
import TestSupport
@testable import Emitters

/// Every artifact of every bundled example, compared with the files in
/// `Fixtures/golden/<example>/`. `MANIFESTC_RECORD_GOLDEN=1 swift test` re-records them.
@Suite struct GoldenTests {
    static let repository = TestPaths.repository
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/golden")
    static let examples = ["helloworld", "helloworld-linuxu", "9pfs", "httpreply"]
    static var recording: Bool { ProcessInfo.processInfo.environment["MANIFESTC_RECORD_GOLDEN"] == "1" }

    /// The example's files as manifestc emits them without a Unikraft tree.
    static func emit(_ example: String) throws -> [EmittedFile] {
        let bytes = Array(try Data(contentsOf: repository.appendingPathComponent("examples/\(example)/kraft.yaml")))
        let manifest = try #require(ManifestLoader().load(bytes, file: "kraft.yaml").manifest)
        let (plan, diagnostics) = Planning.plan(manifest)
        #expect(!diagnostics.contains { $0.severity == .error }, "\(diagnostics)")
        return Artifact.emit(Set(Artifact.allCases), plan: plan)
    }

    @Test(arguments: examples)
    func artifactsMatchTheGoldenFiles(_ example: String) throws {
        let files = try Self.emit(example)
        let folder = Self.golden.appendingPathComponent(example)
        if Self.recording {
            try? FileManager.default.removeItem(at: folder)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for file in files { try file.contents.write(to: folder.appendingPathComponent(file.path), atomically: true, encoding: .utf8) }
            return
        }
        let recorded = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
        #expect(files.map(\.path) == recorded, "files differ from the golden set; re-record with MANIFESTC_RECORD_GOLDEN=1")
        for file in files {
            let expected = (try? String(contentsOf: folder.appendingPathComponent(file.path), encoding: .utf8)) ?? ""
            #expect(file.contents == expected, "\(example)/\(file.path):\n\(UnifiedDiff.render(old: expected, new: file.contents, oldName: "golden", newName: "emitted"))")
        }
    }

    @Test(arguments: examples)
    func emittingIsDeterministic(_ example: String) throws {
        #expect(try Self.emit(example) == Self.emit(example))
    }
}
