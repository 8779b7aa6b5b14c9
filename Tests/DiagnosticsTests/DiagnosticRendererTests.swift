import Testing
import Diagnostics

@Suite struct DiagnosticRendererTests {
    @Test func rendersLocationSourceLineCaretNotesAndFixIt() {
        let source = SourceText(file: "kraft.yaml", text: "spec: v0.6\ntargets:\n  - firecraker/x86_64\n")
        let range = SourceRange(start: .init(line: 3, column: 5), end: .init(line: 3, column: 15))
        let d = Diagnostic.error("unknown-platform", "unknown platform 'firecraker'; did you mean 'firecracker'?",
                                 at: SourceLocation(file: "kraft.yaml", range: range),
                                 notes: [DiagnosticNote("targets start here", at: SourceLocation(file: "kraft.yaml", line: 2, column: 1))],
                                 fixIt: FixIt(range: range, replacement: "firecracker"))
        #expect(DiagnosticRenderer(sources: ["kraft.yaml": source]).render(d) == """
            kraft.yaml:3:5: error: unknown platform 'firecraker'; did you mean 'firecracker'? [unknown-platform]
             3 |   - firecraker/x86_64
               |     ^~~~~~~~~~
               | fix-it: replace with `firecracker`
            kraft.yaml:2:1: note: targets start here
             2 | targets:
               | ^

            """)
    }

    @Test func insertionsAndReplacementsInWords() {
        let at = SourcePosition(line: 4, column: 1)
        #expect(DiagnosticRenderer.describe(FixIt(range: SourceRange(at: at), replacement: "spec: v0.6\n")) == "insert `spec: v0.6` as a new line before line 4")
        #expect(DiagnosticRenderer.describe(FixIt(range: SourceRange(at: SourcePosition(line: 4, column: 3)), replacement: "x")) == "insert `x` here")
        #expect(DiagnosticRenderer.describe(FixIt(range: SourceRange(start: at, end: SourcePosition(line: 4, column: 3)), replacement: "a\nb")) == "replace with `a\\u{A}b`")
    }

    @Test func colourOnlyWhenAsked() {
        let d = Diagnostic.warning("w", "m", at: nil)
        #expect(!DiagnosticRenderer().render(d).contains("\u{1B}["))
        #expect(DiagnosticRenderer(color: true).render(d).contains("\u{1B}["))
    }

    @Test func jsonFormIsVersioned() {
        let d = Diagnostic.error("x", "m", at: SourceLocation(file: "f", line: 2, column: 3))
        let json = Diagnostic.document([d]).json()
        #expect(json.contains("\"version\": 1"))
        #expect(json.contains("\"line\": 2"))
        #expect(json.contains("\"column\": 3"))
    }
}
