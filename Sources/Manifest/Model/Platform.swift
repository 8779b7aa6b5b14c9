/// A Unikraft platform, by its canonical name.
public enum Platform: String, CaseIterable, Sendable {
    case qemu, fc, xen, linuxu, kraftcloud

    /// Every spelling manifestc accepts (lower case) and the platform it means.
    public static let spellings: [String: Platform] = [
        "qemu": .qemu, "kvm": .qemu,
        "fc": .fc, "firecracker": .fc,
        "xen": .xen, "linuxu": .linuxu, "kraftcloud": .kraftcloud,
    ]
}

/// A CPU architecture, by its Unikraft name.
public enum Architecture: String, CaseIterable, Sendable {
    case x86_64, arm64, arm

    /// Accepted spellings (lower case). `amd64` and `aarch64` are foreign names
    /// accepted with a warning.
    public static let spellings: [String: Architecture] = [
        "x86_64": .x86_64, "arm64": .arm64, "arm": .arm,
        "amd64": .x86_64, "aarch64": .arm64,
    ]
}
