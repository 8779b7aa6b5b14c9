import FoundationEssentials

/// The tiny guests `launch.sh` and `qemu-guest` boot under KVM before they use it: a `/dev/kvm`
/// that QEMU opens can still fail to run a guest (nested virtualisation: "KVM internal error …
/// emulation failure", after which QEMU hangs), so KVM counts as usable only when this guest,
/// under the run's own machine and CPU, exits within a few seconds. Their sources, with what
/// each does, are `Tests/EmittersTests/Fixtures/kvmprobe/*.s`; `KVMProbeTests` assembles them
/// and compares with these bytes.
enum KVMProbe {
    /// x86_64: a multiboot kernel that turns on SSE, loads MXCSR (as Unikraft's boot code does)
    /// and writes 41 to isa-debug-exit, so QEMU exits with 83.
    static let x86_64: [UInt8] = [
        0x02, 0xb0, 0xad, 0x1b, 0x00, 0x00, 0x01, 0x00, 0xfe, 0x4f, 0x51, 0xe4,
        0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x20, 0x00, 0x10, 0x00, 0x0f, 0x20, 0xe0, 0x0d,
        0x00, 0x06, 0x00, 0x00, 0x0f, 0x22, 0xe0, 0x0f, 0xae, 0x15, 0x3c, 0x00,
        0x10, 0x00, 0x66, 0xba, 0x01, 0x05, 0xb0, 0x29, 0xee, 0xf4, 0xeb, 0xfd,
        0x80, 0x1f, 0x00, 0x00,
    ]

    /// arm64: a raw kernel for QEMU's virt that powers off through PSCI, so QEMU exits with 0.
    static let arm64: [UInt8] = [
        0x00, 0x01, 0x80, 0x52, 0x00, 0x80, 0xb0, 0x72, 0x02, 0x00, 0x00, 0xd4,
        0x00, 0x00, 0x00, 0x14,
    ]

    /// `bytes` as a bash `printf` format that writes them (every byte as `\xNN`).
    static func printfFormat(_ bytes: [UInt8]) -> String {
        "'" + bytes.map { "\\x" + String($0, radix: 16).leftPadded(to: 2) }.joined() + "'"
    }

    /// The values of `@KVM_PROBE_X86_64@` and `@KVM_PROBE_ARM64@` in a script template (`TemplateFiller`).
    static var placeholders: [String: String] {
        ["KVM_PROBE_X86_64": printfFormat(x86_64), "KVM_PROBE_ARM64": printfFormat(arm64)]
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
