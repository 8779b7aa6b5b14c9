import Diagnostics

extension YAMLNode {
    /// The node as plain data with YAML 1.1 typing (what a JSON Schema validator sees
    /// after a YAML-to-JSON conversion): null, booleans and integers typed; floats
    /// and everything else kept as their text. A repeated key keeps its later value,
    /// as YAML 1.1 readers do.
    public var document: DocumentValue {
        switch kind {
        case .scalar(let s):
            switch s.resolved {
            case .null: return .null
            case .bool(let b): return .bool(b)
            case .int(let i): return .int(i)
            case .float, .string: return .string(s.text)
            }
        case .sequence(let items):
            return .list(items.map(\.document))
        case .mapping(let pairs):
            var out: [(String, DocumentValue)] = []
            var index: [String: Int] = [:]
            for pair in pairs {
                let key = pair.key.scalar?.text ?? ""
                if let i = index[key] {
                    out[i].1 = pair.value.document
                } else {
                    index[key] = out.count
                    out.append((key, pair.value.document))
                }
            }
            return .map(out)
        }
    }
}
