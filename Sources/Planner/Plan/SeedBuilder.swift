import Manifest
import Diagnostics

/// Builds a target's seed: the symbols its architecture, platform and libraries imply,
/// then the manifest's kconfig in precedence order (`unikraft` < libraries in order <
/// target), one line per symbol, later values winning.
public struct SeedBuilder {
    let file: String
    /// The enable symbol of each library (with `CONFIG_`), as read from its `Config.uk`
    /// when a tree is known; others are guessed from the name.
    let librarySymbols: [String: String]
    var diagnostics: [Diagnostic] = []

    init(file: String, librarySymbols: [String: String]) {
        self.file = file
        self.librarySymbols = librarySymbols
    }

    public static func architectureSymbol(_ a: Architecture) -> String {
        switch a {
        case .x86_64: "CONFIG_ARCH_X86_64"
        case .arm64: "CONFIG_ARCH_ARM_64"
        case .arm: "CONFIG_ARCH_ARM_32"
        }
    }

    public static func platformSymbols(_ p: Platform) -> [String] {
        switch p {
        case .qemu: ["CONFIG_PLAT_KVM", "CONFIG_KVM_VMM_QEMU"]
        case .fc, .kraftcloud: ["CONFIG_PLAT_KVM", "CONFIG_KVM_VMM_FIRECRACKER"]
        case .xen: ["CONFIG_PLAT_XEN"]
        case .linuxu: ["CONFIG_PLAT_LINUXU"]
        }
    }

    /// The enable symbol of library `name`: the one its `Config.uk` defines when the tree is
    /// known, else `LibrarySymbols`' rule (with a warning for a library outside the catalog).
    mutating func librarySymbol(_ name: Located<String>, treeKnown: Bool) -> String {
        if let symbol = librarySymbols[name.value] { return symbol }
        let guess = LibrarySymbols.enableSymbol(ofLibrary: name.value)
        if treeKnown && !LibrarySymbols.catalog.contains(name.value) {
            diagnostics.append(.warning("library-symbol", "library '\(name.value)' has no Config.uk in the given folders; its enable symbol is assumed to be '\(guess)'",
                                        at: name.location(in: file)))
        }
        return guess
    }

    mutating func seed(for target: Target, manifest: Manifest, treeKnown: Bool) -> [SeedLine] {
        var lines: [SeedLine] = []
        var index: [String: Int] = [:]
        var automatic: Set<String> = []
        func set(_ symbol: String, _ value: String, _ origin: SeedLine.Origin, _ literal: KconfigLiteral? = nil) {
            let line = SeedLine(symbol: symbol, value: value, origin: origin, literal: literal)
            if let i = index[symbol] { lines[i] = line } else {
                index[symbol] = lines.count
                lines.append(line)
            }
        }
        set(Self.architectureSymbol(target.architecture.value), "y", .target)
        for symbol in Self.platformSymbols(target.platform.value) { set(symbol, "y", .target) }
        automatic = Set(lines.map(\.symbol))
        var libraryFlags: [String: String] = [:]
        for library in manifest.libraries {
            let symbol = librarySymbol(library.name, treeKnown: treeKnown)
            libraryFlags[symbol] = library.name.value
            set(symbol, "y", .library(library.name.value))
        }
        let sections: [(String, [KconfigOption])] = [("'unikraft'", manifest.unikraft?.kconfig ?? [])]
            + manifest.libraries.map { ("library '\($0.name.value)'", $0.component.kconfig) }
            + [("target \(target.platformArchitecture)", target.kconfig)]
        var setBy: [String: (section: String, option: KconfigOption)] = [:]
        for (section, options) in sections {
            for option in options {
                let symbol = option.symbol.value
                let value = Self.seedValue(option.value.value)
                let here = option.symbol.location(in: file)
                if automatic.contains(symbol) || Self.isTargetSymbol(symbol) {
                    if value != (lines.first { $0.symbol == symbol }?.value ?? "n") {
                        diagnostics.append(.error("kconfig-target-conflict",
                            "'\(symbol)' contradicts target \(target.platformArchitecture); choose the architecture and platform in 'targets' instead",
                            at: here))
                    }
                    continue
                }
                if let library = libraryFlags[symbol], value != "y" {
                    diagnostics.append(.warning("kconfig-library-conflict",
                        "'\(symbol)=\(value)' turns off library '\(library)', which the manifest lists; the manifest's value wins",
                        at: here))
                }
                if let earlier = setBy[symbol], Self.seedValue(earlier.option.value.value) != value {
                    diagnostics.append(.warning("kconfig-override",
                        "\(section) sets '\(symbol)' to '\(value)', overriding '\(Self.seedValue(earlier.option.value.value))' from \(earlier.section)",
                        at: here, notes: [DiagnosticNote("set here first", at: earlier.option.symbol.location(in: file))]))
                }
                setBy[symbol] = (section, option)
                set(symbol, value, .manifest(here), option.value.value)
            }
        }
        return lines
    }

    /// Architecture, platform and VMM choices belong to `targets`.
    public static func isTargetSymbol(_ symbol: String) -> Bool {
        symbol.hasPrefix("CONFIG_ARCH_") || symbol.hasPrefix("CONFIG_PLAT_") || symbol.hasPrefix("CONFIG_KVM_VMM_")
    }

    /// A manifest value as seed text before typing against a tree: `y`/`n` and numbers
    /// bare, Kconfig-quoted strings quoted, anything else quoted (as a string).
    static func seedValue(_ literal: KconfigLiteral) -> String {
        if literal.quoted { return literal.seedText }
        let t = literal.text
        switch t.lowercased() {
        case "y", "yes", "true", "on": return "y"
        case "n", "no", "false", "off": return "n"
        default: break
        }
        if Int(t) != nil || (t.hasPrefix("0x") && Int(t.dropFirst(2), radix: 16) != nil) { return t }
        return KconfigLiteral(text: t, quoted: true).seedText
    }
}
