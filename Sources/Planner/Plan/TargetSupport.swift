import Manifest
import Diagnostics
import Kconfig

/// Whether a tree can build a target: its architecture and platform symbols (and, on KVM, the
/// VMM) must survive evaluation. `make defconfig` drops one it cannot have (Firecracker on arm64
/// in 0.13.1, Xen on arm64 before 0.16.2) and silently configures something else.
enum TargetSupport {
    /// The target's own seed lines whose symbol the configuration does not have set to `y`.
    static func dropped(_ seed: [SeedLine], in configuration: KconfigConfiguration) -> [String] {
        seed.filter { $0.origin == .target && $0.value == "y" }.map(\.symbol)
            .filter { configuration.value(of: String($0.dropFirst("CONFIG_".count)))?.value != "y" }
    }

    /// Every `platform/architecture` the tree can build, in the manifest's spelling and order.
    static func offered(by tree: KconfigTree) -> [String] {
        var offered: [String] = []
        for platform in Platform.allCases where platform != .kraftcloud {
            for architecture in Architecture.allCases {
                let symbols = [SeedBuilder.architectureSymbol(architecture)] + SeedBuilder.platformSymbols(platform)
                let seed = symbols.map { SeedLine(symbol: $0, value: "y", origin: .target) }
                let (configuration, _) = tree.evaluate(seed: symbols.map { .bool(String($0.dropFirst("CONFIG_".count)), true) })
                if dropped(seed, in: configuration).isEmpty { offered.append("\(platform.rawValue)/\(architecture.rawValue)") }
            }
        }
        return offered
    }

    /// The error for a target the tree cannot build, at the manifest's target.
    static func diagnostic(_ target: Target, dropped: [String], release: String, tree: KconfigTree, file: String) -> Diagnostic {
        let offered = offered(by: tree)
        let names = dropped.map { "'\($0)'" }.joined(separator: ", ")
        return .error("target-unsupported",
                      "Unikraft \(release) cannot build \(target.platformArchitecture): its configuration does not keep \(names), so 'make defconfig' would configure another target; "
                      + (offered.isEmpty ? "this tree offers no platform/architecture pair" : "this tree offers \(offered.joined(separator: ", "))"),
                      at: target.location(in: file))
    }
}
