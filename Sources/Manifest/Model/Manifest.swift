import Diagnostics

/// A manifest of any spec version, normalized: later stages never ask which
/// version a file was, and every value keeps the range it was written at.
public struct Manifest: Sendable {
    /// The manifest's path as the user gave it (diagnostics name it).
    public var file: String
    /// The version the file declares or, when it declares none, the one its shape implies.
    public var spec: SpecVersion
    public var name: Located<String>?
    public var outdir: Located<String>?
    public var unikraft: Component?
    public var template: Component?
    /// A prebuilt kernel or OCI reference (`base:latest`, `oci://…`, `kernel://…`).
    public var runtime: Located<String>?
    public var targets: [Target]
    /// Libraries in manifest order.
    public var libraries: [Library]
    public var volumes: [Volume]
    public var networks: [Network]
    /// argv: kernel parameters, then `--`, then application arguments, when given.
    public var cmd: [Located<String>]?
    public var env: [EnvironmentVariable]
    public var rootfs: Rootfs?
    public var roms: [Rootfs]
    public var labels: [Label]
    /// manifestc's run extension (`x-manifestc: {memory: 256, vcpus: 2}`): the guest's
    /// memory in MiB and its vCPU count, which no spec version can say.
    public var memoryMiB: Located<Int>?
    public var vcpus: Located<Int>?
    /// manifestc's library-order extension (`x-manifestc: {library-order: [musl, lwip]}`):
    /// the exact `L=` order, for when the default rule (`Planning.orderedLibraries`) is not
    /// the order the app needs. Nil when not given.
    public var libraryOrder: Located<[Located<String>]>?
    /// manifestc's app extension (`x-manifestc: {app: ./workdir/apps/elfloader}`): the application
    /// folder (`A=`, its `Config.uk` and `Makefile.uk`) when it is not the manifest's folder, as in a
    /// hand-made setup whose Makefile names another app. Unlike a `template`, its manifest is not read.
    public var app: Located<String>?

    public init(file: String, spec: SpecVersion) {
        self.file = file
        self.spec = spec
        targets = []
        libraries = []
        volumes = []
        networks = []
        env = []
        roms = []
        labels = []
    }
}

/// The Unikraft core, a library or a template: where it comes from and how it is configured.
public struct Component: Sendable {
    /// A git URL, `URL@ref`, or a local folder (relative to the manifest's folder).
    public var source: Located<String>?
    /// A branch, tag, commit, or the channel names `stable` / `staging`.
    public var version: Located<String>?
    public var kconfig: [KconfigOption]
    /// Where the component was written.
    public var range: SourceRange

    public init(source: Located<String>? = nil, version: Located<String>? = nil, kconfig: [KconfigOption] = [], range: SourceRange) {
        self.source = source
        self.version = version
        self.kconfig = kconfig
        self.range = range
    }
}

public struct Library: Sendable {
    public var name: Located<String>
    public var component: Component
}

/// One Kconfig assignment from the manifest, before typing against a tree.
public struct KconfigOption: Sendable, Equatable {
    /// The symbol with its `CONFIG_` prefix.
    public var symbol: Located<String>
    public var value: Located<KconfigLiteral>
}

/// A Kconfig value as written. `quoted` is set when the text was written inside
/// Kconfig double quotes (`CONFIG_X="fs0"`, or `'"fs0"'` in a map); the text then
/// holds the string without the quotes and with `\"` and `\\` resolved.
public struct KconfigLiteral: Sendable, Equatable {
    public var text: String
    public var quoted: Bool

    public init(text: String, quoted: Bool = false) {
        self.text = text
        self.quoted = quoted
    }

    /// Whether `text` can be a value at all: a `.config` holds one value per line, so line
    /// breaks and other control characters (but the tab) cannot be in one.
    public static func canHold(_ text: String) -> Bool {
        !text.unicodeScalars.contains { $0.properties.generalCategory == .control && $0 != "\t" }
    }

    /// The value as it would appear after `CONFIG_X=` in a seed.
    public var seedText: String {
        guard quoted else { return text }
        var s = "\""
        for c in text {
            if c == "\"" || c == "\\" { s.append("\\") }
            s.append(c)
        }
        return s + "\""
    }
}

public struct Target: Sendable {
    public var name: Located<String>?
    public var platform: Located<Platform>
    public var architecture: Located<Architecture>
    public var kconfig: [KconfigOption]
    public var range: SourceRange
    /// The file the target was written in, when it is not the manifest's own (a template's).
    public var file: String?

    public init(name: Located<String>?, platform: Located<Platform>, architecture: Located<Architecture>, kconfig: [KconfigOption],
                range: SourceRange, file: String? = nil) {
        self.name = name
        self.platform = platform
        self.architecture = architecture
        self.kconfig = kconfig
        self.range = range
        self.file = file
    }

    /// Where the target is, in `defaultFile` unless it came from a template.
    public func location(in defaultFile: String) -> SourceLocation {
        SourceLocation(file: file ?? defaultFile, range: range)
    }

    /// `qemu/x86_64`.
    public var platformArchitecture: String { "\(platform.value.rawValue)/\(architecture.value.rawValue)" }
}

public struct Volume: Sendable {
    /// The host path (relative to the manifest's folder unless absolute).
    public var source: Located<String>?
    /// The mount point in the guest.
    public var destination: Located<String>?
    /// `9pfs`, `initrd`, …; nil means the default (9pfs for folders).
    public var driver: Located<String>?
    public var readOnly: Bool
    /// Spec 0.5: a tar archive extracted into the folder when the folder is missing.
    public var archive: Located<String>?
    public var range: SourceRange
    /// The file the volume was written in, when it is not the manifest's own (a template's).
    public var file: String?
}

public struct Network: Sendable {
    public var name: Located<String>?
    /// Settings in manifest order (`driver`, `ip`, `gateway`, `netmask`, `mac`, `bridge`, …).
    public var settings: [(key: Located<String>, value: Located<String>)]
    public var range: SourceRange
}

public struct EnvironmentVariable: Sendable {
    public var name: Located<String>
    /// nil for a bare `NAME` in list form: passed through from the host at run time.
    public var value: Located<String>?
}

public struct Label: Sendable {
    public var key: Located<String>
    public var value: Located<String>
}

public struct Rootfs: Sendable {
    /// A path to a folder, cpio archive, tarball or Dockerfile, or an OCI reference.
    public var source: Located<String>
    /// `oci`, `dir`, `file`, `tarball`, `cpio`, `erofs`, `dockerfile` (0.7 object form).
    public var type: Located<String>?
    /// `cpio` or `erofs` (0.7 object form).
    public var format: Located<String>?
    public var range: SourceRange
}
