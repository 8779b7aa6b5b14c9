import Manifest
import Diagnostics

/// The order of the libraries in `L=`, which decides the order of their `Config.uk` menus
/// (and so of their lines in `.config`) and of their objects at link time.
public enum LibraryOrder {
    /// The libraries that must come first in `L=` (C++ runtimes, then the libc), as KraftKit orders them.
    static let leading = ["libcxxabi", "libcxx", "libunwind", "compiler-rt", "libgo", "musl", "newlib", "pthread-embedded"]

    /// The default rule, KraftKit's (`MakeArgs`): `leading` in that order, then every other
    /// library sorted by its folder's path, a library with a remote source standing at
    /// `.unikraft/libs/<name>` next to the manifest as KraftKit unpacks it, a local one at its source.
    public static func defaultOrder<Item>(_ items: [Item], name: (Item) -> String, path: (Item) -> String) -> [Item] {
        let first = leading.compactMap { wanted in items.first { name($0) == wanted } }
        let others: [(item: Item, path: String, name: String)] = items.filter { !leading.contains(name($0)) }.map { ($0, path($0), name($0)) }
        let sorted = others.sorted { a, b in a.path != b.path ? a.path < b.path : a.name < b.name }
        return first + sorted.map(\.item)
    }

    /// The order the manifest asks for (`x-manifestc: {library-order: […]}`) when it names every
    /// library exactly once, else the default rule, with an error for each misnamed entry.
    static func ordered(_ manifest: Manifest, environment: PlanEnvironment) -> (libraries: [Library], diagnostics: [Diagnostic]) {
        let libraries = manifest.libraries
        let byDefault = defaultOrder(libraries, name: \.name.value) { library in
            var path = environment.hostPath(".unikraft/libs/" + library.name.value)
            if let source = library.component.source?.value, source.hasPrefix("/") || source.hasPrefix("./") || source.hasPrefix("../") {
                path = environment.hostPath(source, fromTemplate: library.name.file != nil)
            }
            return path.hasPrefix("./") ? String(path.dropFirst(2)) : path
        }
        guard let order = manifest.libraryOrder else { return (byDefault, []) }
        var diagnostics: [Diagnostic] = []
        var seen = Set<String>()
        for name in order.value {
            if !libraries.contains(where: { $0.name.value == name.value }) {
                let known = libraries.map { "'\($0.name.value)'" }.joined(separator: ", ")
                diagnostics.append(.error("library-order-unknown", "'x-manifestc.library-order' names '\(name.value)', which is not one of the manifest's libraries (\(known.isEmpty ? "none" : known)); name only those",
                                          at: SourceLocation(file: manifest.file, range: name.range)))
            } else if !seen.insert(name.value).inserted {
                diagnostics.append(.error("library-order-duplicate", "'x-manifestc.library-order' names '\(name.value)' twice; name each library once",
                                          at: SourceLocation(file: manifest.file, range: name.range)))
            }
        }
        let missing = libraries.map(\.name.value).filter { !seen.contains($0) }
        if !missing.isEmpty, diagnostics.isEmpty {
            diagnostics.append(.error("library-order-missing", "'x-manifestc.library-order' leaves out \(missing.map { "'\($0)'" }.joined(separator: ", ")); it must name every library of the manifest, in the order L= should have them",
                                      at: SourceLocation(file: manifest.file, range: order.range)))
        }
        guard diagnostics.isEmpty else { return (byDefault, diagnostics) }
        return (order.value.compactMap { name in libraries.first { $0.name.value == name.value } }, [])
    }
}
