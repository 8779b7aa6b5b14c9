import Foundation
import Testing
import TestSupport

/// `manifestc import`: writing the manifest, refusing to overwrite, standard output,
/// diagnostics and exit codes, and emit → import → emit on a real folder.
@Suite(.tags(.slow)) struct ImportCommandTests {
    typealias CLI = CommandLineTests

    static let setup = [
        "Makefile": "UK_ROOT ?= $(PWD)/workdir/unikraft\nUK_LIBS ?= $(PWD)/workdir/libs\nLIBS := $(UK_LIBS)/lib-musl\n\nall:\n\t@$(MAKE) -C $(UK_ROOT) A=$(PWD) L=$(LIBS)\n",
        ".scripts/defconfig/qemu.x86_64": "CONFIG_PLAT_KVM=y\nCONFIG_KVM_VMM_QEMU=y\nCONFIG_ARCH_X86_64=y\nCONFIG_LIBUKLIBPARAM=y\n",
        "run.sh": "#!/bin/sh\nqemu-system-x86_64 -nographic -m 32 -cpu max -kernel workdir/build/hello_qemu-x86_64 -append 'hello_qemu-x86_64 uklibparam.show=1 -- a \"b c\"'\n",
    ]

    @Test func writesAManifestThatValidates() throws {
        let folder = try CLI.temporaryFolder(Self.setup)
        let r = try CLI.run(["import"], in: folder)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasSuffix("kraft.yaml: 1 target, 1 library\n"))
        let text = try String(contentsOf: folder.appendingPathComponent("kraft.yaml"), encoding: .utf8)
        #expect(text.contains("name: hello\n"))
        #expect(text.contains("libraries:\n  musl: stable\n"))
        #expect(text.contains("  - qemu/x86_64\n"))
        #expect(text.contains("cmd:\n  - uklibparam.show=1\n  - '--'\n  - a\n  - 'b c'\n"))
        #expect(text.contains("x-manifestc:\n  memory: 32\n"))
        let validate = try CLI.run(["validate", "kraft.yaml"], in: folder)
        #expect(validate.status == 0 && validate.stderr.isEmpty, "\(validate.stderr)")
    }

    /// A setup file over the size limit (4 MiB) is not read: here the only configuration, so no target.
    @Test func setupFilesOverTheSizeLimitAreNotRead() throws {
        let configuration = "CONFIG_PLAT_KVM=y\nCONFIG_KVM_VMM_QEMU=y\nCONFIG_ARCH_X86_64=y\n"
        let padding = String(repeating: "# padding\n", count: (4 << 20) / 10 + 1)
        let folder = try CLI.temporaryFolder(["Makefile": Self.setup["Makefile"]!, ".scripts/defconfig/qemu.x86_64": configuration + padding])
        let r = try CLI.run(["import", "-o", "-"], in: folder)
        #expect(r.status == 1)
        #expect(r.stderr.contains("[import-no-targets]"), "\(r.stderr)")
        let small = try CLI.temporaryFolder(["Makefile": Self.setup["Makefile"]!, ".scripts/defconfig/qemu.x86_64": configuration])
        #expect(try CLI.run(["import", "-o", "-"], in: small).status == 0)
    }

    @Test func refusesToOverwriteWithoutForce() throws {
        let folder = try CLI.temporaryFolder(Self.setup.merging(["kraft.yaml": "mine\n"]) { a, _ in a })
        let refused = try CLI.run(["import", "."], in: folder)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("exists; choose another file with -o, or overwrite it with --force [import-output-exists]"))
        #expect(try String(contentsOf: folder.appendingPathComponent("kraft.yaml"), encoding: .utf8) == "mine\n")
        let forced = try CLI.run(["import", ".", "--force"], in: folder)
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try String(contentsOf: folder.appendingPathComponent("kraft.yaml"), encoding: .utf8).contains("spec: v0.6"))
    }

    @Test func standardOutputAndSpec05() throws {
        let folder = try CLI.temporaryFolder(Self.setup)
        let r = try CLI.run(["import", folder.path, "-o", "-", "--spec", "0.5"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("specification: '0.5'\n"))
        #expect(r.stdout.contains("  - architecture: x86_64\n    platform: kvm\n"))
        #expect(r.stdout.contains("arguments: 'uklibparam.show=1 -- a ''b c'''\n"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("kraft.yaml").path))
    }

    @Test func malformedInputsAreLocatedNeverACrash() throws {
        let folder = try CLI.temporaryFolder([
            "Makefile": "LIBS := $(UK_LIBS/lib-musl\n",
            ".config": "CONFIG_ARCH_X86_64=y\nCONFIG_PLAT_KVM=y\n%%% garbage\n",
            "launch.fish": "qemu-system-x86_64 -kernel x\n",
        ])
        let r = try CLI.run(["import", ".", "-o", "-", "--color", "never"], in: folder)
        #expect(r.status == 1)
        #expect(r.stderr.contains(".config:3:1: warning: unexpected data '%%% garbage'"))
        #expect(r.stderr.contains("Makefile:1:9: error: the reference opened with '$(' is not closed"))
        #expect(r.stderr.contains("launch.fish:1:1: warning: this script is written for fish"))
        let json = try CLI.run(["import", folder.path, "-o", "-", "--diagnostics-format", "json"])
        #expect(json.stderr.contains("\"id\" : \"make-unterminated\"") || json.stderr.contains("\"id\": \"make-unterminated\""))
        #expect(json.stderr.contains(folder.path + "/Makefile"))
    }

    @Test func emitImportEmitGivesTheSameFiles() throws {
        let example = CLI.repository.appendingPathComponent("examples/httpreply/kraft.yaml")
        let folder = try CLI.temporaryFolder(["kraft.yaml": try String(contentsOf: example, encoding: .utf8)])
        #expect(try CLI.run(["kraft.yaml", "--emit", "all", "-o", "first"], in: folder).status == 0)
        let imported = try CLI.run(["import", "first", "-o", "imported.yaml"], in: folder)
        #expect(imported.status == 0, "\(imported.stderr)")
        let again = try CLI.run(["imported.yaml", "--emit", "all", "-o", "again"], in: folder)
        #expect(again.status == 0, "\(again.stderr)")
        // Every file but the headers (which name the manifest) is the same.
        for name in ["Makefile", "launch.sh", "fc-x86_64.json", "xen-x86_64.cfg", "defconfig.qemu-x86_64"] {
            func body(_ url: URL) throws -> String {
                try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
                    .filter { !$0.contains("Generated by manifestc") && !$0.hasPrefix("# From ") }.joined(separator: "\n")
            }
            #expect(try body(folder.appendingPathComponent("first/" + name)) == body(folder.appendingPathComponent("again/" + name)), "\(name)")
        }
    }
}
