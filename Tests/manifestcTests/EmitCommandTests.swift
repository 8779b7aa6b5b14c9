import Foundation
import Testing
import TestSupport

/// `manifestc [FILE] --emit …`: writing, --check, --dry-run, edit protection.
@Suite(.tags(.slow)) struct EmitCommandTests {
    typealias CLI = CommandLineTests

    static let manifest = "spec: v0.6\nname: app\ntargets: [qemu/x86_64, fc/x86_64]\ncmd: [\"--\", hello]\n"

    @Test func emitAllThenCheckIsClean() throws {
        let folder = try CLI.temporaryFolder(["kraft.yaml": Self.manifest])
        let first = try CLI.run(["kraft.yaml", "--emit", "all"], in: folder)
        #expect(first.status == 0, "\(first.stderr)")
        for name in ["Makefile", "launch.sh", "qemu-guest", ".config.qemu-x86_64", "defconfig.fc-x86_64", "fc-x86_64.json", ".manifestc-outputs"] {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path), "\(name)")
        }
        #expect(FileManager.default.isExecutableFile(atPath: folder.appendingPathComponent("launch.sh").path))
        let check = try CLI.run(["--check"], in: folder)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        let again = try CLI.run(["kraft.yaml"], in: folder)
        #expect(again.stdout.contains("0 written"))
    }

    @Test func checkFailsWithADiffAfterAnEditOrAManifestChange() throws {
        let folder = try CLI.temporaryFolder(["kraft.yaml": Self.manifest])
        try CLI.run(["kraft.yaml"], in: folder)
        let launch = folder.appendingPathComponent("launch.sh")
        var text = try String(contentsOf: launch, encoding: .utf8)
        text = text.replacingOccurrences(of: "set -euo pipefail", with: "set -eu")
        try text.write(to: launch, atomically: true, encoding: .utf8)
        let edited = try CLI.run(["--check"], in: folder)
        #expect(edited.status == 1)
        #expect(edited.stdout.contains("--- a/launch.sh\n+++ b/launch.sh\n"))
        #expect(edited.stdout.contains("-set -eu\n+set -euo pipefail\n"))

        let other = try CLI.temporaryFolder(["kraft.yaml": Self.manifest])
        try CLI.run(["kraft.yaml"], in: other)
        try Self.manifest.replacingOccurrences(of: "hello", with: "bye").write(to: other.appendingPathComponent("kraft.yaml"), atomically: true, encoding: .utf8)
        let changed = try CLI.run(["--check"], in: other)
        #expect(changed.status == 1)
        #expect(changed.stdout.contains("+++ b/fc-x86_64.json"))
    }

    @Test func checkReportsMissingFiles() throws {
        let folder = try CLI.temporaryFolder(["kraft.yaml": Self.manifest])
        let r = try CLI.run(["--check", "--emit", "makefile"], in: folder)
        #expect(r.status == 1)
        #expect(r.stderr.contains("Makefile' is missing"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("Makefile").path))
    }

    @Test func editedAndForeignFilesSurviveUnlessForced() throws {
        let folder = try CLI.temporaryFolder(["kraft.yaml": Self.manifest, "Makefile": "# my own Makefile\nall:\n"])
        let refused = try CLI.run(["kraft.yaml"], in: folder)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("refusing to overwrite"))
        #expect(refused.stderr.contains("Makefile': manifestc did not write it"))
        // Nothing at all was written: the refusal comes before any write.
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("launch.sh").path))
        #expect(try String(contentsOf: folder.appendingPathComponent("Makefile"), encoding: .utf8) == "# my own Makefile\nall:\n")

        try CLI.run(["kraft.yaml", "--emit", "launch,config"], in: folder)
        let config = folder.appendingPathComponent(".config.qemu-x86_64")
        try "CONFIG_MINE=y\n".write(to: config, atomically: true, encoding: .utf8)
        let second = try CLI.run(["kraft.yaml", "--emit", "config"], in: folder)
        #expect(second.status == 1)
        #expect(second.stderr.contains("edited after manifestc generated it"))
        #expect(try String(contentsOf: config, encoding: .utf8) == "CONFIG_MINE=y\n")

        let forced = try CLI.run(["kraft.yaml", "--emit", "config", "--force"], in: folder)
        #expect(forced.status == 0)
        #expect(try String(contentsOf: config, encoding: .utf8) != "CONFIG_MINE=y\n")
    }

    @Test func dryRunListsChangesAndWritesNothing() throws {
        let folder = try CLI.temporaryFolder(["kraft.yaml": Self.manifest])
        let r = try CLI.run(["--dry-run", "--emit", "makefile,launch"], in: folder)
        #expect(r.status == 0)
        #expect(r.stdout == "create    Makefile\ncreate    launch.sh\n")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("Makefile").path))
    }

    @Test func outputDirectoryAndTargetSelection() throws {
        let folder = try CLI.temporaryFolder(["app/kraft.yaml": Self.manifest])
        let r = try CLI.run(["app/kraft.yaml", "-o", "out", "--target", "kvm/x86_64", "--emit", "config,launch"], in: folder)
        #expect(r.status == 0, "\(r.stderr)")
        let out = folder.appendingPathComponent("out")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(".config").path))
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent(".config.fc-x86_64").path))
        let bad = try CLI.run(["app/kraft.yaml", "--target", "qemu/x86_46"], in: folder)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("did you mean 'qemu/x86_64'?"))
        #expect(try CLI.run(["app/kraft.yaml", "--emit", "lauch"], in: folder).stderr.contains("did you mean 'launch'?"))
    }

    /// The id the README, `plan --format json` and the pipeline use is a `--target` of every command (issue 12).
    @Test func theTargetIdSelectsOnEveryCommand() throws {
        let folder = try CLI.temporaryFolder(["kraft.yaml": Self.manifest])
        let emit = try CLI.run(["kraft.yaml", "--target", "fc-x86_64", "--emit", "config"], in: folder)
        #expect(emit.status == 0, "\(emit.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(".config.fc-x86_64").path))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent(".config.qemu-x86_64").path))
        let plan = try CLI.run(["plan", "kraft.yaml", "--target", "qemu-x86_64", "--format", "json"], in: folder)
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains("qemu-x86_64") && !plan.stdout.contains("fc-x86_64"), "\(plan.stdout)")
        let typo = try CLI.run(["kraft.yaml", "--target", "qemu-x86-64"], in: folder)
        #expect(typo.status == 2)
        #expect(typo.stderr.contains("did you mean 'qemu-x86_64'?; the targets are: qemu-x86_64, fc-x86_64"), "\(typo.stderr)")
    }

    @Test func anUnwritableOutputFolderIsAnErrorNamingTheFile() throws {
        // A regular file where the output folder should be: not writable even for root.
        let folder = try CLI.temporaryFolder(["kraft.yaml": Self.manifest, "blocker": "x"])
        let r = try CLI.run(["kraft.yaml", "--emit", "makefile", "-o", "blocker/out"], in: folder)
        #expect(r.status == 1)
        #expect(r.stderr.contains("cannot write '\(folder.path)/blocker/out'"), "\(r.stderr)")
        #expect(try String(contentsOf: folder.appendingPathComponent("blocker"), encoding: .utf8) == "x")
    }
}

