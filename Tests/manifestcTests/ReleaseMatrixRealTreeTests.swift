import Foundation
import Testing
import TestSupport

/// Every Unikraft release from 0.13.1 to 0.17.0 and staging, every platform and architecture:
/// `manifestc plan` against the release's own `make defconfig`, byte for byte (the absolute
/// `CONFIG_UK_BASE`/`CONFIG_UK_APP` lines aside).
///
/// `scripts/real-trees.sh --unikraft-git DIR --app-helloworld-git DIR $MANIFESTC_UNIKRAFT_TREES` lays
/// out `$MANIFESTC_UNIKRAFT_TREES/releases/<release>/{unikraft,app-helloworld}`; without them the
/// suite is skipped. It needs make, gcc, flex and bison (scripts/setup.sh).
///
/// With `--lib-musl-git`, the script also lays out lib-musl for each release, and every target is
/// planned once more with it (`L=`, `--lib`).
///
/// Each case copies app-helloworld into a temporary folder with a manifest of one target (half
/// of them with options: a ukdebug level, an int, and the random-number library under its name in
/// that release, `LIBUKSWRAND` before 0.17, `LIBUKRANDOM` after; those targets are named, so
/// their image name, `N=`, is the target's), writes the seed a person writes
/// for that target, runs `make -C <tree> A=<app> O=<build> C=<config> N=<image name>
/// UK_DEFCONFIG=<seed> defconfig` (one build folder per release, so conf is built once per release)
/// and `manifestc plan <app>/kraft.yaml --uk-root <tree>`. A target whose platform or architecture
/// `make defconfig` drops (the release cannot build it) must instead be a located error of
/// manifestc's naming the release.
@Suite(.tags(.realTree, .slow)) struct ReleaseMatrixRealTreeTests {
    static var releasesFolder: String? {
        ProcessInfo.processInfo.environment["MANIFESTC_UNIKRAFT_TREES"].map { $0 + "/releases" }
    }

    /// The releases laid out, in order.
    static var releases: [String] {
        guard let folder = releasesFolder, let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        return names.filter { FileManager.default.fileExists(atPath: "\(folder)/\($0)/unikraft/Config.uk")
            && FileManager.default.fileExists(atPath: "\(folder)/\($0)/app-helloworld/Config.uk") }.sorted()
    }

    static let hasMake = ["/usr/bin/make", "/usr/bin/flex", "/usr/bin/bison", "/usr/bin/gcc"].allSatisfy(FileManager.default.isExecutableFile(atPath:))

    struct Case: CustomStringConvertible {
        var platform: String
        var architecture: String
        var withOptions: Bool
        var musl = false
        var description: String { "\(platform)/\(architecture)\(musl ? "+musl" : "")\(withOptions ? "+options" : "")" }
    }

    /// `major.minor` of a release folder's tree (`version.mk`).
    static func version(of tree: String) throws -> (Int, Int) {
        let text = try String(contentsOfFile: tree + "/version.mk", encoding: .utf8)
        func value(_ key: String) -> Int {
            for line in text.split(separator: "\n") where line.hasPrefix(key) {
                if let v = line.split(separator: "=").last.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) { return v }
            }
            return -1
        }
        return (value("UK_VERSION"), value("UK_SUBVERSION"))
    }

    /// Every target the matrix asks of a release: qemu, fc and xen on x86_64 and arm64, linuxu
    /// before 0.17 (it was removed then); every other case with options; with `musl`, each once
    /// more with lib-musl, the options the other way round.
    static func cases(version: (Int, Int), musl: Bool) -> [Case] {
        var platforms = ["qemu", "fc", "xen"]
        if version < (0, 17) { platforms.append("linuxu") }
        var cases: [Case] = []
        for platform in platforms {
            for architecture in ["x86_64", "arm64"] {
                cases.append(Case(platform: platform, architecture: architecture, withOptions: cases.count % 2 == 1))
            }
        }
        guard musl else { return cases }
        return cases + cases.map { Case(platform: $0.platform, architecture: $0.architecture, withOptions: !$0.withOptions, musl: true) }
    }

    /// The manifest's options, as (symbol, value): the random-number library under the release's name for it.
    static func options(version: (Int, Int)) -> [(String, String)] {
        [("CONFIG_LIBUKDEBUG_PRINTK_INFO", "y"), ("CONFIG_LIBUKBOOT_MAXNBARGS", "42"),
         version < (0, 17) ? ("CONFIG_LIBUKSWRAND", "y") : ("CONFIG_LIBUKRANDOM", "n")]
    }

    /// The seed a person writes for `make defconfig`: architecture, platform (and VMM), options.
    static func seed(_ c: Case, version: (Int, Int)) -> String {
        var lines = [c.architecture == "x86_64" ? "CONFIG_ARCH_X86_64=y" : "CONFIG_ARCH_ARM_64=y"]
        switch c.platform {
        case "qemu": lines += ["CONFIG_PLAT_KVM=y", "CONFIG_KVM_VMM_QEMU=y"]
        case "fc": lines += ["CONFIG_PLAT_KVM=y", "CONFIG_KVM_VMM_FIRECRACKER=y"]
        case "xen": lines += ["CONFIG_PLAT_XEN=y"]
        default: lines += ["CONFIG_PLAT_LINUXU=y"]
        }
        if c.musl { lines.append("CONFIG_LIBMUSL=y") }
        if c.withOptions { lines += options(version: version).map { "\($0)=\($1)" } }
        return lines.joined(separator: "\n") + "\n"
    }

    static func manifest(_ c: Case, version: (Int, Int)) -> String {
        var text = "spec: v0.6\nname: helloworld\n" + (c.musl ? "libraries:\n  musl: stable\n" : "")
        if c.withOptions {
            text += "unikraft:\n  kconfig:\n" + options(version: version).map { "    \($0): '\($1)'\n" }.joined()
        }
        guard c.withOptions else { return text + "targets:\n  - \(c.platform)/\(c.architecture)\n" }
        return text + "targets:\n  - name: \(Self.targetName)\n    platform: \(c.platform)\n    architecture: \(c.architecture)\n"
    }

    /// The name of the targets with options: the image name (`N=`) is the target's.
    static let targetName = "custom"

    /// Whether `make defconfig` kept the target's architecture and platform (and, on KVM, the VMM).
    static func kept(_ c: Case, in config: String) -> Bool {
        let lines = Set(config.split(separator: "\n").map(String.init))
        return seed(Case(platform: c.platform, architecture: c.architecture, withOptions: false), version: (0, 0))
            .split(separator: "\n").allSatisfy { lines.contains(String($0)) }
    }

    static func sh(_ command: [String]) throws -> ProcessOutput {
        try Subprocess.run("/usr/bin/env", command)
    }

    @Test(.enabled(if: !ReleaseMatrixRealTreeTests.releases.isEmpty && ReleaseMatrixRealTreeTests.hasMake,
                   "lay out the release trees with scripts/real-trees.sh into $MANIFESTC_UNIKRAFT_TREES (needs make, gcc, flex, bison)"),
          arguments: ReleaseMatrixRealTreeTests.releases)
    func planMatchesMakeDefconfig(_ release: String) throws {
        let folder = Self.releasesFolder! + "/" + release
        let tree = folder + "/unikraft"
        let version = try Self.version(of: tree)
        let musl = folder + "/lib-musl"
        let hasMusl = FileManager.default.fileExists(atPath: musl + "/Config.uk")
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("manifestc-matrix-\(release)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let build = work.appendingPathComponent("build").path
        var identical = 0, refused = 0
        for (index, c) in Self.cases(version: version, musl: hasMusl).enumerated() {
            let app = work.appendingPathComponent("app-\(index)")
            _ = try Self.sh(["cp", "-R", folder + "/app-helloworld", app.path])
            for stale in (try? FileManager.default.contentsOfDirectory(atPath: app.path)) ?? [] where stale.hasPrefix(".config") {
                try FileManager.default.removeItem(at: app.appendingPathComponent(stale))
            }
            try Self.manifest(c, version: version).write(to: app.appendingPathComponent("kraft.yaml"), atomically: true, encoding: .utf8)
            let seed = work.appendingPathComponent("seed-\(index)").path
            let config = work.appendingPathComponent("config-\(index)").path
            try Self.seed(c, version: version).write(toFile: seed, atomically: true, encoding: .utf8)
            let make = try Self.sh(["make", "-s", "-C", tree, "A=\(app.path)", "O=\(build)", "C=\(config)", "N=\(c.withOptions ? Self.targetName : "helloworld")",
                                    "UK_DEFCONFIG=\(seed)"] + (c.musl ? ["L=\(musl)"] : []) + ["defconfig"])
            try #require(make.status == 0, "\(release) \(c): make defconfig failed: \(make.stderr)")
            let expected = try String(contentsOfFile: config, encoding: .utf8)
            let ours = try CommandLineTests.run(["plan", app.appendingPathComponent("kraft.yaml").path, "--uk-root", tree, "--color", "never"]
                                                + (c.musl ? ["--lib", musl] : []))
            if Self.kept(c, in: expected) {
                #expect(ours.status == 0, "\(release) \(c): \(ours.stderr)")
                let a = Self.normalized(expected), b = Self.normalized(ours.stdout)
                if a == b { identical += 1 } else {
                    Issue.record("\(release) \(c): differs from make defconfig:\n\(Self.diff(a, b))")
                }
            } else {
                // make defconfig silently planned something else; manifestc must refuse, at the target.
                #expect(ours.status == 1, "\(release) \(c): make defconfig drops the target, manifestc said: \(ours.stderr)")
                let line = Self.manifest(c, version: version).split(separator: "\n").firstIndex { $0.hasPrefix("  - ") }! + 1
                #expect(ours.stderr.contains("kraft.yaml:\(line):5: error: Unikraft \(release)"), "\(release) \(c): \(ours.stderr)")
                #expect(ours.stderr.contains("[target-unsupported]"), "\(release) \(c): \(ours.stderr)")
                refused += 1
            }
        }
        print("release \(release): \(identical) identical to make defconfig, \(refused) refused (make defconfig drops the target)")
    }

    /// Replaces the absolute-path lines so trees anywhere compare equal.
    static func normalized(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            if line.hasPrefix("CONFIG_UK_BASE=") { return "CONFIG_UK_BASE=<base>" }
            if line.hasPrefix("CONFIG_UK_APP=") { return "CONFIG_UK_APP=<app>" }
            return String(line)
        }.joined(separator: "\n")
    }

    /// The lines only one side has, marked `-` (make defconfig) and `+` (manifestc).
    static func diff(_ a: String, _ b: String) -> String {
        let la = a.split(separator: "\n", omittingEmptySubsequences: false), lb = b.split(separator: "\n", omittingEmptySubsequences: false)
        let sa = Set(la), sb = Set(lb)
        let lines = la.filter { !sb.contains($0) }.map { "- \($0)" } + lb.filter { !sa.contains($0) }.map { "+ \($0)" }
        return lines.isEmpty ? "(same lines, different order)" : lines.prefix(40).joined(separator: "\n")
    }
}
