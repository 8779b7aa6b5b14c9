import Manifest
import Testing
import Diagnostics

/// manifestc's own `x-manifestc` key: guest memory (MiB) and vCPUs, which no spec version can say.
@Suite struct ExtensionKeyTests {
    @Test func memoryAndVCPUs() throws {
        let result = ManifestLoader().load(Array("spec: v0.6\ntargets: [qemu/x86_64]\nx-manifestc:\n  memory: 256\n  vcpus: 2\n".utf8), file: "kraft.yaml")
        #expect(result.diagnostics.isEmpty)
        let manifest = try #require(result.manifest)
        #expect(manifest.memoryMiB?.value == 256 && manifest.vcpus?.value == 2)
        #expect(manifest.memoryMiB?.range.start == SourcePosition(line: 4, column: 11))
    }

    @Test func aValueManifestcCannotUseIsALocatedWarning() throws {
        let result = ManifestLoader().load(Array("spec: v0.6\nx-manifestc:\n  memory: 256M\n  vcpus: 0\n  disk: 1\n".utf8), file: "kraft.yaml")
        #expect(result.diagnostics.map { "\($0.severity.rawValue) \($0.location!.range.start) \($0.id)" } == [
            "warning 3:11 extension-value", "warning 4:10 extension-value", "warning 5:3 unknown-key",
        ])
        #expect(result.manifest?.memoryMiB == nil && result.manifest?.vcpus == nil)
    }

    @Test func libraryOrderIsAListOfNames() throws {
        let good = ManifestLoader().load(Array("spec: v0.6\nx-manifestc:\n  library-order: [musl, lwip]\n".utf8), file: "kraft.yaml")
        #expect(good.diagnostics.isEmpty)
        #expect(good.manifest?.libraryOrder?.value.map(\.value) == ["musl", "lwip"])
        let bad = ManifestLoader().load(Array("spec: v0.6\nx-manifestc:\n  library-order: musl\n".utf8), file: "kraft.yaml")
        #expect(bad.diagnostics.map { "\($0.severity.rawValue) \($0.location!.range.start) \($0.id)" } == ["error 3:18 type-mismatch"])
    }
}
