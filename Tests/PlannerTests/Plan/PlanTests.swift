import Foundation
import Manifest
import Testing
import Diagnostics
import Kconfig
@testable import Planner

/// Loads a manifest from text; fails the test on any error.
func manifest(_ text: String, file: String = "kraft.yaml") throws -> Manifest {
    let result = ManifestLoader().load(Array(text.utf8), file: file)
    #expect(!result.hasErrors, "\(result.diagnostics)")
    return try #require(result.manifest)
}

func ids(_ diagnostics: [Diagnostic]) -> [String] { diagnostics.map { "\($0.severity.rawValue) \($0.id)" } }

@Suite struct SeedTests {
    @Test func targetLibrariesThenManifestInPrecedenceOrder() throws {
        let m = try manifest("""
            spec: v0.6
            name: app
            unikraft:
              kconfig:
                CONFIG_A: 'y'
                CONFIG_B: 1
            libraries:
              musl: stable
              newlib: stable
              lwip:
                kconfig: [CONFIG_B=2, CONFIG_C="x y"]
            targets:
              - platform: fc
                architecture: arm64
                kconfig: {CONFIG_C: z}
            """)
        let (plan, diagnostics) = Planning.plan(m)
        let seed = try #require(plan.targets.first).seed.map(\.text)
        #expect(seed == ["CONFIG_ARCH_ARM_64=y", "CONFIG_PLAT_KVM=y", "CONFIG_KVM_VMM_FIRECRACKER=y",
                         "CONFIG_LIBMUSL=y", "CONFIG_LIBNEWLIBC=y", "CONFIG_LIBLWIP=y",
                         "CONFIG_A=y", "CONFIG_B=2", "CONFIG_C=\"z\""])
        // Overrides across sections are warnings at the later line, with a note at the earlier.
        #expect(ids(diagnostics) == ["warning kconfig-override", "warning kconfig-override"])
        #expect(diagnostics.map { $0.location?.range.start.line } == [11, 15])
        #expect(diagnostics.first?.notes.first?.location?.range.start.line == 6)
    }

    @Test func contradictingTheTargetIsAnError() throws {
        let m = try manifest("spec: v0.6\ntargets:\n  - platform: qemu\n    architecture: x86_64\n    kconfig: [CONFIG_ARCH_ARM_64=y, CONFIG_PLAT_KVM=y]\n")
        let (_, diagnostics) = Planning.plan(m)
        #expect(ids(diagnostics) == ["error kconfig-target-conflict"])
        #expect(diagnostics.first?.location?.range.start == SourcePosition(line: 5, column: 15))
    }

    @Test func turningOffAListedLibraryWarnsAndTheManifestWins() throws {
        let m = try manifest("spec: v0.6\nunikraft:\n  kconfig: {CONFIG_LIBMUSL: n}\nlibraries:\n  musl: stable\ntargets: [qemu/x86_64]\n")
        let (plan, diagnostics) = Planning.plan(m)
        #expect(ids(diagnostics) == ["warning kconfig-library-conflict"])
        #expect(plan.targets[0].seed.last?.text == "# CONFIG_LIBMUSL is not set")
    }

    @Test func libraryFoldersAreMatchedByNameOrByTheirSymbol() throws {
        let m = try manifest("spec: v0.6\nlibraries: {musl: stable, lwip: stable}\ntargets: [qemu/x86_64]\n")
        let fs = InMemoryKconfigFileSystem(files: ["/l/musl-0.16.3/Config.uk": "menuconfig LIBMUSL\n\tbool \"musl\"\n",
                                                   "/l/lib-lwip/Config.uk": "menuconfig LIBLWIP\n\tbool \"lwip\"\n",
                                                   "/l/other/Config.uk": "config LIBOTHER\n\tbool \"x\"\n"])
        let environment = PlanEnvironment(fileSystem: fs)
        let (matched, unmatched) = environment.libraryFolders(["/l/musl-0.16.3", "/l/lib-lwip", "/l/other"], for: m)
        #expect(matched == ["musl": "/l/musl-0.16.3", "lwip": "/l/lib-lwip"])
        #expect(unmatched == ["/l/other"])
        let plan = Planning.plan(m, environment: PlanEnvironment(libraryFolders: matched, libraryFoldersInMakefile: true, fileSystem: fs)).plan
        #expect(plan.libraries.map(\.folder) == ["/l/musl-0.16.3", "/l/lib-lwip"])
    }

    @Test func libcFirstThenManifestOrder() throws {
        let m = try manifest("spec: v0.6\nlibraries:\n  lwip: stable\n  nginx: stable\n  musl: stable\n  libcxx: stable\ntargets: [qemu/x86_64]\n")
        #expect(Planning.plan(m).plan.libraries.map(\.folder) == ["lib-libcxx", "lib-musl", "lib-lwip", "lib-nginx"])
    }
}

