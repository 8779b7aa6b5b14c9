import Testing
import TestSupport
@testable import Import

/// Imported Makefile variables are bounded by the work they do: variables that double in
/// time or in size end with a located diagnostic.
@Suite(.tags(.security)) struct SecurityMakefileExpansionTests {
    @Test func makeVariablesThatDoubleInTimeStopAtTheirWorkLimit() {
        var lines = ["E :=", "R0 = $(E)"]
        // 25 levels stay under the depth limit (32) and would take 2^25 references.
        for i in 1...25 { lines.append("R\(i) = $(R\(i - 1))$(R\(i - 1))") }
        var reader = MakefileReader(text: lines.joined(separator: "\n") + "\nLIBS = $(R25)\n", file: "Makefile")
        #expect(reader.value(of: "LIBS") == "")
        #expect(reader.diagnostics.map(\.id) == ["make-expansion-limit"])
    }

    @Test func makeVariablesThatDoubleInSizeStopAtTheirWorkLimit() {
        var lines = ["S0 := xxxxxxxxxxxxxxxx"]
        for i in 1...40 { lines.append("S\(i) := $(S\(i - 1))$(S\(i - 1))") }
        let reader = MakefileReader(text: lines.joined(separator: "\n") + "\n", file: "Makefile")
        #expect(reader.diagnostics.map(\.id) == ["make-expansion-limit"])
        // The values produced add up to 16 MiB at S19 (line 20: 16 bytes doubled 19 times is 8 MiB, and all before it as much again).
        #expect(reader.diagnostics.first.map { "\($0.location!.range.start.line):\($0.location!.range.start.column)" } == "20:8")
    }
}
