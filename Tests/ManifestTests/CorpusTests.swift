import Foundation
import Testing
import Diagnostics
@testable import Manifest

/// Every real manifest in `../shared/corpus/manifests` is accepted, or rejected with
/// located diagnostics. Skips when the corpus is not next to the repository.
@Suite(.enabled(if: Paths.hasCorpus, "../shared/corpus is absent"))
struct CorpusTests {
    /// Files rejected on purpose, and the diagnostic each must give.
    static let rejected: [String: String] = [
        // 0 bytes: no document at all.
        "unikraft__catalog__tests__synthetic__Kraftfile": "error 1:1 manifest-empty",
    ]

    /// Files accepted with a warning: a repeated `CONFIG_` key in a kconfig map (the later
    /// value wins, as in PyYAML and yaml.v2); the warning points at the repeat, its note at the first.
    static let duplicateKconfig: [String: (repeat: String, first: String)] = [
        "unikraft__catalog__library__lua__5.4__Kraftfile": ("27:5", "13:5"),
        "unikraft__catalog__library__nginx__1.15__Kraftfile": ("45:5", "27:5"),
        "unikraft__catalog__library__python__3.10__Kraftfile": ("42:5", "20:5"),
    ]

    static var files: [String] { Paths.files(in: Paths.corpusManifests).map(\.lastPathComponent) }

    @Test(arguments: files)
    func manifestIsAcceptedOrRejectedWithLocatedDiagnostics(_ name: String) throws {
        let bytes = Array(try Data(contentsOf: Paths.corpusManifests.appendingPathComponent(name)))
        let result = ManifestLoader().load(bytes, file: name)
        for d in result.diagnostics {
            let location = try #require(d.location, "\(name): diagnostic without a location: \(d)")
            #expect(location.range.start.line >= 1 && location.range.start.line <= max(1, result.source.lineCount), "\(d)")
        }
        if let expected = Self.rejected[name] {
            #expect(result.hasErrors)
            #expect(summaries(result.diagnostics) == [expected])
            return
        }
        #expect(!result.hasErrors, "\(name):\n\(DiagnosticRenderer(sources: [name: result.source]).render(result.diagnostics))")
        let manifest = try #require(result.manifest)
        if let duplicate = Self.duplicateKconfig[name] {
            let warnings = result.diagnostics.filter { $0.id == "kconfig-duplicate" }
            #expect(warnings.count == 1)
            #expect(warnings.first.map { "\($0.location!.range.start)" } == duplicate.repeat)
            #expect(warnings.first?.notes.first.map { "\($0.location!.range.start)" } == duplicate.first)
        } else {
            #expect(result.diagnostics.filter { $0.severity >= .warning }.isEmpty,
                    "\(name):\n\(DiagnosticRenderer(sources: [name: result.source]).render(result.diagnostics))")
        }
        // The normalized form is well-formed and survives a round trip through YAML.
        let shown = manifest.document
        let reread = try #require(YAMLReader().read(Array(shown.yaml().utf8), file: "shown.yaml").root)
        #expect(reread.document == shown)
    }

    @Test func indexAgreesOnTargetAndLibraryCounts() throws {
        let index = try String(contentsOf: Paths.corpus.appendingPathComponent("INDEX.tsv"), encoding: .utf8)
        var checked = 0
        for row in index.split(separator: "\n").dropFirst() {
            let columns = row.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard columns.count > 4, Self.rejected[columns[0]] == nil else { continue }
            let bytes = Array(try Data(contentsOf: Paths.corpusManifests.appendingPathComponent(columns[0])))
            let manifest = try #require(ManifestLoader().load(bytes, file: columns[0]).manifest)
            #expect(manifest.targets.count == Int(columns[3]), "\(columns[0]) targets")
            #expect(manifest.libraries.count == Int(columns[4]), "\(columns[0]) libraries")
            checked += 1
        }
        #expect(checked > 180)
    }
}
