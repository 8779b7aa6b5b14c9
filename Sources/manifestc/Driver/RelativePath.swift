import FoundationEssentials

/// `to` relative to the folder `from`, or absolute when they share nothing but `/`.
package func relativePath(from: URL, to: URL) -> String {
    let a = from.standardizedFileURL.pathComponents, b = to.standardizedFileURL.pathComponents
    var common = 0
    while common < a.count, common < b.count, a[common] == b[common] { common += 1 }
    if common <= 1 { return to.path }
    let ups = Array(repeating: "..", count: a.count - common)
    let rest = Array(b[common...])
    let parts = ups + rest
    return parts.isEmpty ? "." : parts.joined(separator: "/")
}
