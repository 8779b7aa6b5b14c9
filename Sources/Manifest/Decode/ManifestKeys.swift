/// The keys each part of a manifest may hold, per spec version. The decoder reports
/// any other key; the JSON Schemas in `Schemas/` list exactly these (a test checks).
public enum ManifestKeys {
    /// Top-level keys.
    public static func topLevel(_ spec: SpecVersion) -> [String] {
        switch spec {
        case .v0_4: ["specification", "name", "unikraft", "architectures", "platforms", "libraries", "run"]
        case .v0_5: ["specification", "name", "unikraft", "targets", "libraries", "volumes", "networks",
                     "arguments", "pre_up", "post_down", "before", "after"]
        case .v0_6: ["spec", "specification", "name", "outdir", "unikraft", "libraries", "targets", "template",
                     "runtime", "rootfs", "cmd", "env", "labels", "volumes", "networks"]
        case .v0_7: ["spec", "specification", "name", "outdir", "unikraft", "libraries", "targets", "template",
                     "runtime", "rootfs", "roms", "cmd", "env", "labels", "volumes", "networks"]
        }
    }

    /// manifestc's own `x-manifestc:` map.
    public static let manifestcExtension = ["memory", "vcpus", "library-order", "app"]

    /// `unikraft:` and each library's map.
    public static let component = ["source", "version", "kconfig"]
    /// `template:` map.
    public static let template = ["source", "version"]
    /// A target written as a map (0.5 and later).
    public static func target(_ spec: SpecVersion) -> [String] {
        spec == .v0_5 ? ["name", "architecture", "platform", "kconfig"]
            : ["name", "kernel", "architecture", "arch", "platform", "plat", "kconfig"]
    }
    /// A 0.4 `architectures:` or `platforms:` entry written as a map.
    public static let architectureEntry = ["kconfig", "source", "version"]
    public static let platformEntry = ["kconfig", "source", "version", "pre_up", "post_down", "cpus", "memory", "run"]
    /// 0.4 `run:` section.
    public static let run = ["arguments", "pre_up", "post_down", "networks", "volumes"]
    /// A volume in the map form keyed by name (0.4 `run.volumes`, 0.5 `volumes`).
    public static let namedVolume = ["driver", "source", "workdir", "type"]
    /// A volume written as a map in a list (0.6, 0.7).
    public static let volume = ["source", "destination", "driver", "readonly", "readOnly", "mode"]
    /// A network's settings.
    public static let network = ["name", "driver", "type", "ip", "gateway", "netmask", "mac", "bridge", "bridge_name",
                                 "interface", "before", "after", "pre_up", "post_down"]
    /// `rootfs:` (and each of 0.7's `roms`) written as a map.
    public static let rootfs = ["source", "format"]
    /// The object form of a 0.7 rootfs `source`.
    public static let rootfsSource = ["type", "path", "dockerfile"]
}
