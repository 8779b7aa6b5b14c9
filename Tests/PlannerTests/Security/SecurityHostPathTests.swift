import Testing
import TestSupport
import Manifest
import Diagnostics
@testable import Planner

/// What the launch files hand to the guest (shared folders, the initrd) and what names a
/// build folder: the planner asks the environment about every host path and reports a
/// located error for each it refuses; a target id that is no folder name is an error.
@Suite(.tags(.security)) struct SecurityHostPathTests {
    /// Refuses absolute paths and paths that climb out, as the driver does for the repository.
    static let environment: PlanEnvironment = {
        var environment = PlanEnvironment.seedOnly
        environment.hostPathRefusal = { path in path.hasPrefix("/") || path.hasPrefix("~") || path.hasPrefix("../") ? "leads outside" : nil }
        return environment
    }()

    @Test(arguments: ["/etc", "~/.ssh", "../../x"])
    func sharedFolderTheEnvironmentRefusesIsALocatedError(_ path: String) throws {
        let m = try manifest("spec: v0.6\nname: app\ntargets: [qemu/x86_64]\nvolumes:\n  - \(path):/data\n  - ./ok:/ok\n")
        let (plan, diagnostics) = Planning.plan(m, environment: Self.environment)
        let errors = diagnostics.filter { $0.id == "volume-path-outside" }
        #expect(errors.count == 1)
        #expect(errors.first?.location?.range.start == SourcePosition(line: 5, column: 5))
        #expect(errors.first?.message.contains("'\(path)' leads outside") == true)
        #expect(plan.targets.first?.run.shares.count == 2)
    }

    @Test func initrdTheEnvironmentRefusesIsALocatedError() throws {
        let m = try manifest("spec: v0.6\nname: app\ntargets: [qemu/x86_64]\nrootfs: /root/secrets.cpio\n")
        let (_, diagnostics) = Planning.plan(m, environment: Self.environment)
        #expect(ids(diagnostics).contains("error volume-path-outside"), "\(ids(diagnostics))")
    }

    @Test func aPathThatIsNotHandedToTheGuestIsNotChecked() throws {
        // A Dockerfile rootfs is never shared (a warning says so): nothing outside reaches the guest.
        let m = try manifest("spec: v0.6\nname: app\ntargets: [qemu/x86_64]\nrootfs: /elsewhere/Dockerfile\n")
        let (_, diagnostics) = Planning.plan(m, environment: Self.environment)
        #expect(!ids(diagnostics).contains("error volume-path-outside"), "\(ids(diagnostics))")
    }

    @Test(arguments: ["../..", "!!!", "-", "__"])
    func targetNameThatGivesNoFolderNameIsALocatedError(_ name: String) throws {
        let m = try manifest("spec: v0.6\nname: app\ntargets:\n  - {plat: qemu, arch: x86_64, name: '\(name)'}\n")
        let (plan, diagnostics) = Planning.plan(m)
        #expect(ids(diagnostics).contains("error name-not-component"), "\(ids(diagnostics))")
        #expect(diagnostics.first { $0.id == "name-not-component" }?.location?.range.start == SourcePosition(line: 4, column: 38))
        #expect(plan.targets.isEmpty)
    }
}
