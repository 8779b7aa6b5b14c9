import Foundation
import Testing
import TestSupport
import Diagnostics
import Kconfig
@testable import Planner

/// Reproduces the corpus `.config` files from their seeds with real Unikraft checkouts.
///
/// Set `MANIFESTC_UNIKRAFT_TREES` to a folder holding plain checkouts (no build output needed):
///
/// ```
/// $MANIFESTC_UNIKRAFT_TREES/
///   unikraft-0.17/     unikraft/unikraft @ 484ff209a5265bc4b2366041f149534922d0e5c8
///   unikraft-0.13/     unikraft/unikraft @ 5eb820bdbd1dee81c48b1f98bb588edb16b252fa
///   lib-musl/          unikraft/lib-musl @ 7dcb5a02f61b0e3b1d5000ea28184ede928ded3a
///   app-helloworld/    unikraft/app-helloworld @ 1add85d53193c5cfc8d9285cbd6905a85ffcc309
/// ```
///
/// The corpus is `../shared/corpus/configs` next to the package (or `MANIFESTC_CORPUS`).
@Suite(.tags(.realTree, .slow)) struct RealTreeTests {
    static let trees = TestPaths.realTrees
    static var corpus: String { TestPaths.corpus + "/configs" }
    static var available: Bool { TestPaths.realTreesAvailable }

    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var tree: String
        var sha: String
        var libraries: [String]
        var app: String
        var imageName: String
        var description: String { name }
    }

    static let cases = [
        Case(name: "hello-017-qemu-x86_64", tree: "unikraft-0.17", sha: "484ff209a5265bc4b2366041f149534922d0e5c8",
             libraries: [], app: "app-helloworld", imageName: "helloworld"),
        Case(name: "0.13.1-config.sol-repro", tree: "unikraft-0.13", sha: "5eb820bdbd1dee81c48b1f98bb588edb16b252fa",
             libraries: ["lib-musl"], app: "apps/06-adding-filesystems", imageName: "03-adding-filesystems"),
    ]

    /// Replaces the absolute-path lines so trees anywhere compare equal.
    static func normalized(_ text: String) -> String { TestPaths.normalizedConfig(text) }

    @Test(.enabled(if: RealTreeTests.available, "set MANIFESTC_UNIKRAFT_TREES to a folder of Unikraft checkouts"))
    func explainsRealValues() throws {
        let root = Self.trees!
        let tree = UnikraftTree(base: root + "/unikraft-0.17", app: root + "/app-helloworld", name: "helloworld")
        let seed = try String(contentsOfFile: Self.corpus + "/hello-017-qemu-x86_64.seed", encoding: .utf8)
        let (_, configuration, _) = tree.plan(seed: ConfigReader.read(seed, file: "seed").assignments,
                                              fileSystem: DiskKconfigFileSystem())
        let random = try #require(configuration.value(of: "LIBUKRANDOM"))
        #expect(random.value == "n")
        #expect(random.explanation.map(\.description) == ["seed:6:3: set to 'n' by the seed"])
        let isr = try #require(configuration.value(of: "LIBISRLIB"))
        #expect(isr.explanation.last?.description == root + "/unikraft-0.17/arch/Config.uk:11:2: selected by 'ARCH_X86_64'")
        let info = try #require(tree.load(fileSystem: DiskKconfigFileSystem()).tree.symbol(named: "LIBUKDEBUG_PRINTK_INFO"))
        #expect(info.type == .bool && info.isChoiceMember)
    }

    static func plan(_ c: Case) -> (String, [Diagnostic]) {
        let root = trees!
        let tree = UnikraftTree(
            base: root + "/" + c.tree, libraries: c.libraries.map { root + "/" + $0 },
            app: root + "/" + c.app, buildDirectory: "/nonexistent-build", name: c.imageName,
            hostArch: "x86_64", gitRevision: c.sha)
        let (kconfig, loadDiagnostics) = tree.load(fileSystem: DiskKconfigFileSystem())
        let seedText = (try? String(contentsOfFile: corpus + "/\(c.name).seed", encoding: .utf8)) ?? ""
        let (seed, seedDiagnostics) = ConfigReader.read(seedText, file: "\(c.name).seed")
        let (configuration, evalDiagnostics) = kconfig.evaluate(seed: seed)
        return (ConfigWriter.write(configuration), loadDiagnostics + seedDiagnostics + evalDiagnostics)
    }

    @Test(.enabled(if: RealTreeTests.available, "set MANIFESTC_UNIKRAFT_TREES to a folder of Unikraft checkouts"),
          arguments: RealTreeTests.cases)
    func reproducesCorpusConfig(_ c: Case) throws {
        let expected = try String(contentsOfFile: Self.corpus + "/\(c.name).config", encoding: .utf8)
        let (ours, diagnostics) = Self.plan(c)
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty, "\(diagnostics)")
        if ProcessInfo.processInfo.environment["MANIFESTC_SHOW_DIAGNOSTICS"] != nil {
            for d in diagnostics { print(d) }
        }
        let a = Self.normalized(expected), b = Self.normalized(ours)
        if a != b {
            let la = a.split(separator: "\n", omittingEmptySubsequences: false)
            let lb = b.split(separator: "\n", omittingEmptySubsequences: false)
            let firstDiff = zip(la, lb).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(la.count, lb.count)
            Issue.record("first difference at line \(firstDiff + 1): expected '\(firstDiff < la.count ? la[firstDiff] : "<eof>")', got '\(firstDiff < lb.count ? lb[firstDiff] : "<eof>")'")
            if let dump = ProcessInfo.processInfo.environment["MANIFESTC_DUMP"] {
                try? b.write(toFile: dump + "/\(c.name).ours", atomically: true, encoding: .utf8)
            }
        }
    }
}

