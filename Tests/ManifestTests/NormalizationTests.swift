import Foundation
import Testing
@testable import Manifest

/// The same app written in different spec versions and spellings normalizes to one form.
@Suite struct NormalizationTests {
    static func show(_ name: String) throws -> String {
        let url = Paths.fixtures.appendingPathComponent("equivalent").appendingPathComponent(name)
        let result = ManifestLoader().load(Array(try Data(contentsOf: url)), file: name)
        #expect(!result.hasErrors, "\(name): \(summaries(result.diagnostics))")
        return try #require(result.manifest).document.json()
    }

    @Test(arguments: [("9pfs-v0.5.yaml", "9pfs-v0.6.yaml"), ("9pfs-v0.5.yaml", "9pfs-v0.7.yaml"), ("hello-v0.4.yaml", "hello-v0.6.yaml")])
    func equivalentSpellingsShowTheSame(_ pair: (String, String)) throws {
        let a = try Self.show(pair.0)
        let b = try Self.show(pair.1)
        #expect(a == b, "\(pair.0) vs \(pair.1):\n\(a)\n---\n\(b)")
    }

    @Test func specZeroFiveNormalizesAliasesAndShorthands() throws {
        let result = load("""
            specification: '0.5'
            unikraft: stable
            targets:
              - {architecture: x86_64, platform: kvm}
              - {architecture: arm64, platform: firecracker}
            libraries:
              musl: stable
              lwip: {version: '825b115', source: https://github.com/unikraft/lib-lwip.git}
              newlib:
            volumes:
              guest_fs: {driver: 9pfs}
            """)
        #expect(!result.hasErrors)
        let m = try #require(result.manifest)
        #expect(m.spec == .v0_5)
        #expect(m.targets.map(\.platformArchitecture) == ["qemu/x86_64", "fc/arm64"])
        #expect(m.libraries.map(\.name.value) == ["musl", "lwip", "newlib"])
        #expect(m.libraries[0].component.version?.value == "stable")
        #expect(m.libraries[1].component.source?.value == "https://github.com/unikraft/lib-lwip.git")
        #expect(m.libraries[1].component.version?.value == "825b115")
        #expect(m.libraries[2].component.version == nil)
        #expect(m.volumes.count == 1)
        #expect(m.volumes[0].source?.value == "./guest_fs")
        #expect(m.volumes[0].driver?.value == "9pfs")
    }

    @Test func specZeroFourIsTheProductOfPlatformsAndArchitectures() throws {
        let result = load("""
            specification: '0.4'
            unikraft: '0.4'
            architectures:
              x86_64: true
              arm64: {kconfig: [CONFIG_A=y]}
              arm: false
            platforms:
              kvm: ~
              xen: {kconfig: {CONFIG_B: 'y'}}
            """)
        #expect(!result.hasErrors, "\(summaries(result.diagnostics))")
        let m = try #require(result.manifest)
        #expect(m.targets.map(\.platformArchitecture) == ["qemu/x86_64", "qemu/arm64", "xen/x86_64", "xen/arm64"])
        #expect(m.targets.map { $0.kconfig.map(\.symbol.value) } == [[], ["CONFIG_A"], ["CONFIG_B"], ["CONFIG_A", "CONFIG_B"]])
        #expect(m.unikraft?.version?.value == "0.4")
    }

