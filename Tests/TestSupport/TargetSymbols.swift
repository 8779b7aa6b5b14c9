/// The Kconfig text a miniature Unikraft tree needs so that every target survives planning
/// (the planner refuses a target whose architecture, platform or VMM symbol the tree drops):
/// the architecture choice, KVM with its QEMU and Firecracker VMMs, Xen and linuxu.
public enum TargetSymbols {
    public static let kconfig = """
        choice
        \tprompt "Architecture"
        config ARCH_X86_64
        \tbool "x86_64"
        config ARCH_ARM_64
        \tbool "arm64"
        endchoice
        config PLAT_KVM
        \tbool "KVM"
        config KVM_VMM_QEMU
        \tbool "QEMU"
        \tdepends on PLAT_KVM
        config KVM_VMM_FIRECRACKER
        \tbool "Firecracker"
        \tdepends on PLAT_KVM
        config PLAT_XEN
        \tbool "Xen"
        config PLAT_LINUXU
        \tbool "linuxu"

        """
}
