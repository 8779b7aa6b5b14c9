import Foundation
import Testing
import TestSupport

/// Every catalog-core app with `.scripts/defconfig/<plat>.<arch>`, every such target: the setup's own
/// `make defconfig` (its Makefile's `A=` and `L=`, as make expands them, that defconfig as the seed)
/// against `manifestc import` then `manifestc plan` on the same tree, byte for byte (the absolute
/// `CONFIG_UK_BASE`/`CONFIG_UK_APP` lines aside).
///
/// `scripts/real-trees.sh --unikraft-git DIR --catalog-core-git DIR --libs-git DIR $MANIFESTC_UNIKRAFT_TREES`
/// lays out `$MANIFESTC_UNIKRAFT_TREES/catalog-core/<app>/workdir/{unikraft,libs/<name>,apps/elfloader}`;
/// without it the suite is skipped, and an app the script could not lay out (a library it lacks) is
/// skipped with the script's reason. The manifest is written next to the setup as `kraft.roundtrip.yaml`.
@Suite(.tags(.realTree, .slow)) struct ImportRoundTripRealTreeTests {
    static var catalogFolder: String? {
        ProcessInfo.processInfo.environment["MANIFESTC_UNIKRAFT_TREES"].map { $0 + "/catalog-core" }
    }

    /// The apps laid out with defconfigs (or skipped by the script), by name.
    static var apps: [String] {
        guard let folder = catalogFolder, let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        return names.filter { name in
            ["/.scripts/defconfig", "/SKIPPED"].contains { FileManager.default.fileExists(atPath: "\(folder)/\(name)" + $0) }
        }.sorted()
    }

    static func sh(_ command: [String]) throws -> ProcessOutput {
        try Subprocess.run("/usr/bin/env", command)
    }

    /// The `A=` and `L=` make itself gives Unikraft's make for `defconfig` (a dry run of the setup's Makefile).
    static func makeArguments(_ app: String) throws -> (app: String, libraries: String) {
        let run = try sh(["sh", "-c", "cd \"$1\" && PWD=\"$1\" make -n -f Makefile defconfig", "sh", app])
        let line = run.stdout.split(separator: "\n").first { $0.contains(" -C ") } ?? ""
        let words = line.split(separator: " ").map(String.init)
        let a = words.first { $0.hasPrefix("A=") }.map { String($0.dropFirst(2)) } ?? app
        let l = words.first { $0.hasPrefix("L=") }.map { String($0.dropFirst(2)) } ?? ""
        return (a, l)
    }

    @Test(.enabled(if: !ImportRoundTripRealTreeTests.apps.isEmpty && ReleaseMatrixRealTreeTests.hasMake,
                   "lay out catalog-core with scripts/real-trees.sh into $MANIFESTC_UNIKRAFT_TREES (needs make, gcc, flex, bison)"),
          arguments: ImportRoundTripRealTreeTests.apps)
    func importThenPlanMatchesMakeDefconfig(_ name: String) throws {
        let app = Self.catalogFolder! + "/" + name
        if let reason = try? String(contentsOfFile: app + "/SKIPPED", encoding: .utf8) {
            print("catalog-core/\(name): skipped, \(reason.trimmingCharacters(in: .whitespacesAndNewlines))")
            return
        }
        let tree = app + "/workdir/unikraft"
        let (a, l) = try Self.makeArguments(app)
        let libraries = l.split(separator: ":").map { $0.hasSuffix("/") ? String($0.dropLast()) : String($0) }.filter { $0 != app }
        let libraryArguments = libraries.flatMap { ["--lib", $0] }
        let manifest = app + "/kraft.roundtrip.yaml"
        let imported = try CommandLineTests.run(["import", app, "-o", manifest, "--force", "--uk-root", tree, "--color", "never"] + libraryArguments)
        try #require(imported.status == 0, "\(name): import failed: \(imported.stderr)")

        let work = FileManager.default.temporaryDirectory.appendingPathComponent("manifestc-roundtrip-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let defconfigs = try FileManager.default.contentsOfDirectory(atPath: app + "/.scripts/defconfig").sorted()
        var identical = 0
        for file in defconfigs {
            let parts = file.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            let config = work.appendingPathComponent("config-\(file)").path
            let make = try Self.sh(["make", "-s", "-C", tree, "A=\(a)", "L=\(l)", "O=\(work.appendingPathComponent("build-\(file)").path)", "C=\(config)",
                                    "UK_DEFCONFIG=\(app)/.scripts/defconfig/\(file)", "defconfig"])
            try #require(make.status == 0, "\(name) \(file): make defconfig failed: \(make.stderr)")
            let expected = try String(contentsOfFile: config, encoding: .utf8)
            let ours = try CommandLineTests.run(["plan", manifest, "--uk-root", tree, "--target", "\(parts[0])/\(parts[1])", "--color", "never"] + libraryArguments)
            #expect(ours.status == 0, "\(name) \(file): \(ours.stderr)")
            let x = ReleaseMatrixRealTreeTests.normalized(expected), y = ReleaseMatrixRealTreeTests.normalized(ours.stdout)
            if x == y { identical += 1 } else {
                Issue.record("\(name) \(file): import then plan differs from make defconfig:\n\(ReleaseMatrixRealTreeTests.diff(x, y))")
            }
        }
        print("catalog-core/\(name): \(identical) of \(defconfigs.count) targets identical to make defconfig")
    }

    static var canBootArm64: Bool {
        ReleaseMatrixRealTreeTests.hasMake && ["aarch64-linux-gnu-gcc", "qemu-system-aarch64"].allSatisfy(SecurityResourceTests.hasTool)
    }

    /// The hand-made c-hello setup, imported, then built and booted by `manifestc --run` (qemu/arm64:
    /// under TCG, x86_64 stops at Unikraft's RDSEED check, as the hand-made image does), prints what the
    /// app's own source prints.
    @Test(.enabled(if: ImportRoundTripRealTreeTests.apps.contains("c-hello") && ImportRoundTripRealTreeTests.canBootArm64,
                   "lay out catalog-core with scripts/real-trees.sh (needs make, gcc-aarch64-linux-gnu, qemu-system-arm)"))
    func cHelloImportedBuildsAndBootsLikeTheHandMadeSetup() throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("manifestc-c-hello-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        #expect(try Self.sh(["cp", "-a", Self.catalogFolder! + "/c-hello", work.path]).status == 0)
        let source = try String(contentsOf: work.appendingPathComponent("hello.c"), encoding: .utf8)
        let printed = try #require(source.firstRange(of: #/puts\("([^"]*)"\)/#).map { String(source[$0].dropFirst(6).dropLast(2)) })

        let imported = try CommandLineTests.run(["import", ".", "-o", "kraft.yaml", "--color", "never"], in: work)
        try #require(imported.status == 0, "\(imported.stderr)")
        // The setup's Makefile is make's, not manifestc's: it goes, and the tree it names becomes the source.
        try FileManager.default.removeItem(at: work.appendingPathComponent("Makefile"))
        let manifest = work.appendingPathComponent("kraft.yaml")
        let text = try String(contentsOf: manifest, encoding: .utf8)
        try #require(text.contains("unikraft:\n  version: stable\n"), "\(text)")
        try text.replacingOccurrences(of: "unikraft:\n  version: stable\n", with: "unikraft:\n  source: ./workdir/unikraft\n")
            .write(to: manifest, atomically: true, encoding: .utf8)

        let run = try CommandLineTests.run(["kraft.yaml", "--run", "--target", "qemu/arm64", "--accel", "tcg", "--timeout", "120", "--color", "never"], in: work)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect((run.stdout + run.stderr).split(whereSeparator: \.isNewline).contains { $0 == printed }, "\(run.stdout)\(run.stderr)")
    }
}
