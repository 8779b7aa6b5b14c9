import Testing
@testable import Manifest

/// Aliases copy nodes with the anchor's source ranges, so decoding every copy finds the
/// same problems at the same places. Found by the `manifest` fuzz target (scripts/fuzz.sh):
/// 250 targets aliasing one target whose kconfig list aliases one option 250 times gave
/// 62,250 identical 'kconfig-duplicate' warnings, 180 MB of output from a 1.6 KB manifest.
@Suite struct AliasAmplificationTests {
    /// `targets:` of `copies` aliases of one target whose kconfig sets one option `times` times.
    private func manifest(copies: Int, times: Int) -> String {
        """
        spec: v0.6
        name: amp
        x-option: &o "CONFIG_LIBX=y"
        x-kconfig: &k [\(Array(repeating: "*o", count: times).joined(separator: ", "))]
        x-target: &t {platform: qemu, architecture: x86_64, kconfig: *k}
        targets: [\(Array(repeating: "*t", count: copies).joined(separator: ", "))]
        """
    }

    @Test func identicalFindingsInAliasCopiesAreReportedOnce() {
        let result = load(manifest(copies: 20, times: 20))
        let duplicates = result.diagnostics.filter { $0.id == "kconfig-duplicate" }
        // One per earlier occurrence in the list (19), not once more per copy (380).
        #expect(duplicates.count == 19)
        #expect(Set(duplicates).count == duplicates.count)
        // Each copy is still a target of its own: they are all reported as duplicates by the planner, not here.
        #expect(result.manifest?.targets.count == 20)
    }

    @Test func diagnosticsStayInProportionToTheText() {
        let result = load(manifest(copies: 250, times: 250))
        #expect(result.diagnostics.count < 300)
    }

    /// The same with libraries: each copy's findings name its library, so they are not
    /// identical word for word, but they are the same finding at the same place.
    @Test func findingsNamingEachCopyAreReportedOncePerPlace() {
        let text = """
            spec: v0.6
            name: amp
            x-option: &o "CONFIG_LIBX=y"
            x-kconfig: &k [\(Array(repeating: "*o", count: 50).joined(separator: ", "))]
            x-library: &lib {version: stable, kconfig: *k}
            libraries: {\((0..<50).map { "l\($0): *lib" }.joined(separator: ", "))}
            """
        let result = load(text)
        #expect(result.diagnostics.filter { $0.id == "kconfig-duplicate" }.count == 49)
        #expect(result.manifest?.libraries.count == 50)
    }
}
