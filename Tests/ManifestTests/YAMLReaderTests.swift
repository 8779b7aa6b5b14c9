import Testing
import TestSupport
import Diagnostics
@testable import Manifest

@Suite struct YAMLReaderTests {
    func read(_ bytes: [UInt8], limits: YAMLLimits = YAMLLimits()) -> YAMLReader.Result {
        YAMLReader(limits: limits).read(bytes, file: "t.yaml")
    }

    func read(_ text: String, limits: YAMLLimits = YAMLLimits()) -> YAMLReader.Result {
        read(Array(text.utf8), limits: limits)
    }

    // MARK: - Position convention

    /// Lines and columns are 1-based; columns count Unicode scalars, not bytes.
    @Test func columnsCountUnicodeScalarsFromOne() throws {
        let root = try #require(read("é: ü\nkey: [a, 😀, b]\n").root)
        let pairs = try #require(root.mapping)
        #expect(pairs[0].key.range == SourceRange(start: .init(line: 1, column: 1), end: .init(line: 1, column: 2)))
        #expect(pairs[0].value.range.start == SourcePosition(line: 1, column: 4))
        let items = try #require(pairs[1].value.sequence)
        #expect(items[1].range.start == SourcePosition(line: 2, column: 10))
        // After the emoji (one scalar, four bytes), 'b' is two columns on.
        #expect(items[2].range.start == SourcePosition(line: 2, column: 13))
    }

    @Test func crlfAndBareCRCountAsOneLineBreak() throws {
        let root = try #require(read("a: 1\r\nb: 2\rc: 3\n").root)
        let pairs = try #require(root.mapping)
        #expect(pairs.map(\.key.range.start.line) == [1, 2, 3])
        #expect(pairs[2].value.range.start == SourcePosition(line: 3, column: 4))
    }

    @Test func byteOrderMarkIsNotAColumn() throws {
        let root = try #require(read([0xEF, 0xBB, 0xBF] + Array("a: 1\n".utf8)).root)
        #expect(root.mapping?[0].key.range.start == SourcePosition(line: 1, column: 1))
    }

    @Test func scalarRangesAreHalfOpenAndStylesKept() throws {
        let root = try #require(read("a: 'x'\nb: \"y\"\nc: plain text\nd: |\n  lit\n").root)
        let pairs = try #require(root.mapping)
        #expect(pairs.map { $0.value.scalar!.style } == [.singleQuoted, .doubleQuoted, .plain, .literal])
        #expect(pairs[0].value.range == SourceRange(start: .init(line: 1, column: 4), end: .init(line: 1, column: 7)))
        #expect(pairs[2].value.scalar?.text == "plain text")
        #expect(pairs[3].value.scalar?.text == "lit\n")
    }

    // MARK: - Scalar typing

    @Test func yamlOneOneResolutionKeepsText() {
        func resolve(_ text: String, _ style: ScalarStyle = .plain) -> ResolvedScalar { YAMLScalar(text: text, style: style).resolved }
        #expect(resolve("y") == .bool(true))
        #expect(resolve("Off") == .bool(false))
        #expect(resolve("y", .singleQuoted) == .string)
        #expect(resolve("~") == .null)
        #expect(resolve("") == .null)
        #expect(resolve("0x10") == .int(16))
        #expect(resolve("010") == .int(8))
        #expect(resolve("1_000") == .int(1000))
        #expect(resolve("0.10") == .float)
        #expect(resolve("1e3") == .float)
        #expect(resolve("6375324") == .int(6375324))
        #expect(resolve("825b115") == .string)
        #expect(resolve("v0.6") == .string)
        #expect(resolve("0.12.0") == .string)
        #expect(YAMLScalar(text: "1", tag: "tag:yaml.org,2002:str").resolved == .string)
    }

    // MARK: - Anchors and aliases

    @Test func aliasesExpandToTheAnchoredNode() throws {
        let root = try #require(read("base: &k {CONFIG_A: y}\nother: *k\n").root)
        let pairs = try #require(root.mapping)
        #expect(pairs[1].value.mapping?.first?.key.scalar?.text == "CONFIG_A")
        // The copy is located at the alias.
        #expect(pairs[1].value.range.start == SourcePosition(line: 2, column: 8))
    }

