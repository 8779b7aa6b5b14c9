import Foundation
import Testing
import TestSupport

/// The tree cache across processes: the second `plan` reads the tree the first one kept (its
/// file is not written again) and plans the same; a changed `Config.uk` is seen; with
/// `MANIFESTC_NO_CACHE=1` nothing is written.
@Suite(.tags(.slow)) struct TreeCacheCommandTests {
    typealias CLI = CommandLineTests

    @Test func aSecondProcessPlansFromTheKeptTreeAndSeesAChange() throws {
        let folder = try CLI.temporaryFolder(PlanAndExplainCommandTests.tree)
        defer { try? FileManager.default.removeItem(at: folder) }
        let uk = folder.appendingPathComponent("uk").path
        let cache = folder.appendingPathComponent("cache")
        let plan = ["plan", "app/kraft.yaml", "--uk-root", uk, "--target", "qemu/arm64", "--format", "json"]
        let environment = ["XDG_CACHE_HOME": cache.path]
        let first = try CLI.run(plan, in: folder, environment: environment)
        #expect(first.status == 0, "\(first.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: cache.appendingPathComponent("manifestc").path)
        let file = try #require(files.first { $0.hasPrefix("kconfig-") }.map { cache.appendingPathComponent("manifestc/" + $0).path })
        let inode = try FileManager.default.attributesOfItem(atPath: file)[.systemFileNumber] as? Int
        let second = try CLI.run(plan, in: folder, environment: environment)
        #expect(second.stdout == first.stdout)
        #expect(second.stderr == first.stderr)
        #expect(try FileManager.default.attributesOfItem(atPath: file)[.systemFileNumber] as? Int == inode)

        let config = folder.appendingPathComponent("uk/Config.uk")
        let text = try String(contentsOf: config, encoding: .utf8)
        try (text + "config CACHED_CHANGE\n\tbool \"new\"\n\tdefault y\n").write(to: config, atomically: true, encoding: .utf8)
        let changed = try CLI.run(plan, in: folder, environment: environment)
        #expect(changed.stdout.contains("CONFIG_CACHED_CHANGE"))
        #expect(!first.stdout.contains("CONFIG_CACHED_CHANGE"))
    }

    @Test func noCacheWritesNothing() throws {
        let folder = try CLI.temporaryFolder(PlanAndExplainCommandTests.tree)
        defer { try? FileManager.default.removeItem(at: folder) }
        let uk = folder.appendingPathComponent("uk").path
        let cache = folder.appendingPathComponent("cache")
        let r = try CLI.run(["plan", "app/kraft.yaml", "--uk-root", uk, "--target", "qemu/arm64", "--format", "json"], in: folder,
                            environment: ["XDG_CACHE_HOME": cache.path, "MANIFESTC_NO_CACHE": "1"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: cache.path))
    }
}
