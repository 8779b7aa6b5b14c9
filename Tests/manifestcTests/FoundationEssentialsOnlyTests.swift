import Foundation
import Testing
import TestSupport

/// The production targets import FoundationEssentials, never the whole of Foundation: one
/// `import Foundation` links Foundation, CoreFoundation and ICU into the static binary (about
/// 50 MB, and a slower start: README, "Shell completions and the man page").
struct FoundationEssentialsOnlyTests {
    /// Modules of swift-corelibs-foundation beyond FoundationEssentials.
    static let heavy: Set<String> = ["Foundation", "FoundationInternationalization", "FoundationNetworking", "FoundationXML", "CoreFoundation"]

    @Test func sourcesImportNoHeavyFoundationModule() throws {
        let sources = TestPaths.repository.appendingPathComponent("Sources")
        let files = try #require(FileManager.default.enumerator(atPath: sources.path)).compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }
        #expect(files.count > 50)
        var offenders: [String] = []
        for file in files {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n") {
                // `import M`, `@preconcurrency import M`, `import struct M.X`, `public import M`, …
                let words = line.split(separator: " ").filter { !$0.hasPrefix("@") }
                guard let at = words.firstIndex(of: "import"), at + 1 < words.count, words[..<at].allSatisfy({ ["public", "package", "internal", "private", "fileprivate"].contains($0) }) else { continue }
                let kinds: Set<Substring> = ["struct", "class", "enum", "protocol", "typealias", "func", "var", "let"]
                let path = kinds.contains(words[at + 1]) && at + 2 < words.count ? words[at + 2] : words[at + 1]
                let module = String(path.prefix { $0 != "." })
                if Self.heavy.contains(module) { offenders.append("\(file): \(line)") }
            }
        }
        #expect(offenders.isEmpty, "\(offenders.joined(separator: "\n"))")
    }
}
