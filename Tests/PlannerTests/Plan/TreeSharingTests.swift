import Manifest
import Testing
import Diagnostics
import Kconfig
@testable import Planner

/// One process plans many targets and manifests against one tree: with a tree cache the tree is
/// parsed once, and every configuration is the one a fresh parse gives.
@Suite struct TreeSharingTests {
    static let text = """
        spec: v0.6
        name: app
        targets:
          - {name: one, platform: qemu, architecture: x86_64}
          - {name: two, platform: qemu, architecture: x86_64}
          - {name: three, platform: fc, architecture: x86_64}

        """

    static func environment(_ cache: KconfigTreeCache?) -> PlanEnvironment {
        var environment = PlanEnvironment(unikraft: UnikraftTree(base: "/uk", app: "/app", hostArch: "x86_64"),
                                          fileSystem: InMemoryKconfigFileSystem(files: TargetSupportTests.files(minor: 13)))
        environment.treeCache = cache
        return environment
    }

    @Test func namedTargetsAndManifestsShareOneParse() throws {
        let m = try manifest(Self.text)
        let cache = KconfigTreeCache()
        let (first, firstDiagnostics) = Planning.plan(m, environment: Self.environment(cache))
        let (second, _) = Planning.plan(m, environment: Self.environment(cache))
        let (fresh, freshDiagnostics) = Planning.plan(m, environment: Self.environment(nil))
        #expect(cache.statistics.parsed == 1)
        #expect(cache.statistics.memoryHits >= 4)
        #expect(first.targets.map(\.fullConfig) == fresh.targets.map(\.fullConfig))
        #expect(second.targets.map(\.fullConfig) == fresh.targets.map(\.fullConfig))
        #expect(first.targets.allSatisfy { $0.fullConfig != nil })
        #expect(firstDiagnostics == freshDiagnostics)
    }
}