/// `manifestc plan` and `manifestc explain` against a miniature Unikraft tree on disk.
@Suite(.tags(.slow)) struct PlanAndExplainCommandTests {
    typealias CLI = CommandLineTests

    static let tree: [String: String] = [
        "uk/version.mk": "UK_VERSION = 0\nUK_SUBVERSION = 17\nUK_EXTRAVERSION = 0\nUK_CODENAME = Mini\n",
        "uk/Config.uk": """
            mainmenu "Unikraft/$(UK_FULLVERSION) Configuration"
            choice
            \tprompt "Architecture"
            config ARCH_X86_64
            \tbool "x86_64"
            config ARCH_ARM_64
            \tbool "arm64"
            endchoice
            config PLAT_KVM
            \tbool "KVM"
            config KVM_VMM_QEMU
            \tbool "QEMU"
            \tdepends on PLAT_KVM
            config LIBBASE
            \tbool "base"
            config LIBFEATURE
            \tbool "feature"
            \tdepends on LIBBASE

            """,
        "app/kraft.yaml": "spec: v0.6\nname: app\nunikraft:\n  kconfig:\n    CONFIG_LIBBASE: y\ntargets: [qemu/x86_64, qemu/arm64]\n",
    ]

    @Test func planPrintsTheFullConfigurationOfOneTarget() throws {
        let folder = try CLI.temporaryFolder(Self.tree)
        let uk = folder.appendingPathComponent("uk").path
        let r = try CLI.run(["plan", "app/kraft.yaml", "--uk-root", uk, "--target", "qemu/arm64"], in: folder)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("#\n# Automatically generated file; DO NOT EDIT.\n# Unikraft/0.17.0 Configuration\n#\n"))
        #expect(r.stdout.contains("CONFIG_ARCH_ARM_64=y\n"))
        #expect(r.stdout.contains("CONFIG_LIBBASE=y\n"))
        #expect(r.stdout.contains("# CONFIG_LIBFEATURE is not set\n"))
        let both = try CLI.run(["plan", "app/kraft.yaml", "--uk-root", uk], in: folder)
        #expect(both.status == 2)
        #expect(both.stderr.contains("choose one with --target"))
        let written = try CLI.run(["plan", "app/kraft.yaml", "--uk-root", uk, "--target", "qemu/x86_64", "-o", "out.config"], in: folder)
        #expect(written.status == 0)
        let out = folder.appendingPathComponent("out.config")
        #expect(try String(contentsOf: out, encoding: .utf8).contains("CONFIG_ARCH_X86_64=y\n"))
        // The same configuration again: the file is left as it is, its time too (make sees nothing new).
        let old = Date(timeIntervalSince1970: 1_600_000_000)
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: out.path)
        #expect(try CLI.run(["plan", "app/kraft.yaml", "--uk-root", uk, "--target", "qemu/x86_64", "-o", "out.config"], in: folder).status == 0)
        #expect(try FileManager.default.attributesOfItem(atPath: out.path)[.modificationDate] as? Date == old)
        // Another one replaces it.
        #expect(try CLI.run(["plan", "app/kraft.yaml", "--uk-root", uk, "--target", "qemu/arm64", "-o", "out.config"], in: folder).status == 0)
        #expect(try String(contentsOf: out, encoding: .utf8).contains("CONFIG_ARCH_ARM_64=y\n"))
        #expect(try FileManager.default.attributesOfItem(atPath: out.path)[.modificationDate] as? Date != old)
    }

    @Test func explainSaysWhyAndWhatToEnable() throws {
        let folder = try CLI.temporaryFolder(Self.tree)
        let uk = folder.appendingPathComponent("uk").path
        let r = try CLI.run(["explain", "CONFIG_LIBBASE", "LIBFEATURE", "--manifest", "app/kraft.yaml", "--uk-root", uk, "--target", "qemu/x86_64"], in: folder)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("CONFIG_LIBBASE=y  (bool, \"base\"; target qemu-x86_64)"))
        #expect(r.stdout.contains("user: app/kraft.yaml:5: set to 'y' by the seed"))
        #expect(r.stdout.contains("CONFIG_LIBFEATURE=n"))
        let unknown = try CLI.run(["explain", "LIBBASF", "--manifest", "app/kraft.yaml", "--uk-root", uk, "--target", "qemu/x86_64"], in: folder)
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("did you mean 'CONFIG_LIBBASE'?"))
        let noTree = try CLI.run(["explain", "LIBBASE", "--manifest", "app/kraft.yaml"], in: folder, environment: ["UK_ROOT": ""])
        #expect(noTree.status == 2)
        #expect(noTree.stderr.contains("explain needs a Unikraft tree"))
    }
}
