import Foundation
import Testing
import TestSupport
import Diagnostics
@testable import Manifest

/// `set`'s value path: 1,000 hostile strings per kconfig form are set as a string value and read
/// back by the manifest loader as exactly that string, or refused before any text is written
/// (what a `.config` line cannot hold); what is written never adds a key or an entry, and
/// `unset` gives back the original bytes.
@Suite(.tags(.security)) struct SecurityKconfigEditPropertyTests {
    /// What matters to YAML (indicators, quotes, comments, breaks, flow), to interpolation and to Kconfig strings.
    static let alphabet: [String] = ["a", "Z", "0", " ", "\t", "\n", "\r", "'", "\"", "\\", "$", "${HOME}", "$$", "#", " #", ":", ": ", "- ",
                                     "[", "]", "{", "}", ",", "&a", "*a", "!!str", "|", ">", "%", "@", "`", "?", "~", "null", "y", "0x1",
                                     "é", "☃", "𝄞", "\u{85}", "\u{2028}", "\u{2029}", "\u{FEFF}", "\u{7F}", "\u{0}", "---", "..."]

    static let manifests: [(String, Int?)] = [
        (KconfigTextEditorTests.listForm, nil), (KconfigTextEditorTests.mapForm, nil), (KconfigTextEditorTests.mapForm, 1),
        (KconfigTextEditorTests.flowForms, nil), (KconfigTextEditorTests.flowForms, 0), (KconfigTextEditorTests.noSection, nil),
        (KconfigTextEditorTests.listForm.replacingOccurrences(of: "\n", with: "\r\n"), nil),
    ]

    @Test(arguments: manifests.indices)
    func hostileStringsComeBackExactly(_ which: Int) throws {
        let (original, target) = Self.manifests[which]
        var rng = SplitMix64(seed: 0x5E7 + UInt64(which))
        let editor = KconfigTextEditor(file: "kraft.yaml")
        let before = ManifestLoader().load(Array(original.utf8), file: "kraft.yaml").manifest
        for _ in 0..<1_000 {
            let value = (0..<Int(rng.next() % 9)).map { _ in Self.alphabet[Int(rng.next() % UInt64(Self.alphabet.count))] }.joined()
            guard KconfigLiteral.canHold(value) else { continue }
            let change = KconfigChange(symbol: "CONFIG_HOSTILE", value: KconfigLiteral(text: value, quoted: true).seedText)
            let result = editor.apply([change], to: Array(original.utf8), target: target)
            let bytes = try #require(result.bytes, "\(result.diagnostics)")
            let loaded = ManifestLoader().load(bytes, file: "kraft.yaml")
            #expect(!loaded.hasErrors, "\(value.debugDescription): \(loaded.diagnostics)")
            let manifest = try #require(loaded.manifest)
            let options = target.map { manifest.targets[$0].kconfig } ?? manifest.unikraft?.kconfig ?? []
            let read = options.last { $0.symbol.value == "CONFIG_HOSTILE" }?.value.value
            #expect(read == KconfigLiteral(text: value, quoted: true), "\(value.debugDescription) was written as \(String(decoding: bytes, as: UTF8.self).debugDescription)")
            // Nothing else changed: the same number of targets, and the same options elsewhere.
            #expect(manifest.targets.count == before?.targets.count)
            #expect(manifest.targets.map(\.kconfig.count).reduce(0, +) + (manifest.unikraft?.kconfig.count ?? 0)
                    == (before?.targets.map(\.kconfig.count).reduce(0, +) ?? 0) + (before?.unikraft?.kconfig.count ?? 0) + 1)
            let back = editor.apply([KconfigChange(symbol: "CONFIG_HOSTILE", value: nil)], to: bytes, target: target)
            #expect(back.bytes == Array(original.utf8), "\(value.debugDescription)")
        }
    }
}
