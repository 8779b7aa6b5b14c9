import Testing
import TestSupport
import Diagnostics
@testable import Manifest

/// A manifest's text reaches terminals and CI logs through diagnostics: no control sequence,
/// line break or bidirectional override it holds is printed as is.
@Suite(.tags(.security)) struct SecurityDiagnosticTextTests {
    /// The rendered diagnostics of `text`, which must have at least one.
    func rendered(_ text: String) -> String {
        let result = load(text)
        #expect(!result.diagnostics.isEmpty)
        return DiagnosticRenderer(sources: ["kraft.yaml": result.source]).render(result.diagnostics)
    }

    static let unsafe: [Unicode.Scalar] = ["\u{1B}", "\u{07}", "\u{0D}", "\u{0B}", "\u{9B}", "\u{7F}", "\u{2028}", "\u{202E}", "\u{2066}"]

    @Test func terminalEscapeInAnUnknownKeyIsShownEscaped() {
        // An unknown key is echoed in the message and in the source excerpt.
        let out = rendered("spec: v0.6\nname: app\n\"x\u{1B}]0;pwned\u{07}\u{1B}[2J\": 1\ntargets:\n  - qemu/x86_64\n")
        for s in Self.unsafe { #expect(!out.unicodeScalars.contains(s), "raw U+\(String(s.value, radix: 16)) printed") }
        #expect(out.contains("\\u{1B}]0;pwned\\u{7}"))
    }

    @Test func lineBreakInAValueCannotForgeADiagnosticOrALogCommand() {
        // A quoted scalar may hold a line break; printed raw, it would start a log line of its own.
        let out = rendered("spec: v0.6\nname: app\ntargets:\n  - platform: \"qemu\\n::error file=x::forged\\rerror: forged\"\n    architecture: x86_64\n")
        #expect(!out.split(separator: "\n").contains { $0.hasPrefix("::") || $0.hasPrefix("error:") })
        #expect(!out.unicodeScalars.contains("\u{0D}"))
    }

    @Test func bidiOverrideInTheExcerptIsEscapedAndTheCaretStillPointsAtTheValue() {
        let out = rendered("spec: v0.6\nname: app\ntargets:\n  - platform: \"\u{202E}qemu\"\n    architecture: x86_64\n")
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let source = lines.firstIndex(where: { $0.contains("platform:") && $0.contains(" | ") }) else {
            Issue.record("no excerpt in:\n\(out)"); return
        }
        #expect(lines[source].contains("\\u{202E}"))
        // The caret sits under the opening quote of the value.
        let caret = lines[source + 1].firstIndex(of: "^").map { lines[source + 1].distance(from: lines[source + 1].startIndex, to: $0) }
        let quote = lines[source].firstIndex(of: "\"").map { lines[source].distance(from: lines[source].startIndex, to: $0) }
        #expect(caret != nil && caret == quote)
    }
}
