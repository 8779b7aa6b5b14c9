import Manifest
import Diagnostics
import Kconfig

/// What to say about a manifest symbol the tree does not define, before a "did you mean":
/// a library defines it (one the manifest does not list, or one whose folder is missing),
/// or Unikraft renamed it between releases.
public enum SymbolHints {
    /// A symbol Unikraft renamed in `release`.
    public struct Rename: Sendable, Equatable {
        public var old: String
        public var new: String
        /// The first release with the new name.
        public var release: String
    }

    /// Renames between releases, each checked against the real trees (SymbolHintsRealTreeTests).
    public static let renames: [Rename] = [
        Rename(old: "LIBUKSWRAND", new: "LIBUKRANDOM", release: "0.17.0"),
        Rename(old: "LIBUKSWRAND_DEVFS", new: "LIBUKRANDOM_DEVFS", release: "0.17.0"),
    ]

    /// Names people write that no release ever had, and the symbol they mean.
    public static let misnomers: [String: (symbol: String, what: String)] = [
        "LIBUKDEBUG_PRINTK_DEBUG": ("LIBUKDEBUG_PRINTD", "ukdebug's debug messages"),
    ]

    /// The hint for `name` (without `CONFIG_`), or nil.
    /// - Parameters:
    ///   - listed: the manifest's libraries (they have folders when their symbols are known).
    ///   - otherFolders: library folders present but not listed (the workspace's `libs/`), by name.
    public static func hint(for name: String, tree: KconfigTree, listed: [String], otherFolders: [String: String],
                     environment: PlanEnvironment) -> String? {
        if let rename = renames.first(where: { $0.old == name }), tree.symbol(named: rename.new) != nil {
            return "it was renamed to 'CONFIG_\(rename.new)' in Unikraft \(rename.release)"
        }
        if let rename = renames.first(where: { $0.new == name }), tree.symbol(named: rename.old) != nil {
            return "before Unikraft \(rename.release) (this tree is older) it is called 'CONFIG_\(rename.old)'"
        }
        if let meant = misnomers[name], tree.symbol(named: meant.symbol) != nil {
            return "no Unikraft release has it; \(meant.what) are 'CONFIG_\(meant.symbol)'"
        }
        // A library present on disk that defines it, then the well-known libraries' prefixes.
        for (library, folder) in otherFolders.sorted(by: { $0.key < $1.key }) where !listed.contains(library) {
            if defines(name, folder: folder, fileSystem: environment.fileSystem) { return notListed(library, found: folder) }
        }
        let owners = LibrarySymbols.catalog.map { ($0, String(LibrarySymbols.enableSymbol(ofLibrary: $0).dropFirst("CONFIG_".count))) }
            .filter { name == $0.1 || name.hasPrefix($0.1 + "_") }
            .sorted { $0.1.count > $1.1.count }
        guard let (library, _) = owners.first else { return nil }
        if listed.contains(library) {
            return "it belongs to library '\(library)', whose folder was not found (--lib, a local 'source', or the workspace kraft.lock pins; 'manifestc --build' fetches it)"
        }
        return notListed(library, found: nil)
    }

    private static func notListed(_ library: String, found folder: String?) -> String {
        "it belongs to library '\(library)'\(folder.map { " (\($0))" } ?? ""), which the manifest does not list; add it under 'libraries:' (for example '\(library): stable')"
    }

    /// Whether the library at `folder` defines `name` in its `Config.uk`.
    static func defines(_ name: String, folder: String, fileSystem: any KconfigFileSystem) -> Bool {
        guard let bytes = fileSystem.contents(of: folder + "/Config.uk") else { return false }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").contains { line in
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            return words.count >= 2 && (words[0] == "config" || words[0] == "menuconfig") && words[1] == name
        }
    }
}