    @Test func billionLaughsIsRejectedWithALocatedError() {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...9 {
            text += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        let result = read(text)
        #expect(result.root == nil)
        #expect(summaries(result.diagnostics).count == 1)
        #expect(result.diagnostics.first?.id == "limit-alias-expansion")
        #expect(result.diagnostics.first?.location?.range.start.line == 7)
    }

    // MARK: - Bad input

    @Test func emptyAndCommentOnlyFiles() {
        #expect(summaries(read("").diagnostics) == ["error 1:1 manifest-empty"])
        #expect(summaries(read("# nothing\n").diagnostics) == ["error 1:1 manifest-empty"])
    }

    @Test func invalidUTF8IsLocated() {
        let result = read(Array("a: 1\nb: caf".utf8) + [0xE9] + Array(" x\n".utf8))
        #expect(summaries(result.diagnostics) == ["error 2:7 yaml-encoding"])
        #expect(result.diagnostics[0].message.contains("0xE9"))
    }

    @Test func utf16IsRefusedClearly() {
        #expect(summaries(read([0xFF, 0xFE, 0x61, 0x00]).diagnostics) == ["error 1:1 yaml-encoding"])
    }

    @Test func controlCharactersAreLocated() {
        #expect(summaries(read("a: 1\nb: x\u{07}y\n").diagnostics) == ["error 2:5 yaml-syntax"])
    }

    @Test func nestingDepthIsBounded() {
        let deep = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        let result = read(deep, limits: YAMLLimits(maxDepth: 50))
        #expect(summaries(result.diagnostics) == ["error 1:51 limit-nesting-depth"])
        // libyaml itself has no depth limit; the default stops far below a stack problem.
        let veryDeep = String(repeating: "- ", count: 5000) + "x\n"
        #expect(read(veryDeep).diagnostics.first?.id == "limit-nesting-depth")
    }

    @Test func inputSizeIsBounded() {
        let result = read("a: 12345678\n", limits: YAMLLimits(maxBytes: 8))
        #expect(summaries(result.diagnostics) == ["error 1:1 limit-input-size"])
        #expect(result.diagnostics[0].notes.first?.message.contains("--limit input-bytes=N") == true)
    }

    @Test func truncatedAndRandomInputNeverCrashes() {
        let sample = Array("spec: v0.6\nunikraft:\n  version: stable\n  kconfig:\n    CONFIG_A: 'y'\ntargets: [qemu/x86_64, {plat: fc, arch: arm64}]\nvolumes: [\"./a:/b\"]\n".utf8)
        for cut in 0...sample.count {
            _ = ManifestLoader().load(Array(sample[..<cut]), file: "t.yaml")
        }
        var generator = SplitMix64(seed: 42)
        for _ in 0..<2000 {
            var bytes = sample
            for _ in 0..<Int(generator.next() % 6) {
                let i = Int(generator.next() % UInt64(bytes.count))
                bytes[i] = UInt8(truncatingIfNeeded: generator.next())
            }
            _ = ManifestLoader().load(bytes, file: "t.yaml")
        }
    }
}

@Suite struct SourceTextTests {
    @Test func linesAndByteOffsets() {
        let text = SourceText(file: "f", bytes: [0xEF, 0xBB, 0xBF] + Array("ab\r\ncé\nx".utf8))
        #expect(text.lineCount == 3)
        #expect(text.line(2) == "cé")
        #expect(text.line(4) == "")
        // Byte 3 (after the BOM) is 'a'; the byte of "\n" after é is line 2, column 3.
        #expect(text.position(ofByteOffset: 3) == SourcePosition(line: 1, column: 1))
        #expect(text.position(ofByteOffset: 10) == SourcePosition(line: 2, column: 3))
    }

    @Test func firstInvalidUTF8() {
        #expect(SourceText.firstInvalidUTF8(in: Array("ok é 😀".utf8)) == nil)
        #expect(SourceText.firstInvalidUTF8(in: [0x61, 0xC0, 0x80])?.offset == 1)
        #expect(SourceText.firstInvalidUTF8(in: [0xED, 0xA0, 0x80])?.offset == 0)  // a surrogate
        #expect(SourceText.firstInvalidUTF8(in: [0x61, 0xF0, 0x9F])?.offset == 1)  // truncated
    }
}