@Suite struct NamingTests {
    @Test func namesAreNormalizedWithAWarning() throws {
        let m = try manifest("spec: v0.6\nname: My App!\ntargets: [qemu/x86_64, {plat: fc, arch: x86_64, name: Fast}]\n")
        let (plan, diagnostics) = Planning.plan(m)
        #expect(plan.name == "myapp")
        #expect(ids(diagnostics) == ["warning name-normalized"])
        #expect(plan.targets.map(\.id) == ["qemu-x86_64", "fast"])
        #expect(plan.targets.map(\.imageName) == ["myapp_qemu-x86_64", "fast_fc-x86_64"])
    }

    @Test(arguments: [("0.12.0", "app_kvm-x86_64"), ("0.13.1", "app_qemu-x86_64"), ("stable", "app_qemu-x86_64")])
    func imageNamesFollowTheVersion(_ pair: (String, String)) throws {
        let m = try manifest("spec: v0.6\nname: app\nunikraft: '\(pair.0)'\ntargets: [qemu/x86_64]\n")
        #expect(Planning.plan(m).plan.targets.first?.imageName == pair.1)
    }

    @Test func linuxuIsGoneFromZeroSeventeen() throws {
        let m = try manifest("spec: v0.6\nunikraft: 0.17.0\ntargets: [linuxu/x86_64]\n")
        #expect(ids(Planning.plan(m).diagnostics) == ["error linuxu-removed"])
    }

    @Test func duplicateTargetIdsAreAnError() throws {
        let m = try manifest("spec: v0.6\ntargets: [qemu/x86_64, kvm/x86_64]\n")
        #expect(ids(Planning.plan(m).diagnostics) == ["error target-duplicate"])
    }
}

@Suite struct KernelCommandLineTests {
    /// The reference's table (running-unikernels.md §4): what each boot path makes of the
    /// emitted line. `supplied` is argv[0] given by the VMM; the result is argv after parsing.
    static func argv(_ tokens: [String], supplied: String?) -> [String] {
        var argv = supplied.map { [$0] + tokens } ?? tokens
        if let split = argv.dropFirst().firstIndex(of: "--") {
            argv = [argv[0]] + argv[(split + 1)...]
        }
        return argv
    }

    @Test(arguments: [true, false])
    func applicationArgumentsArriveIntactOnEveryBootPath(_ supplied: Bool) {
        for (parameters, arguments) in [([String](), ["a", "b"]), (["vfs.fstab=[", "x", "]"], ["a"]), ([], ["--", "a"]), ([], [])] {
            let words = KernelCommandLine.head(name: "app", parameters: parameters, argv0Supplied: supplied).words(arguments: arguments)
            let result = Self.argv(words, supplied: supplied ? "/path/kernel" : nil)
            #expect(Array(result.dropFirst()) == arguments, "\(words)")
        }
    }

