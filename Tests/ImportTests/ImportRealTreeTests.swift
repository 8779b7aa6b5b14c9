import Foundation
import Manifest
import Testing
import TestSupport
import Diagnostics
import Kconfig
@testable import Import
@testable import Planner

/// `manifestc import` with real Unikraft trees (`MANIFESTC_UNIKRAFT_TREES`, laid out as in
/// `RealTreeTests`) and the corpus of manual setups (`../shared/corpus/manual`):
/// - the tutorial's `06-adding-filesystems` imports to a manifest whose `.config`, planned on
///   0.13.1~5eb820bd with lib-musl, is its `config.sol`, and which shares `guest_fs` as `fs0`;
/// - every catalog-core folder's imported manifest plans, on the 0.17 core, the `.config`
///   that its own defconfigs give (`make defconfig` on each `.scripts/defconfig/<plat>.<arch>`).
@Suite(.tags(.realTree, .slow)) struct ImportRealTreeTests {
    static var corpus: String {
        return TestPaths.corpus + "/manual"
    }

    static var available: Bool {
        guard let trees = TestPaths.realTrees else { return false }
        return FileManager.default.fileExists(atPath: trees + "/unikraft-0.13/Config.uk")
            && FileManager.default.fileExists(atPath: corpus + "/SETUPS.md")
    }

    static var catalogFolders: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: corpus)) ?? []).sorted()
            .filter { FileManager.default.fileExists(atPath: corpus + "/\($0)/.scripts/defconfig") }
    }

    static func input(_ folder: String) -> ImportInput {
        let fm = FileManager.default
        var files: [SetupFile] = []
        var folders: [String] = []
        for name in ((try? fm.contentsOfDirectory(atPath: folder)) ?? []).sorted() {
            var isDirectory: ObjCBool = false
            _ = fm.fileExists(atPath: folder + "/" + name, isDirectory: &isDirectory)
            if isDirectory.boolValue { folders.append(name) } else if let t = try? String(contentsOfFile: folder + "/" + name, encoding: .utf8) { files.append(SetupFile(path: name, text: t)) }
        }
        for name in ((try? fm.contentsOfDirectory(atPath: folder + "/.scripts/defconfig")) ?? []).sorted() {
            if let t = try? String(contentsOfFile: folder + "/.scripts/defconfig/" + name, encoding: .utf8) { files.append(SetupFile(path: ".scripts/defconfig/" + name, text: t)) }
        }
        return ImportInput(folderName: URL(fileURLWithPath: folder).lastPathComponent, files: files, subfolders: folders)
    }

    /// Imports `folder` against `tree` (named as the import names the app) and plans the result on it.
    static func importAndPlan(_ folder: String, tree: UnikraftTree, libraries: [String: String]) throws -> (Plan, ImportedSetup, KconfigTree, [Diagnostic]) {
        var input = input(folder)
        var first = SetupImporter(input)
        var named = tree
        named.name = Naming.normalize(first.run().name)
        let (kconfig, _) = named.load(fileSystem: DiskKconfigFileSystem())
        input.tree = kconfig
        var importer = SetupImporter(input)
        let setup = importer.run()
        let text = ImportedManifestWriter.render(setup).text
        let manifest = try #require(ManifestLoader().load(Array(text.utf8), file: "kraft.yaml").manifest)
        let (plan, diagnostics) = Planning.plan(manifest, environment: PlanEnvironment(unikraft: tree, libraryFolders: libraries, fileSystem: DiskKconfigFileSystem()))
        #expect(!diagnostics.contains { $0.severity == .error }, "\(diagnostics)")
        return (plan, setup, kconfig, importer.diagnostics)
    }

    @Test(.enabled(if: ImportRealTreeTests.available, "set MANIFESTC_UNIKRAFT_TREES and keep ../shared/corpus"))
    func tutorialImportsToConfigSol() throws {
        let trees = TestPaths.realTrees!
        let folder = Self.corpus + "/behind-sol/06-adding-filesystems"
        let tree = UnikraftTree(base: trees + "/unikraft-0.13", libraries: [trees + "/lib-musl"], app: folder, buildDirectory: "/nonexistent-build",
                                hostArch: "x86_64", gitRevision: "5eb820bdbd1dee81c48b1f98bb588edb16b252fa")
        let (plan, setup, _, _) = try Self.importAndPlan(folder, tree: tree, libraries: ["musl": trees + "/lib-musl"])
        #expect(setup.commonOptions.map(\.line) == ["CONFIG_LIBVFSCORE_AUTOMOUNT_ROOTFS=y", "CONFIG_LIBVFSCORE_ROOTFS_9PFS=y"])
        #expect(setup.libraries.map(\.name) == ["musl"])
        let expected = try String(contentsOfFile: folder + "/config.sol", encoding: .utf8)
        let target = try #require(plan.targets.first)
        #expect(TestPaths.normalizedConfig(target.fullConfig ?? "") == TestPaths.normalizedConfig(expected))
        #expect(target.run.shares == [Share(hostPath: "./guest_fs", tag: "fs0", destination: nil, readOnly: false)])
    }

    @Test(.enabled(if: ImportRealTreeTests.available, "set MANIFESTC_UNIKRAFT_TREES and keep ../shared/corpus"),
          arguments: ImportRealTreeTests.available ? ImportRealTreeTests.catalogFolders : [])
    func catalogCoreConfigsComeBack(_ name: String) throws {
        let trees = TestPaths.realTrees!
        let folder = Self.corpus + "/" + name
        let tree = UnikraftTree(base: trees + "/unikraft-0.17", app: folder, buildDirectory: "/nonexistent-build",
                                hostArch: "x86_64", gitRevision: "484ff209a5265bc4b2366041f149534922d0e5c8")
        let (plan, setup, kconfig, _) = try Self.importAndPlan(folder, tree: tree, libraries: [:])
        for target in plan.targets {
            let file = "\(Self.corpus)/\(name)/.scripts/defconfig/\(target.platform.rawValue).\(target.architecture.rawValue)"
            guard let seedText = try? String(contentsOfFile: file, encoding: .utf8) else { continue }
            let expected = ConfigWriter.write(kconfig.evaluate(seed: ConfigReader.read(seedText, file: file).assignments).configuration)
            #expect(TestPaths.normalizedConfig(target.fullConfig ?? "") == TestPaths.normalizedConfig(expected), "\(name) \(target.id): \(setup.commonOptions.map(\.line))")
        }
    }
}
