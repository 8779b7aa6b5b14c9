import Manifest
import Testing
import Kconfig
@testable import Planner

/// The names of a manual setup (build folder, image, configuration files, VMM configs, the
/// Makefile's defaults) are decided by the planner, once, and stored in the plan.
@Suite struct ConventionsTests {
    static let twoTargets = """
        spec: v0.6
        name: App
        unikraft: 0.16.3
        targets: [qemu/x86_64, {name: Small, platform: fc, architecture: arm64}, xen/x86_64, linuxu/x86_64]
        """

    @Test func everyTargetCarriesItsPaths() throws {
        let plan = Planning.plan(try manifest(Self.twoTargets)).plan
        #expect(plan.targets.map(\.buildFolder) == ["build/qemu-x86_64", "build/small", "build/xen-x86_64", "build/linuxu-x86_64"])
        #expect(plan.targets.map(\.imagePath) == ["build/qemu-x86_64/app_qemu-x86_64", "build/small/small_fc-arm64",
                                                  "build/xen-x86_64/app_xen-x86_64", "build/linuxu-x86_64/app_linuxu-x86_64"])
        #expect(plan.targets.map(\.configFile) == [".config.qemu-x86_64", ".config.small", ".config.xen-x86_64", ".config.linuxu-x86_64"])
        #expect(plan.targets.map(\.vmmConfigFile) == [nil, "small.json", "xen-x86_64.cfg", nil])
        #expect(plan.singleConfigFile == nil)
    }

    @Test func aSingleBuiltTargetAlsoGetsPlainConfig() throws {
        let plan = Planning.plan(try manifest("spec: v0.6\nname: app\ntargets: [qemu/x86_64]\n")).plan
        #expect(plan.singleConfigFile == ".config")
        #expect(plan.targets[0].imagePath.hasPrefix(plan.targets[0].buildFolder + "/"))
        // Before Unikraft 0.13 the QEMU image is named `_kvm-`.
        let old = Planning.plan(try manifest("spec: v0.6\nname: app\nunikraft: 0.12.0\ntargets: [qemu/x86_64]\n")).plan
        #expect(old.targets[0].imagePath == "build/qemu-x86_64/app_kvm-x86_64")
    }

    @Test(arguments: [
        (MakefileTree.workspace, ".unikraft", ".", ".unikraft/unikraft", ".unikraft/libs"),
        (.workspace, "../ws", "app", "../ws/unikraft", "../ws/libs"),
        (.workspace, ".", ".", "unikraft", "libs"),
        (.given("../uk"), ".unikraft", ".", "../uk", ".unikraft/libs"),
        (.manifestSource(written: "../unikraft", resolved: "/src/unikraft"), ".unikraft", ".", "../unikraft", ".unikraft/libs"),
        (.manifestSource(written: "../unikraft", resolved: "/src/unikraft"), "app/.unikraft", "app", "app/../unikraft", "app/.unikraft/libs"),
        (.manifestSource(written: "/abs/uk", resolved: "/abs/uk"), ".unikraft", "app", "/abs/uk", ".unikraft/libs"),
        (.manifestSource(written: "~/uk", resolved: "/home/u/uk"), ".unikraft", "app", "/home/u/uk", ".unikraft/libs"),
    ])
    func makefileDefaultsFollowWhereTheTreeCameFrom(_ tree: MakefileTree, _ workspace: String, _ manifestFolder: String, _ root: String, _ libs: String) throws {
        var environment = PlanEnvironment(fileSystem: InMemoryKconfigFileSystem(), manifestFolder: manifestFolder)
        environment.makefileTree = tree
        environment.workspaceFolder = workspace
        let plan = Planning.plan(try manifest("spec: v0.6\nname: app\ntargets: [qemu/x86_64]\n"), environment: environment).plan
        #expect(plan.makefileDefaults == MakefileDefaults(ukRoot: root, ukLibs: libs))
    }
}
