import Manifest
import Testing
import Planner

/// One rule names a target on every command line (`--target`, launch.sh's TARGET): its
/// id, its name, or platform/architecture in any accepted spelling (issue 12).
@Suite struct TargetSelectionTests {
    static let text = """
        spec: v0.6
        name: app
        targets:
          - qemu/x86_64
          - fc/x86_64
          - name: Big Arm
            platform: kvm
            architecture: arm64
          - name: small-arm
            platform: qemu
            architecture: arm64

        """

    static func selected(_ wanted: [String]) throws -> Result<[String], TargetSelection.Unknown> {
        let m = try manifest(text)
        return TargetSelection.select(wanted, from: m.targets).map { $0.map(TargetSelection.id(of:)) }
    }

    @Test(arguments: [
        (["qemu-x86_64"], ["qemu-x86_64"]),
        (["qemu/x86_64"], ["qemu-x86_64"]),
        (["kvm/x86_64"], ["qemu-x86_64"]),
        (["qemu/amd64"], ["qemu-x86_64"]),
        (["fc-x86_64"], ["fc-x86_64"]),
        (["firecracker/x86_64"], ["fc-x86_64"]),
        (["bigarm"], ["bigarm"]),
        (["Big Arm"], ["bigarm"]),
        (["small-arm"], ["small-arm"]),
        (["qemu/arm64"], ["bigarm", "small-arm"]),
        (["small-arm", "qemu/aarch64", "qemu-x86_64"], ["small-arm", "bigarm", "qemu-x86_64"]),
        ([], ["qemu-x86_64", "fc-x86_64", "bigarm", "small-arm"]),
    ] as [([String], [String])])
    func everySpellingNamesItsTargets(_ c: ([String], [String])) throws {
        #expect(try Self.selected(c.0) == .success(c.1))
    }

    @Test func anUnknownSpellingListsTheIdsAndSuggestsTheClosest() throws {
        guard case .failure(let unknown) = try Self.selected(["qemu/x86_46"]) else { Issue.record("selected"); return }
        #expect(unknown.message == "no target 'qemu/x86_46' in the manifest; did you mean 'qemu/x86_64'?; the targets are: qemu-x86_64, fc-x86_64, bigarm, small-arm")
        guard case .failure(let id) = try Self.selected(["qemu-x86-64"]) else { Issue.record("selected"); return }
        #expect(id.message.contains("did you mean 'qemu-x86_64'?"))
        // A platform/architecture the manifest has no target for.
        guard case .failure = try Self.selected(["xen-x86_64"]) else { Issue.record("xen-x86_64 selected"); return }
    }

    @Test func theIdIsWhatThePlanNamesTheTarget() throws {
        let m = try manifest(Self.text)
        let plan = Planning.plan(m, environment: .seedOnly).plan
        #expect(plan.targets.map(\.id) == m.targets.map(TargetSelection.id(of:)))
        #expect(TargetSelection.spellings(of: m.targets[0]) == ["qemu-x86_64", "qemu/x86_64", "qemu/amd64", "kvm/x86_64", "kvm/amd64"])
    }
}
