import Testing
import Diagnostics
@testable import Manifest

@Suite struct InterpolationTests {
    let interpolator = Interpolator(environment: ["A": "x", "EMPTY": ""])

    @Test(arguments: [
        ("${A}", "x"), ("pre-${A}-post", "pre-x-post"), ("${B:-d}", "d"), ("${EMPTY:-d}", "d"),
        ("${EMPTY-d}", ""), ("${B-d}", "d"), ("$$", "$"), ("$${A}", "${A}"), ("$A", "$A"),
        ("echo $HOME", "echo $HOME"), ("${A:?need}", "x"), ("a$", "a$"), ("${B:-}", ""),
    ])
    func forms(_ pair: (String, String)) {
        let (text, problems) = interpolator.interpolate(pair.0)
        #expect(problems.isEmpty)
        #expect(text == pair.1)
    }

    @Test func problemsAreLocatedInTheText() {
        #expect(interpolator.interpolate("ab${UNSET}").1 == [Interpolator.Problem(
            offset: 2, length: 8, id: "interpolation-unset",
            message: "environment variable 'UNSET' is not set; set it, or give a default with '${UNSET:-default}'")])
        #expect(interpolator.interpolate("${EMPTY:?set it}").1.map(\.id) == ["interpolation-unset"])
        #expect(interpolator.interpolate("${EMPTY?set it}").1.isEmpty)
        #expect(interpolator.interpolate("x${A").1.map(\.offset) == [1])
        #expect(interpolator.interpolate("${A/b}").1.map(\.id) == ["interpolation-syntax"])
        #expect(interpolator.interpolate("${}").1.map(\.id) == ["interpolation-syntax"])
    }
}

@Suite struct ShellWordsTests {
    @Test(arguments: [
        ("a b  c", ["a", "b", "c"]), ("'a b' c", ["a b", "c"]), (#""a \"b\"" c"#, [#"a "b""#, "c"]),
        (#"a\ b"#, ["a b"]), ("", []), ("  ", []), ("x'y'z", ["xyz"]), (#""$HOME""#, ["$HOME"]), ("''", [""]),
    ])
    func splits(_ pair: (String, [String])) throws {
        #expect(try ShellWords.split(pair.0).get() == pair.1)
    }

    @Test func unterminatedQuotes() {
        #expect(ShellWords.split("a 'b") == .failure(.init(offset: 2, quote: "'")))
        #expect(ShellWords.split("\"") == .failure(.init(offset: 0, quote: "\"")))
    }
}

@Suite struct EnvFileTests {
    @Test func parsesTheCommonForms() {
        let (values, diagnostics) = EnvFile.parse("""
            # comment
            A=1
            export B = two words # note
            C='single # kept'
            D="line\\nbreak \\"q\\""

            not a line
            1X=bad
            """, file: ".env")
        #expect(values == ["A": "1", "B": "two words", "C": "single # kept", "D": "line\nbreak \"q\""])
        #expect(summaries(diagnostics) == ["warning 7:1 env-file-syntax", "warning 8:1 env-file-syntax"])
    }
}

@Suite struct DocumentValueYAMLTests {
    @Test(arguments: ["y", "no", "0.10", "~", "", "a: b", "- x", "#c", "it's", "line\nbreak", "tab\there", "@x", "v0.6", "qemu/x86_64", "CONFIG_A=\"fs0\""])
    func yamlStringsReadBackAsTheSameString(_ text: String) throws {
        let value = DocumentValue.map([("k", .string(text)), ("l", .list([.string(text), .map([("m", .string(text))])]))])
        let root = try #require(YAMLReader().read(Array(value.yaml().utf8), file: "t").root, "\(value.yaml())")
        #expect(root.document == value, "\(value.yaml())")
    }
}

/// How the manifest's own diagnostics render (the renderer's rules: DiagnosticsTests).
@Suite struct ManifestDiagnosticRenderingTests {
    /// A fix-it that inserts a line is said in words: `spec-missing` printed its replacement
    /// with the line break escaped (`spec: v0.6\\u{A}`), or, before escaping, a literal newline.
    @Test func specMissingFixItSaysWhichLineToInsert() {
        let text = "name: app\ntargets: [qemu/x86_64]\n"
        let result = ManifestLoader().load(Array(text.utf8), file: "kraft.yaml", environment: [:])
        let rendered = DiagnosticRenderer(sources: ["kraft.yaml": result.source]).render(result.diagnostics.filter { $0.id == "spec-missing" })
        #expect(rendered.contains("   | fix-it: insert `spec: v0.6` as the first line\n"), "\(rendered)")
        #expect(!rendered.contains("\\u{A}"), "\(rendered)")
        #expect(rendered.split(separator: "\n").allSatisfy { !$0.contains("fix-it") || $0.hasSuffix("as the first line") })
    }
}
