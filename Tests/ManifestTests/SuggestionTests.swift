import Testing
import Diagnostics
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
}
