import Foundation
import Manifest
@testable import Planner
import Testing
import TestSupport
import Diagnostics
import Kconfig
@testable import Emitters

/// The security suite's pure cases for emitted files: every attack names the field it comes
/// through and asserts the safe outcome — a located error, or the value read back literally
/// by its consumer (QEMU's option lists, Unikraft's tokenizer and libparam, xl, JSON, GNU make)
/// with a canary that proves nothing ran (SECURITY.md).
@Suite(.tags(.security)) struct SecurityEmitTests {
    static func plan(_ text: String, environment: PlanEnvironment = .seedOnly) throws -> (plan: Plan, diagnostics: [Diagnostic]) {
        let loaded = ManifestLoader().load(Array(text.utf8), file: "kraft.yaml")
        let manifest = try #require(loaded.manifest, "\(loaded.diagnostics)")
        let (plan, diagnostics) = Planning.plan(manifest, environment: environment)
        return (plan, loaded.diagnostics + diagnostics)
    }

    /// The errors, as `line:col id`.
    static func errors(_ diagnostics: [Diagnostic]) -> [String] {
        diagnostics.filter { $0.severity == .error }.map { d in
            "\(d.location.map { "\($0.range.start.line):\($0.range.start.column)" } ?? "-") \(d.id)"
        }
    }

    /// launch.sh's dry run for `plan`, split into argv.
    static func dryRun(_ plan: Plan, _ arguments: [String] = ["--tcg"]) throws -> (argv: [String], stderr: String, folder: URL) {
        let folder = try temporaryFolder()
        try write(Artifact.emit([.launch, .firecracker, .xen, .makefile], plan: plan), to: folder)
        let result = try Subprocess.run(folder.appendingPathComponent("launch.sh").path, ["--dry-run"] + arguments)
        #expect(result.status == 0, "\(result.stderr)")
        return (try argv(ofCommandLine: String(result.stdout.dropLast())), result.stderr, folder)
    }

    /// A plan whose first target runs with `networks`, as if a value had slipped past the planner.
    static func planWith(networks: [NetworkPlan] = [], shares: [Share] = [], initrd: String? = nil, platform: String = "qemu/x86_64") throws -> Plan {
        var plan = try Self.plan("spec: v0.6\nname: app\ntargets: [\(platform)]\n").plan
        plan.targets[0].run.networks = networks
        plan.targets[0].run.shares = shares
        plan.targets[0].run.initrd = initrd
        return plan
    }

    // MARK: CI pipelines

    /// A manifest path with a line break names a left-out target in the pipeline's comment:
    /// the comment must stay one line, so no YAML after it becomes a job or a step.
    @Test(arguments: CIWorkflowEmitter.Provider.allCases)
    func lineBreakInALeftOutManifestPathCannotAddAPipelineJob(_ provider: CIWorkflowEmitter.Provider) throws {
        let plan = try Self.plan("spec: v0.6\nname: app\nunikraft: stable\ntargets: [linuxu/x86_64, qemu/x86_64]\n").plan
        for path in ["apps/x\nevil:\n  script: [touch /tmp/canary]\n/kraft.yaml", "apps/x\u{85}evil: {script: [id]}/kraft.yaml", "apps/x\u{2028}y/kraft.yaml", "apps/x\ry/kraft.yaml"] {
            let text = CIWorkflowEmitter.emit(provider, manifests: [.init(path: path, plan: plan, lockHash: nil)], options: .init(checkPaths: ["."])).contents
            let comments = text.split(separator: "\n").filter { $0.hasPrefix("# Left out") }
            #expect(comments.count == 1 && comments[0].hasSuffix("linuxu-x86_64: the linuxu platform was removed in Unikraft 0.17, and the channel 'stable' is past it"), "\(comments)")
            #expect(!text.split(separator: "\n").contains { $0.hasPrefix("evil") }, "\(text)")
            #expect(!comments[0].unicodeScalars.contains { [0x0D, 0x85, 0x2028].contains($0.value) }, "\(comments[0])")
        }
    }

    // MARK: QEMU option lists

    @Test func bridgeNameAddingAQemuHelperIsRefused() throws {
        let (_, diagnostics) = try Self.plan("""
            spec: v0.6
            targets: [qemu/x86_64]
            networks:
              lan:
                bridge: "br0,helper=touch CANARY"
            """)
        #expect(Self.errors(diagnostics) == ["5:13 network-interface-name"], "\(diagnostics)")
    }

    @Test func bridgeNameWithACommaStaysOneQemuValueInLaunchSh() throws {
        // Defence in depth: the value reaches launch.sh anyway; QEMU must read one 'br'.
        let plan = try Self.planWith(networks: [NetworkPlan(mode: .bridge("br0,helper=touch CANARY"), address: nil)])
        let (argv, _, folder) = try Self.dryRun(plan)
        let netdev = try #require(argv.firstIndex(of: "-netdev").map { argv[$0 + 1] })
        let options = ConsumerReaders.qemuOptions(netdev)
        #expect(options.map(\.key) == ["bridge", "id", "br"], "\(netdev)")
        #expect(options.last?.value == "br0,helper=touch CANARY")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("CANARY").path))
    }

    @Test func tapNameAddingAQemuScriptIsRefusedAndDoubledInLaunchSh() throws {
        let (_, diagnostics) = try Self.plan("""
            spec: v0.6
            targets: [qemu/x86_64]
            networks:
              - {driver: tap, interface: "tap0,script=/tmp/evil.sh"}
            """)
        #expect(Self.errors(diagnostics) == ["4:30 network-interface-name"], "\(diagnostics)")
        let plan = try Self.planWith(networks: [NetworkPlan(mode: .tap("tap0,script=/tmp/evil.sh"), address: nil)])
        let netdev = try #require(try Self.dryRun(plan).argv.first { $0.hasPrefix("tap,") })
        let options = ConsumerReaders.qemuOptions(netdev)
        #expect(options.filter { $0.key == "script" }.map(\.value) == ["no"], "\(netdev)")
        #expect(options.first { $0.key == "ifname" }?.value == "tap0,script=/tmp/evil.sh")
    }

    @Test(arguments: ["averyveryverylongname", "br 0", "br/0", "br=0", "", "br0\n"])
    func interfaceNamesLinuxCannotHoldAreRefused(_ name: String) throws {
        let (_, diagnostics) = try Self.plan("spec: v0.6\ntargets: [qemu/x86_64]\nnetworks:\n  lan: {bridge: \(DocumentValue.jsonString(name))}\n")
        #expect(Self.errors(diagnostics) == ["4:17 network-interface-name"], "\(diagnostics)")
    }

    @Test func volumePathWithCommasStaysOneFsdevPath() throws {
        let (plan, diagnostics) = try Self.plan("spec: v0.6\ntargets: [qemu/x86_64]\nvolumes: ['./d,security_model=passthrough,x:/data']\n")
        #expect(Self.errors(diagnostics).isEmpty, "\(diagnostics)")
        let (argv, _, folder) = try Self.dryRun(plan)
        let fsdev = try #require(argv.firstIndex(of: "-fsdev").map { argv[$0 + 1] })
        let options = ConsumerReaders.qemuOptions(fsdev)
        #expect(options.filter { $0.key == "security_model" }.map(\.value) == ["none"], "\(fsdev)")
        #expect(options.first { $0.key == "path" }?.value == folder.path + "/d,security_model=passthrough,x")
    }

    @Test func initrdPathWithACommaIsOneMultibootModule() throws {
        let plan = try Self.planWith(initrd: "./a,b.cpio")
        let (argv, _, folder) = try Self.dryRun(plan)
        let initrd = try #require(argv.firstIndex(of: "-initrd").map { argv[$0 + 1] })
        #expect(ConsumerReaders.multibootModules(initrd) == [folder.path + "/a,b.cpio"], "\(initrd)")
        let (_, diagnostics) = try Self.plan("spec: v0.6\ntargets: [qemu/x86_64]\nvolumes: [{source: './my initrd.cpio', driver: initrd}]\n")
        #expect(Self.errors(diagnostics) == ["3:20 initrd-path-space"], "\(diagnostics)")
    }

    @Test func qemuGuestInitrdWithACommaIsOneMultibootModule() throws {
        let (argv, output) = try QemuGuestScript.argv(["-W", "-k", "kern", "-i", "mods/a,b.cpio"], dryRun: true)
        #expect(output.status == 0, "\(output.stderr)")
        let initrd = try #require(argv.firstIndex(of: "-initrd").map { argv[$0 + 1] })
        #expect(ConsumerReaders.multibootModules(initrd) == ["mods/a,b.cpio"], "\(initrd)")
    }

    @Test func x86KernelPathThatWouldShiftArgvIsRefused() throws {
        // QEMU's multiboot loader hands the guest "PATH CMDLINE": a space in PATH is a new argv word.
        let plan = try Self.plan("spec: v0.6\nname: app\ntargets: [qemu/x86_64]\ncmd: [--, a]\n").plan
        let folder = try temporaryFolder()
        try write(Artifact.emit([.launch], plan: plan), to: folder)
        let result = try Subprocess.run(folder.appendingPathComponent("launch.sh").path, ["--dry-run", "--tcg", "-k", folder.path + "/my kernel"])
        #expect(result.status == 2, "\(result.stdout)")
        #expect(result.stderr.contains("holds a space, a quote or a backslash"), "\(result.stderr)")
    }

    @Test func controlCharactersInAVolumePathAreRefused() throws {
        let (_, diagnostics) = try Self.plan("spec: v0.6\ntargets: [qemu/x86_64]\nvolumes: [{source: \"./d\\nx\", destination: /data}]\n")
        #expect(Self.errors(diagnostics) == ["3:20 path-control-character"], "\(diagnostics)")
    }

    // MARK: Unikraft's command line

    @Test func envValueEndingWithABracketDoesNotEndTheListEarly() throws {
        let (plan, diagnostics) = try Self.plan("""
            spec: v0.6
            targets: [qemu/x86_64]
            env: {A: "x]", B: "]", C: "a ] b", D: plain}
            networks: [{ip: 10.0.0.2, netmask: 255.255.255.0}]
            cmd: [lib.p=1, --, arg]
            """)
        #expect(Self.errors(diagnostics).isEmpty, "\(diagnostics)")
        let run = plan.targets[0].run
        let argv = ConsumerReaders.unikraftTokens(KernelCommandLine.head(name: "app", parameters: run.kernelParameters, argv0Supplied: run.argv0Supplied).render(arguments: run.applicationArguments))
        let (parameters, arguments) = ConsumerReaders.libparams(Array(argv.dropFirst()))
        #expect(Set(parameters["env.vars"] ?? []) == ["A=x]", "B=]", "C=a ] b", "D=plain"], "\(argv)")
        #expect(parameters["netdev.ip"] == ["10.0.0.2/24"])
        #expect(parameters["lib.p"] == ["1"])
        #expect(arguments == ["arg"])
    }

    @Test func nulCharactersThatBashWouldCutAreRefused() throws {
        let (_, diagnostics) = try Self.plan("spec: v0.6\ntargets: [qemu/x86_64]\nenv: {A: \"x\\0y\"}\ncmd: [\"--\", \"a\\0b\"]\n")
        #expect(Self.errors(diagnostics).sorted() == ["3:10 argument-nul", "4:13 argument-nul"], "\(diagnostics)")
    }

    @Test func netdevAddressWithALeadingZeroIsRefused() throws {
        // lwIP reads '010' as octal: the guest would get 10.0.0.8.
        let (_, diagnostics) = try Self.plan("spec: v0.6\ntargets: [qemu/x86_64]\nnetworks: [{ip: 10.0.0.010}]\n")
        #expect(Self.errors(diagnostics) == ["3:17 network-address"], "\(diagnostics)")
    }

    @Test func netdevAddressOpeningAListIsRefused() throws {
        let (_, diagnostics) = try Self.plan("spec: v0.6\ntargets: [qemu/x86_64]\nnetworks: [{ip: '[10.0.0.2', gateway: '10.0.0.1:8.8.8.8'}]\n")
        #expect(Self.errors(diagnostics) == ["3:17 network-address", "3:39 network-address"], "\(diagnostics)")
    }

    @Test func kernelParameterListLeftOpenIsRefused() throws {
        let (_, diagnostics) = try Self.plan("spec: v0.6\ntargets: [qemu/x86_64]\nenv: {A: b}\ncmd: ['lib.p=[', x, --, y]\n")
        #expect(Self.errors(diagnostics) == ["4:21 cmdline-list-open"], "\(diagnostics)")
    }

    // MARK: xl

    @Test func xenP9PathAddingABackendKeyIsRefused() throws {
        let (_, diagnostics) = try Self.plan("spec: v0.6\ntargets: [xen/x86_64]\nvolumes: ['./d,backend=evil:/data']\n")
        #expect(Self.errors(diagnostics) == ["3:11 xen-path-comma"], "\(diagnostics)")
    }

    @Test func xenVifBridgeAddingAScriptIsRefused() throws {
        let (_, diagnostics) = try Self.plan("spec: v0.6\ntargets: [xen/x86_64]\nnetworks: [{bridge: 'xenbr0,script=/tmp/evil'}]\n")
        #expect(Self.errors(diagnostics) == ["3:21 network-interface-name"], "\(diagnostics)")
    }

    @Test func xenSpecsReadBackAsWritten() throws {
        let (plan, diagnostics) = try Self.plan("spec: v0.6\ntargets: [xen/x86_64]\nvolumes: ['./a b=\"c\\\\:/data']\nnetworks: [{bridge: xenbr0}]\n")
        #expect(Self.errors(diagnostics).isEmpty, "\(diagnostics)")
        let cfg = try #require(XenEmitter.emit(plan).first).contents
        let p9 = try #require(cfg.split(separator: "\n").first { $0.hasPrefix("p9 = ") })
        let spec = ConsumerReaders.xlSpec(try #require(ConsumerReaders.xlList(p9).first))
        #expect(spec.map(\.key) == ["tag", "security_model", "path"])
        #expect(spec.last?.value == "./a b=\"c\\\\")
        let vif = try #require(cfg.split(separator: "\n").first { $0.hasPrefix("vif = ") })
        #expect(ConsumerReaders.xlList(vif).map(ConsumerReaders.xlSpec).first?.map(\.value) == ["xenbr0"])
    }

    // MARK: JSON

    @Test func firecrackerJsonFromLaunchShParsesWithControlCharacters() throws {
        let (plan, diagnostics) = try Self.plan("spec: v0.6\nname: app\ntargets: [fc/x86_64]\ncmd: [\"a\\u0001b\\u001bc\\u007f\", \"t\\tn\\nq\\\"\\\\\"]\n")
        #expect(Self.errors(diagnostics).isEmpty, "\(diagnostics)")
        let (_, stderr, _) = try Self.dryRun(plan, [])
        let object = try JSONSerialization.jsonObject(with: Data(stderr.utf8)) as? [String: Any]
        let boot = try #require((object?["boot-source"] as? [String: Any])?["boot_args"] as? String)
        #expect(Array(ConsumerReaders.unikraftTokens(boot).suffix(2)) == ["a\u{1}b\u{1b}c\u{7f}", "t\tn\nq\"\\"], "\(boot)")
    }

    // MARK: The Makefile

    @Test func localUnikraftSourceInjectingMakeStatementsIsRefused() throws {
        let (_, diagnostics) = try Self.plan("spec: v0.6\nunikraft: {source: \"./uk)\\n$(shell touch CANARY)\\n#\"}\ntargets: [qemu/x86_64]\n")
        #expect(Self.errors(diagnostics) == ["2:20 make-path"], "\(diagnostics)")
    }

    @Test(arguments: ["template: {source: './t;touch CANARY'}", "libraries: {foo: {source: './l`touch CANARY`'}}", "unikraft: {source: './my tree'}"])
    func localPathsTheShellOrMakeWouldSplitAreRefused(_ line: String) throws {
        let (_, diagnostics) = try Self.plan("spec: v0.6\n\(line)\ntargets: [qemu/x86_64]\n")
        #expect(Self.errors(diagnostics).contains { $0.hasSuffix(" make-path") && $0.hasPrefix("2:") }, "\(diagnostics)")
    }

    @Test func makefileEscapingKeepsEveryLineOneStatement() throws {
        // Defence in depth: values that slipped past the planner read back (line breaks as
        // spaces) and run nothing.
        let values = ["a$(shell touch CANARY)b", "x#y", "p\\#q", "n\nCANARY:=1\nz", "$$", "(u)"]
        let folder = try temporaryFolder()
        for value in values {
            var plan = try Self.plan("spec: v0.6\nname: app\ntargets: [qemu/x86_64]\n").plan
            plan.libraries = [LibraryPlan(name: "l", folder: "/abs/" + value, isLocalPath: true), LibraryPlan(name: "m", folder: "rel/" + value, isLocalPath: true),
                              LibraryPlan(name: "n", folder: value, isLocalPath: false)]
            plan.appFolder = "app/" + value
            plan.makefileDefaults.ukRoot = "/root/" + value
            let makefile = MakefileEmitter.emit(plan).contents
            let got = try ConsumerReaders.makeVariables(makefile, ["LIBS", "APP_DIR", "UK_ROOT", "CANARY", "HERE"], in: folder)
            let here = try #require(got["HERE"])
            let literal = value.replacingOccurrences(of: "\n", with: " ")
            #expect(got["LIBS"] == "/abs/\(literal):\(here)/rel/\(literal):\(here)/.unikraft/libs/\(literal)" || literal.contains("(") || literal.contains(" "), "\(value.debugDescription): \(got)")
            #expect(got["UK_ROOT"] == "/root/\(literal)", "\(value.debugDescription): \(got)")
            #expect(got["CANARY"] == "", "\(value.debugDescription) added a make statement")
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("CANARY").path), "\(value.debugDescription) ran")
        }
    }

    @Test(arguments: [("'!!!'", "3:11 name-not-component"), ("clean", "3:11 target-name-reserved"), ("clean-x", "3:11 target-name-reserved")])
    func targetNamesThatCannotBeMakeGoalsAreRefused(_ pair: (String, String)) throws {
        let (_, diagnostics) = try Self.plan("spec: v0.6\ntargets:\n  - name: \(pair.0)\n    platform: qemu\n    architecture: x86_64\n")
        #expect(Self.errors(diagnostics) == [pair.1], "\(diagnostics)")
    }

    @Test func targetsWhoseIdsCollideAreRefused() throws {
        let (_, diagnostics) = try Self.plan("spec: v0.6\ntargets:\n  - {name: A-B, platform: qemu, architecture: x86_64}\n  - {name: a_b!, platform: qemu, architecture: arm64}\n  - {name: 'a-b', platform: fc, architecture: x86_64}\n")
        #expect(Self.errors(diagnostics) == ["5:5 target-duplicate"], "\(diagnostics)")
    }

    @Test func appNameNormalizingToNothingIsRefused() throws {
        let (_, diagnostics) = try Self.plan("spec: v0.6\nname: '***'\ntargets: [qemu/x86_64]\n")
        #expect(Self.errors(diagnostics) == ["2:7 name-empty"], "\(diagnostics)")
    }

    // MARK: Silently wrong

    @Test func outdirIsNeverSilentlyIgnored() throws {
        let (_, diagnostics) = try Self.plan("spec: v0.6\noutdir: /tmp/elsewhere\ntargets: [qemu/x86_64]\n")
        let warning = try #require(diagnostics.first { $0.id == "outdir-ignored" })
        #expect(warning.severity == .warning && warning.location?.range.start == SourcePosition(line: 2, column: 9))
    }

    /// A miniature tree: environment variables and 9p are features the image may lack.
    static let tree: [String: String] = [
        "/uk/version.mk": "UK_VERSION = 0\nUK_SUBVERSION = 17\nUK_EXTRAVERSION = 0\n",
        "/uk/Config.uk": """
            mainmenu "Unikraft/$(UK_FULLVERSION) Configuration"
            choice
            \tprompt "Architecture"
            config ARCH_X86_64
            \tbool "x86_64"
            endchoice
            config PLAT_KVM
            \tbool "KVM"
            config KVM_VMM_QEMU
            \tbool "QEMU"
            \tdepends on PLAT_KVM
            config LIBUKLIBPARAM
            \tbool "libparam"
            config LIBPOSIX_ENVIRON
            \tbool "environ"
            config LIBPOSIX_ENVIRON_LIBPARAM
            \tbool "env.vars"
            \tdepends on LIBPOSIX_ENVIRON && LIBUKLIBPARAM
            config LIBPOSIX_ENVIRON_LIBPARAM_MAXCOUNT
            \tint "most variables"
            \tdepends on LIBPOSIX_ENVIRON_LIBPARAM
            \tdefault 2
            config LIBUK9P
            \tbool "9p client"
            config LIB9PFS
            \tbool "9pfs"
            config LIBVIRTIO_9P
            \tbool "virtio 9p"
            config EARLY_CONSOLE
            \tbool "early console"
            config EARLY_CONSOLE_BASE
            \thex "early console base"
            \tdepends on EARLY_CONSOLE

            """,
    ]

    static func planWithTree(_ text: String) throws -> (plan: Plan, diagnostics: [Diagnostic]) {
        try plan(text, environment: PlanEnvironment(unikraft: UnikraftTree(base: "/uk", app: "/app", hostArch: "x86_64"),
                                                     fileSystem: InMemoryKconfigFileSystem(files: tree)))
    }

    @Test func envTheImageCannotReadIsReported() throws {
        let (_, off) = try Self.planWithTree("spec: v0.6\ntargets: [qemu/x86_64]\nunikraft: {kconfig: {CONFIG_LIBUKLIBPARAM: y}}\nenv: {A: b}\n")
        #expect(off.contains { $0.id == "env-not-read" && $0.severity == .warning && $0.location?.range.start == SourcePosition(line: 4, column: 7) }, "\(off)")
        let (_, many) = try Self.planWithTree("spec: v0.6\ntargets: [qemu/x86_64]\nunikraft: {kconfig: {CONFIG_LIBUKLIBPARAM: y, CONFIG_LIBPOSIX_ENVIRON: y, CONFIG_LIBPOSIX_ENVIRON_LIBPARAM: y}}\nenv: {A: b, C: d, E: f}\n")
        #expect(Self.errors(many) == ["4:7 env-too-many"], "\(many)")
        let (_, on) = try Self.planWithTree("spec: v0.6\ntargets: [qemu/x86_64]\nunikraft: {kconfig: {CONFIG_LIBUKLIBPARAM: y, CONFIG_LIBPOSIX_ENVIRON: y, CONFIG_LIBPOSIX_ENVIRON_LIBPARAM: y}}\nenv: {A: b}\n")
        #expect(!on.contains { $0.id.hasPrefix("env-") }, "\(on)")
    }

    @Test func sharedFoldersTheImageCannotMountAreReported() throws {
        let (_, off) = try Self.planWithTree("spec: v0.6\ntargets: [qemu/x86_64]\nunikraft: {kconfig: {CONFIG_LIBUK9P: y}}\nvolumes: ['./fs:/']\n")
        let warning = try #require(off.first { $0.id == "volume-no-9p" }, "\(off)")
        #expect(warning.severity == .warning && warning.location?.range.start == SourcePosition(line: 4, column: 11))
        #expect(warning.message.contains("'CONFIG_LIB9PFS', 'CONFIG_LIBVIRTIO_9P'") && !warning.message.contains("'CONFIG_LIBUK9P'"), "\(warning.message)")
        let (_, on) = try Self.planWithTree("spec: v0.6\ntargets: [qemu/x86_64]\nunikraft: {kconfig: {CONFIG_LIBUK9P: y, CONFIG_LIB9PFS: y, CONFIG_LIBVIRTIO_9P: y}}\nvolumes: ['./fs:/']\n")
        #expect(!on.contains { $0.id == "volume-no-9p" }, "\(on)")
    }

    @Test func visibleHexSymbolWithoutAValueIsAnErrorNamingIt() throws {
        let (plan, diagnostics) = try Self.planWithTree("spec: v0.6\ntargets:\n  - platform: qemu\n    architecture: x86_64\n    kconfig: {CONFIG_EARLY_CONSOLE: y}\n")
        #expect(Self.errors(diagnostics) == ["3:5 kconfig-value-missing"], "\(diagnostics)")
        let message = try #require(diagnostics.first { $0.id == "kconfig-value-missing" }).message
        #expect(message.contains("'CONFIG_EARLY_CONSOLE_BASE' (hex)") && message.contains("CONFIG_EARLY_CONSOLE_BASE: 0x"))
        // The .config stays conf's bytes: the symbol is written empty, as conf writes it.
        #expect(plan.targets[0].fullConfig?.contains("CONFIG_EARLY_CONSOLE_BASE=\n") == true)
        let (_, set) = try Self.planWithTree("spec: v0.6\ntargets:\n  - platform: qemu\n    architecture: x86_64\n    kconfig: {CONFIG_EARLY_CONSOLE: y, CONFIG_EARLY_CONSOLE_BASE: 0x9000000}\n")
        #expect(Self.errors(set).isEmpty, "\(set)")
    }

    // MARK: Pipelines

    @Test func githubMatrixPathHoldingAnExpressionIsRefused() throws {
        let plan = try Self.plan("spec: v0.6\nname: app\ntargets: [qemu/x86_64]\n").plan
        let manifests = [CIWorkflowEmitter.Manifest(path: "apps/${{ github.token }}/kraft.yaml", plan: plan, lockHash: nil)]
        #expect(CIWorkflowEmitter.problems(manifests, provider: .github).map(\.id) == ["ci-path-expression"])
        #expect(CIWorkflowEmitter.problems(manifests, provider: .gitlab).isEmpty)
        let glob = [CIWorkflowEmitter.Manifest(path: "apps/*/kraft.yaml", plan: plan, lockHash: nil)]
        #expect(CIWorkflowEmitter.problems(glob, provider: .github).map(\.id) == ["ci-path-glob"])
        // GitLab reads `$$` as `$`: the variable holds the path as it is.
        let gitlab = CIWorkflowEmitter.emit(.gitlab, manifests: manifests, options: .init(checkPaths: ["."])).contents
        #expect(gitlab.contains("apps/$${{ github.token }}/kraft.yaml"))
    }
}
