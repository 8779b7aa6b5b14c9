import Testing
import TestSupport
@testable import Planner

/// `manifestc diff --format markdown` goes into a pull request's job summary: a hostile value
/// (a Kconfig string from the manifest) stays inside its table cell, as code, and reads back.
@Suite(.tags(.security)) struct SecurityConfigDiffMarkdownTests {
    static let alphabet: [String] = ["a", " ", "|", "\\|", "`", "``", "*", "_", "<b>", "</td>", "[x](y)", "#", "\n", "\r\n", "\\", "&amp;", "é", "${{ github.token }}"]

    @Test func hostileValuesStayInTheirCell() {
        var rng = SplitMix64(seed: 0xD1FF)
        for _ in 0..<1_000 {
            let value = (0..<Int(rng.next() % 8)).map { _ in Self.alphabet[Int(rng.next() % UInt64(Self.alphabet.count))] }.joined()
            let cell = ConfigDiff.inline(value)
            #expect(!cell.contains("\n") && !cell.contains("\r"), "\(value.debugDescription)")
            // Every '|' is escaped, so the row keeps its four cells.
            let scalars = Array(cell)
            for (i, c) in scalars.enumerated() where c == "|" { #expect(i > 0 && scalars[i - 1] == "\\", "\(value.debugDescription) -> \(cell)") }
            guard !value.isEmpty else { #expect(cell.isEmpty); continue }
            // A code span: the fence is longer than any run of backticks inside; CommonMark's reading gives the text back.
            let fence = String(cell.prefix { $0 == "`" })
            #expect(cell.hasSuffix(fence) && cell.count > 2 * fence.count, "\(value.debugDescription) -> \(cell)")
            var inner = String(cell.dropFirst(fence.count).dropLast(fence.count))
            var run = 0
            for c in inner { run = c == "`" ? run + 1 : 0; #expect(run < fence.count, "\(value.debugDescription) -> \(cell)") }
            if inner.hasPrefix(" "), inner.hasSuffix(" "), !inner.allSatisfy({ $0 == " " }) { inner = String(inner.dropFirst().dropLast()) }
            let expected = value.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
            #expect(inner.replacingOccurrences(of: "\\|", with: "|") == expected, "\(value.debugDescription) -> \(cell)")
        }
    }
}
