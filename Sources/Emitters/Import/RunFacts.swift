import Manifest
import Planner
import Diagnostics

/// What one launch line, launch-script target or VMM configuration says about running an image.
public struct RunFacts: Sendable {
    /// A network interface as the VMM sets it up.
    public enum Interface: Sendable, Equatable {
        case user
        case bridge(String)
        case tap(String)
    }

    /// Where these facts come from (the launch line, the file).
    public var location: SourceLocation
    /// What kind of source: `qemu`, `qemu-guest`, `launch.sh`, `firecracker`, `xen`.
    public var kind: String
    public var platform: Platform?
    public var architecture: Architecture?
    /// A manifestc target id (`qemu-x86_64`, or a target's name), when the source names one.
    public var targetID: String?
    /// The kernel image path as written.
    public var kernel: String?
    public var memoryMiB: Located<Int>?
    public var vcpus: Located<Int>?
    /// The kernel command line as Unikraft's words (unquoted), when one is given.
    public var commandLine: [String]?
    public var commandLineLocation: SourceLocation?
    /// Whether `commandLine` is already `params… -- args…` (manifestc's launch.sh), with no image name.
    public var commandLineIsPlain = false
    /// 9p shares: host path and mount tag (nil: the tag is not known).
    public var shares: [(host: String, tag: String?)] = []
    /// Host paths of the shares that are read-only.
    public var readOnlyShares: Set<String> = []
    public var initrd: String?
    public var interfaces: [Interface] = []
    /// Whether the source says the VMM supplies argv[0] (manifestc's launch.sh says it per target).
    public var argv0Supplied: Bool?

    public init(location: SourceLocation, kind: String) {
        self.location = location
        self.kind = kind
    }

    /// `(platform, architecture)` from an image path such as `build/app_qemu-x86_64`.
    public static func target(ofImage path: String) -> (name: String, platform: Platform, architecture: Architecture)? {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        // The architecture may hold a `_` itself (x86_64): try every `_`, last first.
        for underscore in file.indices.reversed() where file[underscore] == "_" {
            let suffix = file[file.index(after: underscore)...]
            guard let dash = suffix.firstIndex(of: "-") else { continue }
            let platformText = String(suffix[..<dash])
            var archText = String(suffix[suffix.index(after: dash)...])
            if archText.hasSuffix(".dbg") || archText.hasSuffix(".elf") { archText.removeLast(4) }
            let platform: Platform? = platformText == "kvm" ? .qemu : Platform(rawValue: platformText)
            guard let platform, let architecture = Architecture(rawValue: archText), underscore > file.startIndex else { continue }
            return (String(file[..<underscore]), platform, architecture)
        }
        return nil
    }

    /// MiB from a QEMU-style size: `256`, `256M`, `1G`, `size=256M`.
    public static func mebibytes(_ text: String) -> Int? {
        var t = Substring(text)
        for part in text.split(separator: ",") where part.hasPrefix("size=") { t = part.dropFirst(5) }
        if let n = Int(t) { return n }
        guard let unit = t.last, let n = Int(t.dropLast()) else { return nil }
        switch unit {
        case "M", "m": return n
        case "G", "g": return n * 1024
        case "K", "k": return n / 1024
        default: return nil
        }
    }
}
