// libFuzzer target `yaml`: YAMLReader on arbitrary bytes, then everything that
// walks its result (the node tree as a document and as JSON, the rendered diagnostics).
// Built and run by scripts/fuzz.sh.
import Manifest

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzYAML(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    let result = YAMLReader().read(bytes, file: "fuzz.yaml")
    fuzzCheck(result.root != nil || !result.diagnostics.isEmpty, "no tree and no diagnostic")
    if let root = result.root {
        _ = root.document.json()
    }
    _ = DiagnosticRenderer(sources: ["fuzz.yaml": result.source]).render(result.diagnostics)
    _ = Diagnostic.document(result.diagnostics).json()
    return 0
}
