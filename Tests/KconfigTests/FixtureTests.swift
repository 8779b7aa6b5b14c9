import Foundation
import Testing
import TestSupport
import Diagnostics
@testable import Kconfig

/// Hand-written trees, one per Kconfig feature, in `Fixtures/kconfig/<name>/`:
/// `Kconfig` (and files it sources), `seed`, `expected.config` (written by Unikraft's conf,
/// the Linux 5.2 tool, and checked byte for byte), and optionally `oracles`, the list of
/// other tools that support every feature used (`kconfiglib`, `kconfig-conf`; default both).
///
/// `MANIFESTC_KCONFIG_CONF=<Unikraft conf>` also runs that conf; with `MANIFESTC_RECORD=1`
/// it rewrites `expected.config`.
@Suite(.tags(.slow)) struct FixtureTests {
    static let root: String = Bundle.module.resourcePath! + "/Fixtures/kconfig"

    static var names: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).sorted()
    }

    /// `$(shell,…)` answers for the fixtures (conf runs them with /bin/sh).
    static let shell = TableShellResolver(["echo from shell": "from shell\n", "echo y": "y\n"])

    static func files(under dir: String) -> [String: String] {
        var out: [String: String] = [:]
        let e = FileManager.default.enumerator(atPath: dir)
        while let rel = e?.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: dir + "/" + rel, isDirectory: &isDir), !isDir.boolValue,
               let text = try? String(contentsOfFile: dir + "/" + rel, encoding: .utf8) {
                out["/case/" + rel] = text
            }
        }
        return out
    }

    static func ours(_ name: String) -> (String, [Diagnostic]) {
        let fs = InMemoryKconfigFileSystem(files: files(under: root + "/" + name))
        let (tree, d1) = KconfigTree.load(root: "/case/Kconfig", fileSystem: fs, shell: shell)
        let seed = (try? String(contentsOfFile: root + "/\(name)/seed", encoding: .utf8)) ?? ""
        let (assignments, d2) = ConfigReader.read(seed, file: "/case/seed")
        let (configuration, d3) = tree.evaluate(seed: assignments)
        return (ConfigWriter.write(configuration), d1 + d2 + d3)
    }

    @Test(arguments: FixtureTests.names)
    func matchesRecordedConf(_ name: String) throws {
        let (ours, diagnostics) = Self.ours(name)
        #expect(diagnostics.allSatisfy { $0.severity != .error }, "\(diagnostics)")
        let expectedPath = Self.root + "/\(name)/expected.config"
        let expected = try String(contentsOfFile: expectedPath, encoding: .utf8)
        if ours != expected {
            Issue.record(Comment(rawValue: "\(name):\n" + ConfigLines.diff(
                expected.split(separator: "\n", omittingEmptySubsequences: false),
                ours.split(separator: "\n", omittingEmptySubsequences: false))))
        }
    }

    @Test func fixturesMatchTheOracles() throws {
        if let missing = Oracles.check() {
            Issue.record(Comment(rawValue: missing))
            return
        }
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("manifestc-fixtures-\(getpid())").path
        try? FileManager.default.removeItem(atPath: tmp)
        try FileManager.default.copyItem(atPath: Self.root, toPath: tmp)
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        Oracles.runAll(root: tmp)
        for name in Self.names {
            let dir = tmp + "/" + name
            let (ours, _) = Self.ours(name)
            let oracles = ((try? String(contentsOfFile: dir + "/oracles", encoding: .utf8)) ?? "kconfiglib kconfig-conf")
                .split(whereSeparator: \.isWhitespace)
            if Oracles.unikraftConf != nil {
                let text = try String(contentsOfFile: dir + "/uk.config", encoding: .utf8)
                #expect(text == ours, "\(name): Unikraft conf wrote something else")
                if ProcessInfo.processInfo.environment["MANIFESTC_RECORD"] != nil {
                    try text.write(toFile: Self.root + "/\(name)/expected.config", atomically: true, encoding: .utf8)
                    let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                        .appendingPathComponent("Fixtures/kconfig/\(name)/expected.config").path
                    try text.write(toFile: source, atomically: true, encoding: .utf8)
                }
            }
            if oracles.contains("kconfiglib") {
                let text = (try? String(contentsOfFile: dir + "/kconfiglib.config", encoding: .utf8)) ?? "<no output>"
                #expect(text == ours, "\(name): kconfiglib wrote\n\(text)\nwe wrote\n\(ours)")
            }
            if oracles.contains("kconfig-conf") {
                let text = (try? String(contentsOfFile: dir + "/conf.config", encoding: .utf8)) ?? "<no output>"
                let parsed = KconfigTree.load(root: "/case/Kconfig", fileSystem: InMemoryKconfigFileSystem(files: Self.files(under: Self.root + "/" + name)), shell: Self.shell).tree
                let names = Set(Oracles.values(text, boolNames: []).keys).union(Oracles.values(ours, boolNames: []).keys)
                let bools = names.filter { parsed.symbol(named: String($0))?.type.isBoolean ?? false }
                #expect(Oracles.values(text, boolNames: bools) == Oracles.values(ours, boolNames: bools),
                        "\(name): kconfig-conf values differ\n\(ConfigLines.diff(Oracles.symbolLines(text), Oracles.symbolLines(ours)))")
            }
        }
    }
}
