import Foundation
import Testing
import Diagnostics
@testable import Manifest

/// `set`/`unset`'s text edits: values land where the manifest keeps its options, in its form,
/// everything else byte for byte; an added entry removed again gives the original bytes.
@Suite struct KconfigTextEditorTests {
    static let listForm = """
        spec: v0.6
        name: hello   # the app

        unikraft:
          version: 0.17.0
          kconfig:
            # debugging
            - CONFIG_LIBUKDEBUG_PRINTK_INFO=y
            - 'CONFIG_LIBVFSCORE_ROOTFS="ramfs"'   # the root

        targets:
          - qemu/x86_64

        """

    static let mapForm = """
        spec: v0.6
        name: hello
        unikraft:
          version: stable
          kconfig:
            CONFIG_LIBUKDEBUG_PRINTK_INFO: 'y'
            CONFIG_LIBVFSCORE_ROOTFS: '"ramfs"'
        # the targets
        targets:
        - platform: qemu
          architecture: x86_64
          kconfig:
            CONFIG_HAVE_PAGING: y
        - platform: fc
          architecture: x86_64

        """

    static let noSection = """
        spec: v0.6
        name: hello
        unikraft:
          version: stable
          source: ../unikraft
        targets:
        - qemu/x86_64
        """

    static let flowForms = """
        spec: v0.6
        name: hello
        unikraft: {version: stable, kconfig: {CONFIG_LIBUKDEBUG: y}}
        targets:
          - {platform: qemu, architecture: x86_64, kconfig: [CONFIG_HAVE_PAGING=y]}
          - platform: fc
            architecture: x86_64
            kconfig: []

        """

    static let anchors = """
        spec: v0.6
        name: hello
        unikraft:
          version: stable
          kconfig: &common
            CONFIG_LIBUKDEBUG: y
        targets:
          - platform: qemu
            architecture: x86_64
            kconfig: *common
          - platform: fc
            architecture: x86_64
            kconfig:
              - &debug CONFIG_LIBUKDEBUG_PRINTK_INFO=y

        """

    func edit(_ text: String, _ changes: [KconfigChange], target: Int? = nil) -> KconfigTextEditor.Result {
        KconfigTextEditor(file: "kraft.yaml").apply(changes, to: Array(text.utf8), target: target)
    }

    func set(_ symbol: String, _ value: String) -> KconfigChange { KconfigChange(symbol: symbol, value: value) }
    func unset(_ symbol: String) -> KconfigChange { KconfigChange(symbol: symbol, value: nil) }

    /// The value the decoder gives `symbol` in `section` (nil: the unikraft section) of the edited text.
    func decoded(_ bytes: [UInt8], _ symbol: String, target: Int? = nil) -> KconfigLiteral? {
        let result = ManifestLoader().load(bytes, file: "kraft.yaml")
        #expect(!result.hasErrors, "\(result.diagnostics)")
        let options = target.map { result.manifest?.targets[$0].kconfig ?? [] } ?? result.manifest?.unikraft?.kconfig ?? []
        return options.last { $0.symbol.value == symbol }?.value.value
    }

    @Test func addsToListFormAfterTheLastEntryAndRemovesItAgain() throws {
        let added = try #require(edit(Self.listForm, [set("CONFIG_LIBUK9P", "y")]).bytes)
        let text = String(decoding: added, as: UTF8.self)
        // In the style of the entry before it.
        #expect(text.contains("    - 'CONFIG_LIBVFSCORE_ROOTFS=\"ramfs\"'   # the root\n    - 'CONFIG_LIBUK9P=y'\n\ntargets:"))
        #expect(decoded(added, "CONFIG_LIBUK9P") == KconfigLiteral(text: "y"))
        let back = try #require(edit(text, [unset("CONFIG_LIBUK9P")]).bytes)
        #expect(back == Array(Self.listForm.utf8))
    }

    @Test func replacesAValueInItsOwnQuotingStyle() throws {
        let changed = try #require(edit(Self.listForm, [set("CONFIG_LIBVFSCORE_ROOTFS", "\"9pfs\"")]).bytes)
        let text = String(decoding: changed, as: UTF8.self)
        #expect(text.contains("    - 'CONFIG_LIBVFSCORE_ROOTFS=\"9pfs\"'   # the root\n"))
        #expect(text.replacingOccurrences(of: "9pfs", with: "ramfs") == Self.listForm)
        #expect(decoded(changed, "CONFIG_LIBVFSCORE_ROOTFS") == KconfigLiteral(text: "9pfs", quoted: true))
    }

