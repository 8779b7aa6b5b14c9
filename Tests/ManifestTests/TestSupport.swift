import Foundation
import Testing
import Diagnostics
@testable import Manifest

/// Where the test fixtures and the shared corpus are.
enum Paths {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// `../shared/corpus` next to the repository (absent on some machines).
    static let corpus = repository.deletingLastPathComponent().appendingPathComponent("shared/corpus")
    static var corpusManifests: URL { corpus.appendingPathComponent("manifests") }
    static var hasCorpus: Bool { FileManager.default.fileExists(atPath: corpusManifests.path) }

    static func files(in folder: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().map { folder.appendingPathComponent($0) }
    }
}

/// Loads a manifest from inline text.
func load(_ text: String, file: String = "kraft.yaml", environment: [String: String] = [:], strict: Bool = false) -> ManifestLoader.Result {
    ManifestLoader(strict: strict).load(Array(text.utf8), file: file, environment: environment)
}

/// `severity line:col id` for each diagnostic: the form fixtures state expectations in.
func summaries(_ diagnostics: [Diagnostic]) -> [String] {
    diagnostics.map { d in
        let position = d.location.map { "\($0.range.start.line):\($0.range.start.column)" } ?? "-"
        return "\(d.severity.rawValue) \(position) \(d.id)"
    }
}
