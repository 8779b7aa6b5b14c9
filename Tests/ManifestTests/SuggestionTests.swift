import Testing
import Diagnostics
import TestSupport
@testable import Manifest

@Suite struct SuggestionTests {
    @Test func typoFindsTheIntendedWord() {
        #expect(Suggestion.closest(to: "firecraker", among: ["qemu", "fc", "firecracker", "xen"]) == "firecracker")
        #expect(Suggestion.closest(to: "libarries", among: ["libraries", "targets"]) == "libraries")
    }

    @Test func farWordsGiveNoSuggestion() {
        #expect(Suggestion.closest(to: "banana", among: ["qemu", "xen"]) == nil)
        #expect(Suggestion.didYouMean("zzz", among: ["name"]) == "")
    }

    @Test func equallyCloseCandidatesKeepTheFirst() {
        #expect(Suggestion.closest(to: "qemo", among: ["xen", "qemu", "QEMU", "qemx"]) == "qemu")
        #expect(Suggestion.closest(to: "abcdef", among: ["abcdxx", "abcdef", "ABCDEF"]) == "abcdef")
    }

    /// The bounded search chooses exactly what the full search of every candidate chose
    /// (the earlier implementation, kept here as the oracle), ties and case folding included.
    @Test func boundedSearchAgreesWithTheFullSearch() {
        var rng = SplitMix64(seed: 0x5A66)
        // Scalars whose lowercasing changes the length ("İ" → "i̇") or the scalar ("Σ", "Ä"), and a combining mark.
        let allScalars: [String] = ["a", "b", "c", "A", "B", "_", "1", "İ", "ß", "Σ", "σ", "Ä", "é", "\u{301}", "ﬀ"]
        var alphabet = allScalars
        func word(_ length: Int) -> String {
            (0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }.joined()
        }
        func mutated(_ text: String) -> String {
            var scalars = Array(text.unicodeScalars)
            for _ in 0..<Int(rng.next() % 4) {
                let at = scalars.isEmpty ? 0 : Int(rng.next() % UInt64(scalars.count))
                switch rng.next() % 4 {
                case 0 where !scalars.isEmpty: scalars.remove(at: at)
                case 1: scalars.insert(word(1).unicodeScalars.first!, at: at)
                case 2 where at + 1 < scalars.count: scalars.swapAt(at, at + 1)
                case 3 where !scalars.isEmpty: scalars[at] = word(1).unicodeScalars.first!
                default: break
                }
            }
            var out = String.UnicodeScalarView()
            out.append(contentsOf: scalars)
            return String(out)
        }
        var chosen = 0
        for _ in 0..<3000 {
            // Half the cases ASCII only (the fast path), half with scalars that lowercasing changes.
            alphabet = rng.next() % 2 == 0 ? allScalars : Array(allScalars.prefix(7))
            let target = word(Int(rng.next() % 14))
            let candidates = (0..<Int(rng.next() % 25)).map { _ in
                rng.next() % 3 == 0 ? word(Int(rng.next() % 16)) : mutated(target)
            }
            let expected = OracleSuggestion.closest(to: target, among: candidates)
            #expect(Suggestion.closest(to: target, among: candidates) == expected, "\(target.debugDescription) among \(candidates)")
            if expected != nil { chosen += 1 }
        }
        // The generated cases exercise both outcomes.
        #expect(chosen > 500 && chosen < 2900)
    }
}

/// The full (unbounded per candidate) search that `Suggestion.closest` replaced: the oracle.
private enum OracleSuggestion {
    static func closest(to word: String, among candidates: [String]) -> String? {
        let target = Array(word.lowercased().unicodeScalars)
        let limit = max(1, target.count / 3)
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let d = distance(target, Array(candidate.lowercased().unicodeScalars), limit: limit)
            if d <= limit, d < (best?.distance ?? .max) { best = (candidate, d) }
        }
        return best?.name
    }

    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int {
        if abs(a.count - b.count) > limit { return limit + 1 }
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMin = current[0]
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, previous2[j - 2] + 1)
                }
                current[j] = value
                rowMin = min(rowMin, value)
            }
            if rowMin > limit { return limit + 1 }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}