    @Test func mapFormKeepsItsQuotesAndGoesToTheNamedTarget() throws {
        let shared = try #require(edit(Self.mapForm, [set("CONFIG_LIBUK9P", "y")]).bytes)
        #expect(String(decoding: shared, as: UTF8.self).contains("    CONFIG_LIBVFSCORE_ROOTFS: '\"ramfs\"'\n    CONFIG_LIBUK9P: 'y'\n# the targets"))
        #expect(decoded(shared, "CONFIG_LIBUK9P") == KconfigLiteral(text: "y"))

        let own = try #require(edit(Self.mapForm, [set("CONFIG_LIBUK9P", "y")], target: 0).bytes)
        #expect(String(decoding: own, as: UTF8.self).contains("    CONFIG_HAVE_PAGING: y\n    CONFIG_LIBUK9P: y\n- platform: fc"))
        #expect(decoded(own, "CONFIG_LIBUK9P", target: 0) == KconfigLiteral(text: "y"))
        #expect(try #require(edit(String(decoding: own, as: UTF8.self), [unset("CONFIG_LIBUK9P")], target: 0).bytes) == Array(Self.mapForm.utf8))

        // The second target has no kconfig: one is made, in the form the file uses.
        let created = try #require(edit(Self.mapForm, [set("CONFIG_LIBUKNETDEV", "y")], target: 1).bytes)
        #expect(String(decoding: created, as: UTF8.self).hasSuffix("- platform: fc\n  architecture: x86_64\n  kconfig:\n    CONFIG_LIBUKNETDEV: y\n"))
        #expect(decoded(created, "CONFIG_LIBUKNETDEV", target: 1) == KconfigLiteral(text: "y"))
        #expect(try #require(edit(String(decoding: created, as: UTF8.self), [unset("CONFIG_LIBUKNETDEV")], target: 1).bytes) == Array(Self.mapForm.utf8))
    }

    /// For every target, the value replaces each entry that sets the symbol (a library's and a
    /// target's would otherwise win over the `unikraft` section's); for one target, its own entry wins.
    @Test func everyTargetReplacesEveryEntryThatSetsTheSymbol() throws {
        let text = """
            spec: v0.6
            unikraft:
              kconfig:
                CONFIG_A: y
            libraries:
              musl:
                version: stable
                kconfig: [CONFIG_B=y, CONFIG_D=y]
            targets:
              - platform: qemu
                architecture: x86_64
                kconfig:
                  CONFIG_B: y   # keep
              - fc/x86_64

            """
        let every = try #require(edit(text, [set("CONFIG_B", "n")]).bytes)
        #expect(String(decoding: every, as: UTF8.self) == text.replacingOccurrences(of: "[CONFIG_B=y, ", with: "[CONFIG_B=n, ").replacingOccurrences(of: "CONFIG_B: y   # keep", with: "CONFIG_B: n   # keep"))
        // A symbol only a library sets, for one target: the target's own entry, which wins.
        let one = try #require(edit(text, [set("CONFIG_D", "n"), set("CONFIG_B", "n")], target: 0).bytes)
        #expect(String(decoding: one, as: UTF8.self) == text.replacingOccurrences(of: "CONFIG_B: y   # keep", with: "CONFIG_B: n   # keep\n      CONFIG_D: n"))
        let unset = try #require(edit(text, [unset("CONFIG_B")]).bytes)
        #expect(!String(decoding: unset, as: UTF8.self).contains("CONFIG_B"))
    }

    @Test func aValueSetForEveryTargetIsNotUnsetForOne() {
        let result = edit(Self.mapForm, [unset("CONFIG_LIBUKDEBUG_PRINTK_INFO")], target: 1)
        #expect(result.bytes == nil)
        #expect(summaries(result.diagnostics) == ["error 6:5 edit-shared-setting"])
    }

    @Test func createsTheSectionAndRemovesItAgain() throws {
        let created = try #require(edit(Self.noSection, [set("CONFIG_LIBUKDEBUG", "n"), set("CONFIG_LIBVFSCORE_ROOTFS", "\"ramfs\"")]).bytes)
        let text = String(decoding: created, as: UTF8.self)
        #expect(text.contains("  source: ../unikraft\n  kconfig:\n    CONFIG_LIBUKDEBUG: n\n    CONFIG_LIBVFSCORE_ROOTFS: '\"ramfs\"'\ntargets:"))
        #expect(decoded(created, "CONFIG_LIBUKDEBUG") == KconfigLiteral(text: "n"))
        let back = try #require(edit(text, [unset("CONFIG_LIBVFSCORE_ROOTFS"), unset("CONFIG_LIBUKDEBUG")]).bytes)
        #expect(back == Array(Self.noSection.utf8))
    }

    @Test func keepsCRLFLineEnds() throws {
        let crlf = Self.listForm.replacingOccurrences(of: "\n", with: "\r\n")
        let added = try #require(edit(crlf, [set("CONFIG_LIBUK9P", "y")]).bytes)
        let text = String(decoding: added, as: UTF8.self)
        #expect(text.contains("# the root\r\n    - 'CONFIG_LIBUK9P=y'\r\n"))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(try #require(edit(text, [unset("CONFIG_LIBUK9P")]).bytes) == Array(crlf.utf8))
        let created = try #require(edit(Self.noSection.replacingOccurrences(of: "\n", with: "\r\n"), [set("CONFIG_LIBUKDEBUG", "y")]).bytes)
        #expect(String(decoding: created, as: UTF8.self).contains("  kconfig:\r\n    CONFIG_LIBUKDEBUG: y\r\ntargets:"))
    }

