import Foundation
import Planner
import Testing
import TestSupport

/// The shared trimming rule strips what Foundation's `trimmingCharacters(in:)` strips, scalar
/// by scalar (the production targets no longer link Foundation).
struct StringTrimmingTests {
    /// White space of every kind Foundation's sets tell apart, and scalars next to them that are not.
    private static let pieces = [" ", "\t", "\n", "\r\n", "\r", "\u{0B}", "\u{0C}", "\u{85}", "\u{A0}", "\u{1680}", "\u{2003}",
                                 "\u{2028}", "\u{2029}", "\u{202F}", "\u{3000}", "\u{200B}", "\u{FEFF}", "\u{301}", ":", "?",
                                 "a", "é", "e\u{301}", "🇩🇪"]

    private static func samples(seed: UInt64) -> [String] {
        var random = SplitMix64(seed: seed)
        return ["", " ", "a", " \u{301}x ", "x\u{301} "] + (0..<3000).map { _ in
            (0..<Int.random(in: 0...7, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
        }
    }

    @Test func whitespaceMatchesFoundation() {
        for text in Self.samples(seed: 1) {
            #expect(text.trimmingWhitespace() == text.trimmingCharacters(in: .whitespaces), "\(Array(text.unicodeScalars))")
            #expect(text.dropFirst(0).trimmingWhitespace() == text.trimmingCharacters(in: .whitespaces))
        }
    }

    @Test func whitespaceAndNewlinesMatchFoundation() {
        for text in Self.samples(seed: 2) {
            #expect(text.trimmingWhitespaceAndNewlines() == text.trimmingCharacters(in: .whitespacesAndNewlines), "\(Array(text.unicodeScalars))")
        }
    }

    @Test func givenScalarsMatchFoundation() {
        for set in [" \t", " \t:?", "\u{301}", "é"] {
            for text in Self.samples(seed: 3) {
                #expect(text.trimmingCharacters(in: set) == text.trimmingCharacters(in: CharacterSet(charactersIn: set)),
                        "\(Array(set.unicodeScalars)) \(Array(text.unicodeScalars))")
            }
        }
    }
}
