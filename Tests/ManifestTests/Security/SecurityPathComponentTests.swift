import Testing
import TestSupport
@testable import Manifest

/// Names that become a folder manifestc writes, clones into or deletes (`libs/lib-<name>`)
/// are one safe path component, or a located error at decode time (so `validate` and
/// `--check` reject them before anything touches the disk).
@Suite(.tags(.security)) struct SecurityPathComponentTests {
    @Test(arguments: ["x/../../../../victim", "..", ".", "/etc", "a/b", "-rf", "a\u{7}b", "a\nb", String(repeating: "a", count: 201)])
    func libraryNameThatIsNotOneFolderNameIsALocatedError(_ name: String) {
        let escaped = name.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? String(format: "\\x%02X", $0.value) : String($0) }.joined()
        let result = load("spec: v0.6\nname: app\ntargets: [qemu/x86_64]\nlibraries:\n  \"\(escaped)\": stable\n")
        #expect(summaries(result.diagnostics).contains("error 5:3 name-not-component"), "\(summaries(result.diagnostics))")
        #expect(result.manifest?.libraries.contains { $0.name.value == name } != true)
    }

    @Test(arguments: ["musl", "lwip", "libcxx", "compiler-rt", "pthread-embedded", "a.b_c+d~e"])
    func ordinaryLibraryNamesPass(_ name: String) {
        let result = load("spec: v0.6\nname: app\ntargets: [qemu/x86_64]\nlibraries:\n  \(name): stable\n")
        #expect(!result.diagnostics.contains { $0.id == "name-not-component" })
        #expect(PathComponent.isSafe(name))
    }
}
