// libFuzzer target `manifest`: the whole pipeline without a Unikraft tree, as
// `manifestc kraft.yaml --emit all` runs it on an untrusted manifest: load (YAML,
// spec detection, decoding, interpolation), the normalized document, a template
// overlay, the plan, every artifact but qemu-guest, and the rendered diagnostics.
// Built and run by scripts/fuzz.sh.
import Emitters
import Manifest
import Planner
import Diagnostics
import Kconfig

private let environment = ["HOME": "/home/fuzz", "USER": "fuzz", "PORT": "8080", "EMPTY": "", "SPACES": "a b  c"]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzManifest(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    let loaded = ManifestLoader().load(bytes, file: "kraft.yaml", environment: environment)
    var diagnostics = loaded.diagnostics
    if let manifest = loaded.manifest {
        _ = manifest.document.json()
        _ = manifest.document.yaml()
        _ = manifest.overlaid(on: manifest)
        let (plan, planDiagnostics) = Planning.plan(manifest, environment: PlanEnvironment(fileSystem: InMemoryKconfigFileSystem()))
        diagnostics += planDiagnostics
        // qemu-guest is left out: its only input is the manifest's file name, fixed here,
        // and hashing its 30 KB for the header would halve the executions per second.
        let files = Artifact.emit(Set(Artifact.allCases).subtracting([.qemuGuest]), plan: plan)
        // Paths come from the manifest's names: none may climb out of the output folder.
        for file in files {
            fuzzCheck(!file.path.hasPrefix("/") && !file.path.split(separator: "/").contains(".."),
                      "emitted path '\(file.path)' leaves the output folder")
        }
    }
    _ = DiagnosticRenderer(sources: ["kraft.yaml": loaded.source]).render(diagnostics)
    _ = Diagnostic.document(diagnostics).json()
    return 0
}