    @Test func quotingForUnikraftsTokenizer() {
        #expect(KernelCommandLine.quote("plain") == "plain")
        #expect(KernelCommandLine.quote("a b") == "\"a b\"")
        #expect(KernelCommandLine.quote("q\"uote\\") == "\"q\\\"uote\\\\\"")
        #expect(KernelCommandLine.quote("") == "\"\"")
        #expect(KernelCommandLine.head(name: "n", parameters: ["env.vars=[", "A=a b", "]"], argv0Supplied: true).render(arguments: ["x y"])
                == "n n env.vars=[ \"A=a b\" ] -- \"x y\"")
    }

    /// The planner decides the head once; only a `--` among arguments given at run time switches to its separated form.
    @Test func theHeadOfTheCommandLineIsDecidedInThePlan() throws {
        let plan = Planning.plan(try manifest("""
            spec: v0.6
            name: app
            unikraft: 0.17.0
            targets: [qemu/x86_64, qemu/arm64, fc/x86_64, {name: net, platform: fc, architecture: x86_64}]
            cmd: [a]
            """)).plan
        #expect(plan.targets.map(\.commandLine.plain) == [[], [], ["app_fc-x86_64"], ["net_fc-x86_64"]])
        #expect(plan.targets[0].commandLine.words(arguments: ["--", "b"]) == ["app_qemu-x86_64", "app_qemu-x86_64", "--", "--", "b"])
        #expect(plan.targets[2].renderedCommandLine == "app_fc-x86_64 a")
        let networked = Planning.plan(try manifest("spec: v0.6\nname: app\ntargets: [fc/x86_64]\nnetworks: [{driver: tap, interface: tap0}]\n")).plan
        #expect(networked.targets[0].commandLine.plain == ["app_fc-x86_64", "app_fc-x86_64", "--"])
    }

    @Test func argv0DependsOnPlatformArchitectureAndVersion() throws {
        func supplied(_ target: String, _ version: String) throws -> Bool {
            try #require(Planning.plan(manifest("spec: v0.6\nunikraft: '\(version)'\ntargets: [\(target)]\n")).plan.targets.first).run.argv0Supplied
        }
        #expect(try supplied("qemu/x86_64", "0.18.0"))
        #expect(try supplied("qemu/arm64", "0.17.0"))
        #expect(try !supplied("qemu/arm64", "0.18.0"))
        #expect(try !supplied("qemu/arm64", "staging"))
        #expect(try !supplied("fc/x86_64", "0.17.0"))
        #expect(try supplied("xen/x86_64", "0.16.3"))
    }
}

@Suite struct RunPlanTests {
    @Test func sharesAreNumberedAndMountedThroughFstab() throws {
        let m = try manifest("""
            spec: v0.6
            unikraft: {kconfig: {CONFIG_LIBVFSCORE_AUTOMOUNT_UP: y}}
            targets: [qemu/x86_64]
            volumes: [./data:/data, ./root:/:ro]
            cmd: [netdev.ip=10.0.2.15/24, --, -c, x]
            """)
        let run = try #require(Planning.plan(m).plan.targets.first).run
        #expect(run.shares.map(\.tag) == ["fs0", "fs1"])
        #expect(run.shares.map(\.readOnly) == [false, true])
        #expect(run.kernelParameters == ["vfs.fstab=[", "fs1:/:9pfs:::", "fs0:/data:9pfs:::mkmp", "]", "netdev.ip=10.0.2.15/24"])
        #expect(run.applicationArguments == ["-c", "x"])
    }

    @Test func withoutARootShareSomethingIsMountedOnRootFirst() throws {
        let m = try manifest("spec: v0.6\nunikraft: {kconfig: {CONFIG_LIBVFSCORE_AUTOMOUNT_UP: y}}\ntargets: [qemu/x86_64]\nvolumes: [./d:/d]\n")
        let run = try #require(Planning.plan(m).plan.targets.first).run
        #expect(run.kernelParameters == ["vfs.fstab=[", "none:/:ramfs:::", "fs0:/d:9pfs:::mkmp", "]"])
    }

    @Test func theRamfsRootNeedsLibramfs() throws {
        let off = try manifest("spec: v0.6\nunikraft: {kconfig: {CONFIG_LIBVFSCORE_AUTOMOUNT_UP: y, CONFIG_LIBRAMFS: n}}\ntargets: [qemu/x86_64]\nvolumes: [./d:/d]\n")
        #expect(ids(Planning.plan(off).diagnostics) == ["warning volume-ramfs-root"])
        let on = try manifest("spec: v0.6\nunikraft: {kconfig: {CONFIG_LIBVFSCORE_AUTOMOUNT_UP: y, CONFIG_LIBRAMFS: y}}\ntargets: [qemu/x86_64]\nvolumes: [./d:/d]\n")
        #expect(ids(Planning.plan(on).diagnostics).isEmpty)
    }

    @Test func theOlderFstabOptionWorksToo() throws {
        let m = try manifest("spec: v0.6\nunikraft: {kconfig: {CONFIG_LIBVFSCORE_FSTAB: y}}\ntargets: [qemu/x86_64]\nvolumes: [./fs:/]\n")
        #expect(try #require(Planning.plan(m).plan.targets.first).run.kernelParameters == ["vfs.fstab=[", "fs0:/:9pfs:::", "]"])
    }