    @Test func componentScalarsAreVersionsUnlessClearlySources() throws {
        let m = try #require(load("""
            spec: v0.6
            unikraft: ../unikraft
            template: https://github.com/unikraft/app-elfloader.git
            libraries:
              musl: stable
              lwip: git@github.com:unikraft/lib-lwip.git
              app: ~/src/lib-app
              nginx: '6375324'
            """).manifest)
        #expect(m.unikraft?.source?.value == "../unikraft")
        #expect(m.template?.source?.value == "https://github.com/unikraft/app-elfloader.git")
        #expect(m.libraries.map { $0.component.source?.value } == [nil, "git@github.com:unikraft/lib-lwip.git", "~/src/lib-app", nil])
        #expect(m.libraries.map { $0.component.version?.value } == ["stable", nil, nil, "6375324"])
    }

    @Test func specZeroSevenTemplateScalarIsASource() throws {
        let m = try #require(load("spec: v0.7\ntemplate: elfloader\n").manifest)
        #expect(m.template?.source?.value == "elfloader")
        #expect(m.template?.version == nil)
    }

    @Test func kconfigValuesKeepTheirText() throws {
        let result = load("""
            spec: v0.6
            unikraft:
              kconfig:
                CONFIG_A: y
                CONFIG_B: 'n'
                CONFIG_C: 64
                CONFIG_D: '0x400000000'
                CONFIG_E: "a=b:c"
                CONFIG_F: '"fs0"'
                CONFIG_G: off
                CONFIG_H: 0.10
            libraries:
              x:
                kconfig:
                  - CONFIG_I="say \\"hi\\""
                  - CONFIG_J=fs0
                  - CONFIG_K=
            """)
        #expect(!result.hasErrors, "\(summaries(result.diagnostics))")
        let m = try #require(result.manifest)
        let seed = (m.unikraft!.kconfig + m.libraries[0].component.kconfig).map { "\($0.symbol.value)=\($0.value.value.seedText)" }
        #expect(seed == ["CONFIG_A=y", "CONFIG_B=n", "CONFIG_C=64", "CONFIG_D=0x400000000", "CONFIG_E=a=b:c",
                         "CONFIG_F=\"fs0\"", "CONFIG_G=n", "CONFIG_H=0.10", "CONFIG_I=\"say \\\"hi\\\"\"", "CONFIG_J=fs0", "CONFIG_K="])
        #expect(m.libraries[0].component.kconfig[0].value.value == KconfigLiteral(text: "say \"hi\"", quoted: true))
    }

    @Test func volumesInEveryForm() throws {
        let m = try #require(load("""
            spec: v0.6
            volumes:
              - ./fs:/data
              - ./ro:/etc/app:ro
              - ./root
              - {source: ./m, destination: /m, readOnly: true, driver: 9pfs}
            """).manifest)
        #expect(m.volumes.map { $0.source?.value } == ["./fs", "./ro", "./root", "./m"])
        #expect(m.volumes.map { $0.destination?.value } == ["/data", "/etc/app", "/", "/m"])
        #expect(m.volumes.map(\.readOnly) == [false, true, false, true])
    }

    @Test func cmdStringIsSplitLikeAShell() throws {
        let m = try #require(load(#"spec: v0.6"# + "\ncmd: \"vfs.fstab=[ \\\"fs0:/:9pfs\\\" ] -- -c '/etc/a b.conf'\"\n").manifest)
        #expect(m.cmd?.map(\.value) == ["vfs.fstab=[", "fs0:/:9pfs", "]", "--", "-c", "/etc/a b.conf"])
    }

    @Test func environmentAndLabels() throws {
        let m = try #require(load("""
            spec: v0.6
            env:
              - PATH=/bin:/usr/bin
              - HOME
              - EMPTY=
            labels:
              cloud.unikraft.v1.instances/scale_to_zero.policy: "on"
            """).manifest)
        #expect(m.env.map(\.name.value) == ["PATH", "HOME", "EMPTY"])
        #expect(m.env.map { $0.value?.value } == ["/bin:/usr/bin", nil, ""])
        #expect(m.labels.map(\.value.value) == ["on"])
    }

    @Test func interpolationAppliesToValuesNotKeys() throws {
        let result = load("""
            spec: v0.6
            name: ${APP:-fallback}
            unikraft:
              version: ${UK_VERSION}
              kconfig:
                CONFIG_X: "${X-unset}$$HOME"
            """, environment: ["UK_VERSION": "0.17.0", "X": ""])
        #expect(!result.hasErrors)
        let m = try #require(result.manifest)
        #expect(m.name?.value == "fallback")
        #expect(m.unikraft?.version?.value == "0.17.0")
        #expect(m.unikraft?.kconfig.first?.value.value.text == "$HOME")
    }

    @Test func outdirRuntimeRootfsAndRoms() throws {
        let m = try #require(load("""
            spec: v0.7
            outdir: build
            runtime: base:latest
            rootfs:
              source: {type: dockerfile, dockerfile: ./Dockerfile}
              format: erofs
            roms: [./a.cpio, {source: ./b, format: cpio}]
            """).manifest)
        #expect(m.outdir?.value == "build")
        #expect(m.runtime?.value == "base:latest")
        #expect(m.rootfs?.source.value == "./Dockerfile")
        #expect(m.rootfs?.type?.value == "dockerfile")
        #expect(m.rootfs?.format?.value == "erofs")
        #expect(m.roms.map(\.source.value) == ["./a.cpio", "./b"])
    }

    @Test func strictMakesUnknownKeysErrors() {
        let text = "spec: v0.6\nnmae: x\n"
        #expect(!load(text).hasErrors)
        #expect(load(text, strict: true).hasErrors)
        #expect(summaries(load(text, strict: true).diagnostics) == ["error 2:1 unknown-key"])
    }

    @Test func extensionKeysAreSilent() {
        #expect(load("spec: v0.6\nx-team: kernel\nunikraft: {version: stable, x-note: hi}\n").diagnostics.isEmpty)
    }
}