    @Test func editsFlowStyleInPlace() throws {
        let shared = try #require(edit(Self.flowForms, [set("CONFIG_LIBUK9P", "y")]).bytes)
        #expect(String(decoding: shared, as: UTF8.self).contains("kconfig: {CONFIG_LIBUKDEBUG: y, CONFIG_LIBUK9P: y}}"))
        #expect(try #require(edit(String(decoding: shared, as: UTF8.self), [unset("CONFIG_LIBUK9P")]).bytes) == Array(Self.flowForms.utf8))

        let list = try #require(edit(Self.flowForms, [set("CONFIG_LIBUK9P", "\"a, b\"")], target: 0).bytes)
        #expect(String(decoding: list, as: UTF8.self).contains("kconfig: [CONFIG_HAVE_PAGING=y, 'CONFIG_LIBUK9P=\"a, b\"']}"))
        #expect(decoded(list, "CONFIG_LIBUK9P", target: 0) == KconfigLiteral(text: "a, b", quoted: true))
        #expect(try #require(edit(String(decoding: list, as: UTF8.self), [unset("CONFIG_LIBUK9P")], target: 0).bytes) == Array(Self.flowForms.utf8))

        let empty = try #require(edit(Self.flowForms, [set("CONFIG_LIBUK9P", "y")], target: 1).bytes)
        #expect(String(decoding: empty, as: UTF8.self).contains("    kconfig: [CONFIG_LIBUK9P=y]\n"))
        #expect(try #require(edit(String(decoding: empty, as: UTF8.self), [unset("CONFIG_LIBUK9P")], target: 1).bytes) == Array(Self.flowForms.utf8))

        // Removing the first of several entries.
        let first = try #require(edit(Self.flowForms, [unset("CONFIG_HAVE_PAGING")], target: 0).bytes)
        #expect(String(decoding: first, as: UTF8.self).contains("kconfig: []}"))
    }

    @Test func refusesAliasesAndAnchorsWithTheirPlace() {
        let alias = edit(Self.anchors, [set("CONFIG_LIBUK9P", "y")], target: 0)
        #expect(alias.bytes == nil)
        #expect(summaries(alias.diagnostics) == ["error 10:14 edit-alias"])
        let anchoredSection = edit(Self.anchors, [set("CONFIG_LIBUK9P", "y")])
        #expect(summaries(anchoredSection.diagnostics) == ["error 5:12 edit-anchor"])
        let anchoredEntry = edit(Self.anchors, [unset("CONFIG_LIBUKDEBUG_PRINTK_INFO")], target: 1)
        #expect(summaries(anchoredEntry.diagnostics) == ["error 14:9 edit-anchor"])
        // Adding beside an anchored entry leaves it alone.
        #expect(edit(Self.anchors, [set("CONFIG_LIBUK9P", "y")], target: 1).bytes != nil)
    }

    @Test func refusesShorthandsWithTheirPlace() {
        let target = edit(Self.noSection, [set("CONFIG_LIBUK9P", "y")], target: 0)
        #expect(summaries(target.diagnostics) == ["error 7:3 edit-target-shorthand"])
        let unikraft = edit("spec: v0.6\nunikraft: stable\ntargets:\n- qemu/x86_64\n- fc/x86_64\n", [set("CONFIG_LIBUK9P", "y")])
        #expect(summaries(unikraft.diagnostics) == ["error 2:11 edit-unikraft-shorthand"])
        let missing = edit(Self.noSection, [unset("CONFIG_LIBUK9P")])
        #expect(summaries(missing.diagnostics) == ["error - edit-not-set"])
    }

    /// The edits' positions: `byteOffset(of:)` inverts `position(ofByteOffset:)` at every character
    /// start that is not a line break (BOM, CRLF, CR, multi-byte scalars, U+2028), and clamps a
    /// column past the end of a line to the line's end.
    @Test func byteOffsetsInvertPositions() {
        let bytes = Array("\u{FEFF}a: é\r\nb: '𝄞'\rc:\u{2028}d: ☃\n\ne".utf8)
        let text = SourceText(file: "x", bytes: bytes)
        for offset in 3..<bytes.count where bytes[offset] & 0xC0 != 0x80 && ![0x0A, 0x0D].contains(bytes[offset]) && !(bytes[offset] == 0xE2 && bytes[offset + 2] == 0xA8) {
            #expect(text.byteOffset(of: text.position(ofByteOffset: offset)) == offset, "\(offset)")
        }
        #expect(text.byteOffset(of: SourcePosition(line: 1, column: 99)) == 3 + "a: é".utf8.count)
    }

    @Test func keepsAByteOrderMarkAndAMissingFinalLineBreak() throws {
        let text = "\u{FEFF}spec: v0.6\nunikraft:\n  kconfig:\n    - CONFIG_A=y"
        let added = try #require(edit(text, [set("CONFIG_B", "0x10")]).bytes)
        #expect(added == Array("\u{FEFF}spec: v0.6\nunikraft:\n  kconfig:\n    - CONFIG_A=y\n    - CONFIG_B=0x10".utf8))
        #expect(try #require(edit(String(decoding: added, as: UTF8.self), [unset("CONFIG_B")]).bytes) == Array(text.utf8))
    }
}
