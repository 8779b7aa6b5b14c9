import Foundation
import Testing
import Manifest
import Planner

extension CommandLineTests {
    /// Writes the kraft.lock `manifestc --update` would write next to the manifest at `url`,
    /// with a made-up commit for every git source: what `manifestc ci` needs before it
    /// writes a pipeline whose jobs build with `--locked`.
    static func writeLock(for url: URL) throws {
        let loaded = ManifestLoader().load(Array(try Data(contentsOf: url)), file: url.lastPathComponent)
        let manifest = try #require(loaded.manifest, "\(loaded.diagnostics)")
        let entries = SourceRules.requests(for: manifest).requests.map { request -> LockEntry in
            switch request.origin {
            case .git(let source): LockEntry(role: request.role, url: source, version: request.version, commit: String(repeating: "0", count: 40))
            case .local(let path): LockEntry(role: request.role, path: path, version: request.version)
            }
        }
        try LockFile(entries: entries).render(manifest: url.lastPathComponent)
            .write(to: url.deletingLastPathComponent().appendingPathComponent(LockFile.fileName), atomically: true, encoding: .utf8)
    }
}
