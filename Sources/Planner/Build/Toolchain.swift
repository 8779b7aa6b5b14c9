import Manifest

/// The compiler a target needs on a given host: native `gcc`, or a cross compiler
/// (`aarch64-linux-gnu-` for arm64 on x86_64) given to make as `CROSS_COMPILE`.
public struct Toolchain: Sendable, Equatable {
    /// The `CROSS_COMPILE` prefix; empty for the native compiler.
    public var prefix: String
    /// The Debian package that provides `<prefix>gcc`.
    public var debianPackage: String

    public var compiler: String { prefix + "gcc" }

    public init(prefix: String, debianPackage: String) {
        self.prefix = prefix
        self.debianPackage = debianPackage
    }

    /// The toolchain for `architecture` built on a host whose `uname -m` is `hostArch`.
    /// `crossCompile` (the environment's `CROSS_COMPILE`) wins when it is set.
    public static func forTarget(_ architecture: Architecture, hostArch: String, crossCompile: String? = nil) -> Toolchain {
        let host = UnikraftTree.normalizeArch(hostArch)
        let native = architecture.rawValue == host || (architecture == .x86_64 && host == "x86_64")
        let (triple, package): (String, String) = switch architecture {
        case .x86_64: ("x86_64-linux-gnu-", "gcc-x86-64-linux-gnu")
        case .arm64: ("aarch64-linux-gnu-", "gcc-aarch64-linux-gnu")
        case .arm: ("arm-linux-gnueabihf-", "gcc-arm-linux-gnueabihf")
        }
        if let crossCompile, !crossCompile.isEmpty { return Toolchain(prefix: crossCompile, debianPackage: native ? "gcc" : package) }
        return native ? Toolchain(prefix: "", debianPackage: "gcc") : Toolchain(prefix: triple, debianPackage: package)
    }
}