/// Compares with `.config` files written by the real `make defconfig` of the plain 0.17 checkout.
///
/// Layout: `$MANIFESTC_UNIKRAFT_TREES/make-defconfig/<case>.seed` and `<case>.config`, each made with
///
/// ```
/// make -C $T/unikraft-0.17 A=$T/app-helloworld O=<tmp> C=$T/make-defconfig/<case>.config \
///      N=helloworld UK_DEFCONFIG=$T/make-defconfig/<case>.seed defconfig
/// ```
///
/// on an x86_64 host, from checkouts that are not git repositories (so the version has no `~sha`).
/// An optional `<case>.libs` lists library folders under `$MANIFESTC_UNIKRAFT_TREES`, one per
/// line, passed as `L=` in that order.
@Suite(.tags(.realTree, .slow)) struct MakeDefconfigTests {
    static var folder: String? {
        guard let trees = RealTreeTests.trees else { return nil }
        return trees + "/make-defconfig"
    }

    static var cases: [String] {
        guard let folder, let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        return names.filter { $0.hasSuffix(".seed") }.map { String($0.dropLast(5)) }.sorted()
    }

    @Test(.enabled(if: !MakeDefconfigTests.cases.isEmpty, "no make-defconfig cases under MANIFESTC_UNIKRAFT_TREES"),
          arguments: MakeDefconfigTests.cases)
    func matchesMakeDefconfig(_ name: String) throws {
        let trees = RealTreeTests.trees!
        let expected = try String(contentsOfFile: Self.folder! + "/\(name).config", encoding: .utf8)
        let libs = ((try? String(contentsOfFile: Self.folder! + "/\(name).libs", encoding: .utf8)) ?? "")
            .split(separator: "\n").map { trees + "/" + $0 }
        let tree = UnikraftTree(base: trees + "/unikraft-0.17", libraries: libs, app: trees + "/app-helloworld",
                                buildDirectory: "/nonexistent-build", name: "helloworld", hostArch: "x86_64")
        let (kconfig, loadDiagnostics) = tree.load(fileSystem: DiskKconfigFileSystem())
        #expect(loadDiagnostics.filter { $0.severity == .error }.isEmpty, "\(loadDiagnostics)")
        let seedText = try String(contentsOfFile: Self.folder! + "/\(name).seed", encoding: .utf8)
        let (configuration, _) = kconfig.evaluate(seed: ConfigReader.read(seedText, file: name).assignments)
        let ours = ConfigWriter.write(configuration)
        if ours != expected {
            let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let b = ours.split(separator: "\n", omittingEmptySubsequences: false)
            Issue.record(Comment(rawValue: ConfigLines.diff(a, b)))
        }
    }
}
