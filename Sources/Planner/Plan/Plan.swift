import Manifest
import Diagnostics

/// Everything the emitters need, decided: one `TargetPlan` per target, plus what the
/// targets share. Pure data; the emitters only render it.
public struct Plan: Sendable {
    /// The manifest's path, for headers and messages.
    public var source: String
    /// The normalized application name (`CONFIG_UK_NAME`, the image prefix).
    public var name: String
    /// The application folder (the manifest's, `A=`) as seen from the output folder.
    public var appFolder: String
    /// Libraries in the order of the Makefile's `LIBS` (and `L=`).
    public var libraries: [LibraryPlan]
    public var targets: [TargetPlan]
    /// The Unikraft version the plan assumes (from the tree or the manifest), if known.
    public var unikraftVersion: UnikraftVersion?
    /// The Makefile's `UK_ROOT` and `UK_LIBS` defaults.
    public var makefileDefaults: MakefileDefaults
    /// `.config`, written too when exactly one target is built; nil otherwise.
    public var singleConfigFile: String?
}

/// A library as the Makefile names it.
public struct LibraryPlan: Sendable, Equatable {
    public var name: String
    /// The folder, relative to `$(UK_LIBS)` (`lib-musl`), or a path when the manifest gives a local source.
    public var folder: String
    /// Whether `folder` is a path of its own rather than a name under `$(UK_LIBS)`.
    public var isLocalPath: Bool
}

/// One target: its names, its configuration and how it runs.
public struct TargetPlan: Sendable {
    /// A short identifier used in file names and make goals: the target's name, or `<plat>-<arch>`.
    public var id: String
    /// Every spelling that names the target on a command line, the id first (`TargetSelection`).
    public var spellings: [String]
    public var platform: Platform
    public var architecture: Architecture
    /// The image file name (`helloworld_qemu-x86_64`).
    public var imageName: String
    /// The name given to make as `N=` (the image prefix).
    public var makeName: String
    /// Where make builds the target (`build/<id>`, make's `O=`), relative to the output folder.
    public var buildFolder: String
    /// The built image (`build/<id>/<image>`), relative to the output folder.
    public var imagePath: String
    /// The target's configuration (`.config.<id>`, make's `C=`), relative to the output folder.
    public var configFile: String
    /// Firecracker's `<id>.json` or Xen's `<id>.cfg`, relative to the output folder; nil for other platforms.
    public var vmmConfigFile: String?
    /// The seed for `make defconfig UK_DEFCONFIG=…`, in precedence order, one line per symbol.
    public var seed: [SeedLine]
    /// The full `.config` text, when a Unikraft tree was available.
    public var fullConfig: String?
    public var run: RunPlan
    /// The kernel command line's words before the application arguments; Firecracker's
    /// always hold a `--` when it announces devices (it parses their parameters only after one).
    public var commandLine: KernelCommandLine.Head
    /// The command line with the manifest's application arguments, quoted for Unikraft.
    public var renderedCommandLine: String { commandLine.render(arguments: run.applicationArguments) }
    /// The kernel comes from a `runtime` (prebuilt): no configuration or build, and the
    /// launch files take the kernel's path.
    public var prebuilt: Bool
    /// Why the Unikraft the manifest follows cannot build this target, when only its version
    /// channel tells (the `linuxu-channel` warning); nil when it can, or when that is not known.
    public var unbuildable: String? = nil
}

/// One line of a seed, and where its value comes from.
public struct SeedLine: Sendable, Equatable {
    public enum Origin: Sendable, Equatable {
        /// Set because of the target's architecture, platform or VMM.
        case target
        /// The enable symbol of a library listed in the manifest.
        case library(String)
        /// Written in the manifest, at this location.
        case manifest(SourceLocation)
    }

    /// The symbol with its `CONFIG_` prefix.
    public var symbol: String
    /// The text after `=`; `n` is written as `# CONFIG_X is not set`.
    public var value: String
    public var origin: Origin
    /// The value as the manifest wrote it, for typing against the symbol.
    public var literal: KconfigLiteral?

    public init(symbol: String, value: String, origin: Origin, literal: KconfigLiteral? = nil) {
        self.symbol = symbol
        self.value = value
        self.origin = origin
        self.literal = literal
    }

    /// The line as it appears in a seed or `.config`.
    public var text: String {
        value == "n" ? "# \(symbol) is not set" : "\(symbol)=\(value)"
    }
}

/// How a target's image is started.
public struct RunPlan: Sendable, Equatable {
    public var memoryMiB: Int
    public var vcpus: Int
    /// Library parameters (`vfs.fstab=[ … ]`, `netdev.ip=…`, the manifest's own) as argv
    /// words, unquoted: a list parameter is the words `key=[`, its entries, `]`.
    public var kernelParameters: [String]
    /// The application's arguments, unquoted.
    public var applicationArguments: [String]
    /// Whether the VMM supplies argv[0] itself (QEMU x86 multiboot; arm64 and Xen up to 0.17).
    public var argv0Supplied: Bool
    /// 9p shares in tag order.
    public var shares: [Share]
    /// An initrd to pass (`-initrd`), relative to the manifest's folder unless absolute.
    public var initrd: String?
    public var networks: [NetworkPlan]
}

/// A host folder shared over virtio-9p.
public struct Share: Sendable, Equatable {
    /// Host path, relative to the manifest's folder unless absolute.
    public var hostPath: String
    /// `fs0`, `fs1`, … in volume order.
    public var tag: String
    /// Mount point in the guest, when the manifest gives one.
    public var destination: String?
    public var readOnly: Bool
}

/// A network interface.
public struct NetworkPlan: Sendable, Equatable {
    public enum Mode: Sendable, Equatable {
        /// QEMU user-mode networking (slirp), reachable through port forwards.
        case user
        /// An existing bridge on the host.
        case bridge(String)
        /// An existing tap device on the host.
        case tap(String)
    }

    public var mode: Mode
    /// `netdev.ip` value for this interface, when the manifest gives an address.
    public var address: String?
}

/// A Unikraft release number (`0.17.0`).
public struct UnikraftVersion: Sendable, Equatable, Comparable, CustomStringConvertible {
    public var major: Int
    public var minor: Int
    public var patch: Int

    public init(_ major: Int, _ minor: Int, _ patch: Int = 0) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    /// Reads `0.17.0`, `v0.17`, `RELEASE-0.17.0`, `0.13.1~5eb820bd`; nil for branches such as `stable`.
    public init?(parsing text: String) {
        var t = Substring(text)
        if t.hasPrefix("RELEASE-") { t = t.dropFirst("RELEASE-".count) }
        if t.hasPrefix("v") { t = t.dropFirst() }
        t = t.prefix { $0 != "~" && $0 != "-" }
        let parts = t.split(separator: ".", omittingEmptySubsequences: false).map { Int($0) }
        guard parts.count >= 2, parts.count <= 3, parts.allSatisfy({ $0 != nil }) else { return nil }
        self.init(parts[0]!, parts[1]!, parts.count == 3 ? parts[2]! : 0)
    }

    public static func < (a: Self, b: Self) -> Bool { (a.major, a.minor, a.patch) < (b.major, b.minor, b.patch) }
    public var description: String { "\(major).\(minor).\(patch)" }
}
