import Manifest
import Testing
import Kconfig
@testable import Planner

/// The image name conf reads is the target's (`N=<target name>` in the emitted Makefile).
@Suite struct ImageNameConfigTests {
    static let files: [String: String] = [
        "/uk/version.mk": "UK_VERSION = 0\nUK_SUBVERSION = 17\nUK_EXTRAVERSION = 0\nUK_CODENAME = Test\n",
        "/uk/Config.uk": """
            mainmenu "Unikraft/$(UK_FULLVERSION) Configuration"
            config ARCH_X86_64
            \tdef_bool y
            config PLAT_KVM
            \tbool "KVM"
            config KVM_VMM_QEMU
            \tbool "QEMU"
            config UK_DEFNAME
            \tstring
            \tdefault "$(UK_NAME)"
            config UK_NAME
            \tstring "Image name"
            \tdefault UK_DEFNAME

            """,
    ]

    @Test func aNamedTargetsConfigurationCarriesItsName() throws {
        let m = try manifest("spec: v0.6\nname: app\ntargets:\n  - qemu/x86_64\n  - name: fast\n    platform: qemu\n    architecture: x86_64\n")
        let environment = PlanEnvironment(unikraft: UnikraftTree(base: "/uk", app: "/app", hostArch: "x86_64"),
                                          fileSystem: InMemoryKconfigFileSystem(files: Self.files))
        let (plan, diagnostics) = Planning.plan(m, environment: environment)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(plan.targets.map(\.makeName) == ["app", "fast"])
        #expect(plan.targets.map { $0.fullConfig?.contains("CONFIG_UK_NAME=\"\($0.makeName)\"\n") } == [true, true])
    }
}