    @Test func aShareWithoutMountPointIsNotMountedByTheFstab() throws {
        let m = try manifest("specification: '0.5'\nunikraft: {version: stable, kconfig: [CONFIG_LIBVFSCORE_AUTOMOUNT_UP=y]}\ntargets: [{architecture: x86_64, platform: kvm}]\nvolumes: {guest_fs: {driver: 9pfs}}\n")
        let (plan, diagnostics) = Planning.plan(m)
        #expect(ids(diagnostics) == ["warning volume-unmounted"])
        #expect(plan.targets[0].run.shares.map(\.tag) == ["fs0"])
    }

    @Test func aReadOnlyRootCannotHoldMountPoints() throws {
        let m = try manifest("spec: v0.6\nunikraft: {kconfig: {CONFIG_LIBVFSCORE_AUTOMOUNT_UP: y}}\ntargets: [qemu/x86_64]\nvolumes: [./r:/:ro, ./d:/d]\n")
        #expect(ids(Planning.plan(m).diagnostics) == ["warning volume-readonly-root"])
    }

    @Test func firecrackerHasNoNinePShares() throws {
        let m = try manifest("spec: v0.6\ntargets: [fc/x86_64]\nvolumes: [./d:/d]\n")
        let (plan, diagnostics) = Planning.plan(m)
        #expect(plan.targets[0].run.shares.isEmpty)
        #expect(ids(diagnostics).contains("warning volume-firecracker"))
    }

    @Test func rootfsForms() throws {
        let folder = try #require(Planning.plan(manifest("spec: v0.6\ntargets: [qemu/x86_64]\nrootfs: ./rootfs\n")).plan.targets.first).run
        #expect(folder.shares.map(\.destination) == ["/"])
        let cpio = try #require(Planning.plan(manifest("spec: v0.6\ntargets: [qemu/x86_64]\nrootfs: ./initrd.cpio\n")).plan.targets.first).run
        #expect(cpio.initrd == "./initrd.cpio")
        let (_, diagnostics) = Planning.plan(try manifest("spec: v0.6\ntargets: [qemu/x86_64]\nrootfs: ./Dockerfile\n"))
        #expect(ids(diagnostics) == ["warning rootfs-offline"])
    }

    @Test func networksBecomeDevicesAndAddresses() throws {
        let m = try manifest("""
            specification: '0.5'
            unikraft: stable
            targets: [{architecture: x86_64, platform: kvm}]
            networks:
              br: {bridge: virbr0, ip: 172.44.0.2, netmask: 255.255.255.0, gateway: 172.44.0.1}
              t: {driver: tap, interface: tap7}
              u: {}
            """)
        let run = try #require(Planning.plan(m).plan.targets.first).run
        #expect(run.networks.map(\.mode) == [.bridge("virbr0"), .tap("tap7"), .user])
        #expect(run.kernelParameters == ["netdev.ip=172.44.0.2/24:172.44.0.1"])
    }

    @Test func environmentVariablesBecomeAParameter() throws {
        let m = try manifest("spec: v0.6\ntargets: [qemu/x86_64]\nenv: {GREETING: hello world, A: '1'}\n")
        #expect(try #require(Planning.plan(m).plan.targets.first).run.kernelParameters == ["env.vars=[", "GREETING=hello world", "A=1", "]"])
    }

    @Test func hostPathsAreSeenFromTheOutputFolder() throws {
        let m = try manifest("spec: v0.6\ntargets: [qemu/x86_64]\nvolumes: [./fs:/, /abs:/abs]\n")
        let plan = Planning.plan(m, environment: PlanEnvironment(fileSystem: InMemoryKconfigFileSystem(), manifestFolder: "../app")).plan
        #expect(plan.targets[0].run.shares.map(\.hostPath) == ["../app/fs", "/abs"])
        #expect(plan.appFolder == "../app")
    }
}

/// Typing manifest values against a (small, in-memory) Unikraft tree.
@Suite struct TypedSeedTests {
    static let files: [String: String] = [
        "/uk/version.mk": "UK_VERSION = 0\nUK_SUBVERSION = 17\nUK_EXTRAVERSION = 0\nUK_CODENAME = Test\n",
        "/uk/Config.uk": """
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
            config LIBFEATURE
            \tbool "feature"
            \tdepends on LIBBASE
            config LIBBASE
            \tbool "base"
            config STACK_ORDER
            \tint "stack order"
            \trange 1 12
            \tdefault 4
            config HEAP_BASE
            \thex "heap base"
            \tdefault 0x400000
            config ROOTDEV
            \tstring "root device"
            \tdefault "fs1"

            """,
    ]

