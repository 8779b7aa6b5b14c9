import Manifest
import Testing
import TestSupport
@testable import Import

/// What import writes is read back as the same literal values: no manifest syntax or
/// environment expansion is added by the values of a hostile setup.
@Suite(.tags(.security)) struct SecurityImportedTextTests {
    @Test func importedDollarSignsStayLiteralOnTheNextCompile() throws {
        var setup = ImportedSetup(name: "app", unikraftVersion: "0.17.0")
        setup.targets = [.init(name: nil, platform: .qemu, architecture: .x86_64, options: [], configFile: nil)]
        setup.env = [.init(key: "HOME_COPY", value: "${HOME:-x}")]
        setup.cmd = ["$HOME", "${PATH}", "$$"]
        setup.filesRead = ["Makefile\nname: injected"]
        let text = ImportedManifestWriter.render(setup).text
        let loaded = ManifestLoader().load(Array(text.utf8), file: "kraft.yaml", environment: ["HOME": "/root", "PATH": "/bin"])
        let manifest = try #require(loaded.manifest, "\(loaded.diagnostics)\n\(text)")
        #expect(manifest.env.first?.value?.value == "${HOME:-x}", "\(text)")
        #expect(manifest.cmd?.map(\.value) == ["$HOME", "${PATH}", "$$"])
        #expect(manifest.name?.value == "app", "a file name added YAML: \(text)")
    }
}
