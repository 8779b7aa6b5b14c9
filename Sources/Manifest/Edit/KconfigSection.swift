import Diagnostics

/// A `kconfig:` section of a manifest as it is written: where it is, its form and its entries.
struct KconfigSection {
    /// The mapping that holds the `kconfig` key (the `unikraft` section or a target).
    var owner: YAMLNode
    /// What the section is called in messages: "the 'unikraft' section", "target 2".
    var name: String
    /// The `kconfig` key and its value; nil when the owner has none yet.
    var key: YAMLNode?
    var value: YAMLNode?
    var entries: [Entry] = []

    /// One `CONFIG_X=v` item or `CONFIG_X: v` pair.
    struct Entry {
        /// The symbol with its `CONFIG_` prefix.
        var symbol: String
        /// The list item, or the pair's key.
        var first: YAMLNode
        /// The list item, or the pair's value.
        var last: YAMLNode
        /// The symbol as written (for a list item, the text before `=`).
        var spelling: String
    }

    /// List form (`- CONFIG_X=y`), as opposed to map form (`CONFIG_X: y`); nil when empty or missing.
    var isList: Bool? {
        if value?.sequence != nil { return true }
        if value?.mapping != nil { return false }
        return nil
    }

    init(owner: YAMLNode, name: String) {
        self.owner = owner
        self.name = name
        for pair in owner.mapping ?? [] where pair.key.scalar?.text == "kconfig" {
            key = pair.key
            value = pair.value
        }
        if let items = value?.sequence {
            entries = items.compactMap { item in
                guard let text = item.scalar?.text else { return nil }
                let spelling = String(text.prefix { $0 != "=" }).trimmingSpaces
                return Entry(symbol: Self.withPrefix(spelling), first: item, last: item, spelling: spelling)
            }
        } else if let pairs = value?.mapping {
            entries = pairs.compactMap { pair in
                guard let text = pair.key.scalar?.text else { return nil }
                let spelling = text.trimmingSpaces
                return Entry(symbol: Self.withPrefix(spelling), first: pair.key, last: pair.value, spelling: spelling)
            }
        }
    }

    static func withPrefix(_ name: String) -> String {
        name.hasPrefix("CONFIG_") ? name : "CONFIG_" + name
    }

    /// The last entry that sets `symbol` (the one whose value counts).
    func entry(_ symbol: String) -> Entry? {
        entries.last { $0.symbol == symbol }
    }

    /// The sections a manifest writes: the `unikraft` section's, each library's (in manifest
    /// order) and each target's (by index in `targets`), with the nodes that hold them.
    struct Sections {
        var unikraft: (node: YAMLNode, section: KconfigSection?)?
        var libraries: [KconfigSection] = []
        var targets: [(node: YAMLNode, section: KconfigSection?)] = []
    }

    static func sections(of root: YAMLNode) -> Sections {
        var found = Sections()
        for pair in root.mapping ?? [] {
            switch pair.key.scalar?.text {
            case "unikraft":
                found.unikraft = (pair.value, pair.value.mapping != nil ? KconfigSection(owner: pair.value, name: "the 'unikraft' section") : nil)
            case "libraries":
                for library in pair.value.mapping ?? [] where library.value.mapping != nil {
                    found.libraries.append(KconfigSection(owner: library.value, name: "library '\(library.key.scalar?.text ?? "")'"))
                }
            case "targets":
                for (i, item) in (pair.value.sequence ?? []).enumerated() {
                    found.targets.append((item, item.mapping != nil ? KconfigSection(owner: item, name: "target \(i + 1)") : nil))
                }
            default:
                break
            }
        }
        return found
    }
}