    static func plan(_ kconfig: String) throws -> (Plan, [Diagnostic]) {
        let m = try manifest("spec: v0.6\nname: app\nunikraft:\n  kconfig:\n\(kconfig)targets: [qemu/x86_64]\n")
        let environment = PlanEnvironment(unikraft: UnikraftTree(base: "/uk", app: "/app", hostArch: "x86_64", gitRevision: "0123456789abcdef"),
                                          fileSystem: InMemoryKconfigFileSystem(files: files))
        return Planning.plan(m, environment: environment)
    }

    @Test func valuesAreSpelledForTheirSymbolsType() throws {
        let (plan, diagnostics) = try Self.plan("    CONFIG_STACK_ORDER: 10\n    CONFIG_HEAP_BASE: 4096\n    CONFIG_ROOTDEV: fs0\n    CONFIG_LIBBASE: on\n")
        #expect(diagnostics.filter { $0.severity >= .warning }.isEmpty, "\(diagnostics)")
        let config = try #require(plan.targets.first?.fullConfig)
        #expect(config.contains("CONFIG_STACK_ORDER=10\n"))
        #expect(config.contains("CONFIG_HEAP_BASE=0x1000\n"))
        #expect(config.contains("CONFIG_ROOTDEV=\"fs0\"\n"))
        #expect(config.contains("CONFIG_LIBBASE=y\n"))
        #expect(config.hasPrefix("#\n# Automatically generated file; DO NOT EDIT.\n# Unikraft/0.17.0~01234567 Configuration\n#\n"))
    }

    @Test func unknownSymbolsWarnWithASuggestion() throws {
        let (_, diagnostics) = try Self.plan("    CONFIG_STACK_ORDR: 3\n")
        #expect(ids(diagnostics) == ["warning kconfig-unknown-symbol"])
        #expect(diagnostics[0].message.contains("did you mean 'CONFIG_STACK_ORDER'?"))
        #expect(diagnostics[0].location?.range.start == SourcePosition(line: 5, column: 5))
    }

    @Test(arguments: [
        ("    CONFIG_STACK_ORDER: big\n", "error kconfig-type"),
        ("    CONFIG_STACK_ORDER: 13\n", "error kconfig-range"),
        ("    CONFIG_HEAP_BASE: zz\n", "error kconfig-type"),
        ("    CONFIG_LIBBASE: maybe\n", "error kconfig-type"),
    ])
    func invalidValuesAreErrorsAtTheManifestsLine(_ pair: (String, String)) throws {
        let (_, diagnostics) = try Self.plan(pair.0)
        #expect(ids(diagnostics).first == pair.1, "\(diagnostics)")
        #expect(diagnostics.first?.location?.range.start.line == 5)
    }

    @Test func aRequestTheDependenciesForbidIsAnErrorWithTheReason() throws {
        let (_, diagnostics) = try Self.plan("    CONFIG_LIBFEATURE: y\n")
        #expect(ids(diagnostics) == ["error kconfig-unmet"])
        #expect(diagnostics[0].location?.range.start.line == 5)
        #expect(diagnostics[0].notes.map(\.message).contains("to turn it on, also enable: CONFIG_LIBBASE"))
    }

    @Test func explanationsNameTheDecidingStepAndWhatToEnable() throws {
        let m = try manifest("spec: v0.6\nname: app\nunikraft:\n  kconfig:\n    CONFIG_STACK_ORDER: 6\ntargets: [qemu/x86_64]\n")
        let environment = PlanEnvironment(unikraft: UnikraftTree(base: "/uk", app: "/app", hostArch: "x86_64"),
                                          fileSystem: InMemoryKconfigFileSystem(files: Self.files))
        let result = Planning.planWithConfigurations(m, environment: environment)
        let configuration = try #require(result.configurations["qemu-x86_64"])
        let feature = try #require(configuration.explain("LIBFEATURE"))
        #expect(feature.value.value == "n")
        #expect(feature.toEnable == ["LIBBASE"])
        let stack = try #require(configuration.explain("STACK_ORDER"))
        #expect(stack.value.value == "6")
        #expect(stack.value.explanation.last?.kind == .user)
        #expect(stack.value.explanation.last?.location?.file == "kraft.yaml")
        #expect(stack.symbol.definedAt.first?.file == "/uk/Config.uk")
        #expect(configuration.explain("NOPE") == nil)
    }
}
