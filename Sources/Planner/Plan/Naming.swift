import Manifest

/// Names derived from the manifest: the app name, target ids, image names.
public enum Naming {
    /// KraftKit's normalisation: lower case, only `[a-z0-9_-]`, no leading `_` or `-`.
    public static func normalize(_ name: String) -> String {
        let kept = name.lowercased().unicodeScalars.filter { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }
        return String(String.UnicodeScalarView(kept).drop { $0 == "_" || $0 == "-" })
    }

    /// The image file name: `<make name>_<platform>-<architecture>` (`helloworld_qemu-x86_64`).
    static func imageName(_ makeName: String, platform: Platform, architecture: Architecture, version: UnikraftVersion?) -> String {
        "\(makeName)_\(imagePlatform(platform, version: version))-\(imageArchitecture(architecture))"
    }

    /// The platform part of an image name: `qemu` from Unikraft 0.13 on, `kvm` before.
    static func imagePlatform(_ platform: Platform, version: UnikraftVersion?) -> String {
        switch platform {
        case .qemu: (version.map { $0 < UnikraftVersion(0, 13) } ?? false) ? "kvm" : "qemu"
        case .fc, .kraftcloud: "fc"
        case .xen: "xen"
        case .linuxu: "linuxu"
        }
    }

    /// Unikraft's name for the architecture in image names and `CONFIG_UK_ARCH`.
    static func imageArchitecture(_ architecture: Architecture) -> String { architecture.rawValue }
}
