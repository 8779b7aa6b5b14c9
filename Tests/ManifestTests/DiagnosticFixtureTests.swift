import Foundation
import Testing
import Diagnostics
@testable import Manifest

/// One fixture file per kind of problem. Each fixture states, in `# expect:` comment
/// lines, every diagnostic it must produce (`severity line:col id`); any diagnostic
/// the fixture does not expect fails the test too.
@Suite struct DiagnosticFixtureTests {
    static let fixtures = Paths.files(in: Paths.fixtures.appendingPathComponent("diagnostics")).map(\.lastPathComponent)

    @Test(arguments: fixtures)
    func fixtureProducesExactlyTheExpectedDiagnostics(_ name: String) throws {
        let url = Paths.fixtures.appendingPathComponent("diagnostics").appendingPathComponent(name)
        let bytes = Array(try Data(contentsOf: url))
        let text = String(decoding: bytes, as: UTF8.self)
        let expected = text.split(separator: "\n").compactMap { line -> String? in
            line.hasPrefix("# expect: ") ? String(line.dropFirst("# expect: ".count)) : nil
        }
        #expect(!expected.isEmpty, "fixture \(name) states no expectation")
        let result = ManifestLoader().load(bytes, file: name, environment: ["HOME": "/root"])
        let actual = summaries(result.diagnostics)
        #expect(actual.sorted() == expected.sorted(), "\(name):\n\(DiagnosticRenderer(sources: [name: result.source]).render(result.diagnostics))")
    }

    @Test func everyErrorFixtureRejectsTheManifest() throws {
        for name in Self.fixtures {
            let url = Paths.fixtures.appendingPathComponent("diagnostics").appendingPathComponent(name)
            let text = try String(contentsOf: url, encoding: .utf8)
            let result = ManifestLoader().load(Array(text.utf8), file: name)
            #expect(result.hasErrors == text.contains("# expect: error"), "\(name)")
        }
    }
}
