import Manifest
import Testing
import Diagnostics
import Kconfig
@testable import Planner

/// A target the tree cannot build is an error at the target, not another configuration (issue 18).
@Suite struct TargetSupportTests {
    /// A miniature 0.13.1: Firecracker and Xen only on x86_64, linuxu everywhere.
    static func files(minor: Int) -> [String: String] {
        [
            "/uk/version.mk": "UK_VERSION = 0\nUK_SUBVERSION = \(minor)\nUK_EXTRAVERSION = 1\nUK_CODENAME = Test\n",
            "/uk/Config.uk": """
                mainmenu "Unikraft/$(UK_FULLVERSION) Configuration"
                choice
                \tprompt "Architecture"
                config ARCH_X86_64
                \tbool "x86_64"
                config ARCH_ARM_64
                \tbool "arm64"
                endchoice
                config PLAT_KVM
                \tbool "KVM"
                choice
                \tprompt "VMM"
                \tdepends on PLAT_KVM
                config KVM_VMM_QEMU
                \tbool "QEMU"
                config KVM_VMM_FIRECRACKER
                \tbool "Firecracker"
                \tdepends on ARCH_X86_64
                endchoice
                config PLAT_XEN
                \tbool "Xen"
                \tdepends on ARCH_X86_64
                config PLAT_LINUXU
                \tbool "linuxu"
                \tdepends on \(minor < 17 ? "y" : "n")

                """,
        ]
    }

    static func plan(_ targets: String, minor: Int = 13) throws -> (Plan, [Diagnostic]) {
        let m = try manifest("spec: v0.6\nname: app\ntargets: \(targets)\n")
        let environment = PlanEnvironment(unikraft: UnikraftTree(base: "/uk", app: "/app", hostArch: "x86_64"),
                                          fileSystem: InMemoryKconfigFileSystem(files: files(minor: minor)))
        return Planning.plan(m, environment: environment)
    }

    @Test func firecrackerOnArm64IsAnErrorNamingWhatTheReleaseOffers() throws {
        let (_, diagnostics) = try Self.plan("[qemu/x86_64, fc/arm64]")
        #expect(ids(diagnostics) == ["error target-unsupported"])
        let d = try #require(diagnostics.first)
        #expect(d.location?.range.start == SourcePosition(line: 3, column: 24))
        #expect(d.message == "Unikraft 0.13.1 cannot build fc/arm64: its configuration does not keep 'CONFIG_KVM_VMM_FIRECRACKER', so 'make defconfig' would configure another target; this tree offers qemu/x86_64, qemu/arm64, fc/x86_64, xen/x86_64, linuxu/x86_64, linuxu/arm64")
    }

    @Test func xenOnArm64HasNoPlatformAtAll() throws {
        let (_, diagnostics) = try Self.plan("\n  - xen/arm64\n")
        #expect(ids(diagnostics) == ["error target-unsupported"])
        #expect(diagnostics.first?.location?.range.start == SourcePosition(line: 4, column: 5))
        #expect(diagnostics.first?.message.contains("does not keep 'CONFIG_PLAT_XEN'") == true)
    }

    @Test func everyOfferedTargetPlansCleanly() throws {
        let (plan, diagnostics) = try Self.plan("[qemu/x86_64, qemu/arm64, fc/x86_64, xen/x86_64, linuxu/x86_64, linuxu/arm64]")
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty, "\(diagnostics)")
        #expect(plan.targets.count == 6)
    }

    /// linuxu on 0.17 keeps its own, more precise error, once.
    @Test func linuxuOnZeroSeventeenIsReportedOnce() throws {
        let (_, diagnostics) = try Self.plan("[linuxu/x86_64]", minor: 17)
        #expect(ids(diagnostics) == ["error linuxu-removed"])
    }
}
