// libFuzzer target `yaml`: YAMLReader on arbitrary bytes, then everything that
// walks its result (the node tree as a document and as JSON, the rendered diagnostics).
// Built and run by scripts/fuzz.sh.
import Manifest
import Diagnostics

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzYAML(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    let result = YAMLReader().read(bytes, file: "fuzz.yaml")
    fuzzCheck(result.root != nil || !result.diagnostics.isEmpty, "no tree and no diagnostic")
    // `YAMLNode.document` is a test aid (the schema tests), not run on untrusted input:
    // walk it only on trees that aliases have not blown up (the reader allows 2,000,000
    // nodes, which as JSON take seconds and gigabytes under ASan, a harness timeout).
    if let root = result.root, nodes(in: root, upTo: 100_000) < 100_000 {
        _ = root.document.json()
    }
    _ = DiagnosticRenderer(sources: ["fuzz.yaml": result.source]).render(result.diagnostics)
    _ = Diagnostic.document(result.diagnostics).json()
    return 0
}

/// The number of nodes in the tree (aliases expanded), counting no further than `limit`.
private func nodes(in node: YAMLNode, upTo limit: Int) -> Int {
    var count = 1
    var stack = [node]
    while let n = stack.popLast(), count < limit {
        switch n.kind {
        case .scalar: break
        case .sequence(let items): count += items.count; stack += items
        case .mapping(let pairs): count += 2 * pairs.count; for p in pairs { stack += [p.key, p.value] }
        }
    }
    return count
}
