import Foundation
import Manifest
import Testing
import Diagnostics
import Kconfig
@testable import Import
@testable import Planner

/// The readers behind `manifestc import`, on the fixtures in `Fixtures/import/`:
/// synthetic Makefiles in both styles of SETUPS.md, launch scripts, qemu-guest lines,
/// VMM configurations, and one malformed file per kind of problem.
@Suite struct ImportReaderTests {
    static let root = Bundle.module.resourcePath! + "/Fixtures/import"

    static func text(_ path: String) throws -> String {
        try String(contentsOfFile: root + "/" + path, encoding: .utf8)
    }

    /// The files of a fixture folder as the command collects them.
    static func input(_ folder: String, tree: KconfigTree? = nil) throws -> ImportInput {
        let names = try FileManager.default.contentsOfDirectory(atPath: root + "/" + folder).sorted()
        return ImportInput(folderName: folder, files: try names.map { SetupFile(path: $0, text: try text(folder + "/" + $0)) }, tree: tree)
    }

    /// `severity line:col id` of each diagnostic, sorted, for exact comparisons.
    static func summary(_ diagnostics: [Diagnostic]) -> [String] {
        diagnostics.map { d in "\(d.location.map { "\($0.file):\($0.range.start.line):\($0.range.start.column)" } ?? "-") \(d.severity.rawValue) \(d.id)" }.sorted()
    }

    // MARK: - Makefiles

    @Test func catalogCoreMakefileGivesTheLibrariesInLOrder() throws {
        var importer = SetupImporter(try Self.input("catalog-core"))
        let setup = importer.run()
        #expect(setup.libraries.map(\.name) == ["musl", "nginx", "lwip"])
        #expect(setup.libraries.map(\.folder) == ["$(PWD)/workdir/libs/musl", "$(PWD)/workdir/libs/nginx", "$(PWD)/workdir/libs/lwip"])
        #expect(!importer.diagnostics.contains { $0.id.hasPrefix("make-") })
    }

    /// catalog-core's elfloader apps: make's app is app-elfloader, the setup's own folder a library before libelf.
    @Test func aSetupWhoseAppIsAnotherFolderImportsThatAppAndItselfAsALibrary() throws {
        let makefile = """
            UK_ROOT ?= $(PWD)/workdir/unikraft
            UK_APP ?= $(PWD)/workdir/apps/elfloader
            LIBS_BASE = $(PWD)/workdir/libs
            UK_LIBS ?= $(PWD):$(LIBS_BASE)/libelf

            all:
            \t@$(MAKE) -C $(UK_ROOT) L=$(UK_LIBS) A=$(UK_APP) O=$(UK_BUILD)

            """
        var importer = SetupImporter(ImportInput(folderName: "elfloader-basic", files: [SetupFile(path: "Makefile", text: makefile),
            SetupFile(path: ".scripts/defconfig/qemu.x86_64", text: "CONFIG_PLAT_KVM=y\nCONFIG_ARCH_X86_64=y\nCONFIG_APPELFLOADER_BRK=y\n")]))
        let text = ImportedManifestWriter.render(importer.run()).text
        #expect(text.contains("libraries:\n  elfloader-basic:\n    source: ./\n  libelf: stable\n"), "\(text)")
        #expect(text.contains("x-manifestc:\n  app: ./workdir/apps/elfloader\n"), "\(text)")
        #expect(text.contains("\nname: elfloader\n"), "\(text)")
        // make's default name is the app folder's; the setup's own image name stays an option.
        var named = SetupImporter(ImportInput(folderName: "bincompat-java-hello", files: [SetupFile(path: "Makefile", text: makefile),
            SetupFile(path: ".scripts/defconfig/qemu.x86_64", text: "CONFIG_PLAT_KVM=y\nCONFIG_ARCH_X86_64=y\nCONFIG_UK_NAME=\"java-hello\"\n")]))
        let namedText = ImportedManifestWriter.render(named.run()).text
        #expect(namedText.contains("\nname: elfloader\n") && namedText.contains("    - 'CONFIG_UK_NAME=\"java-hello\"'\n"), "\(namedText)")
        #expect(!importer.diagnostics.contains { $0.severity != .note }, "\(importer.diagnostics)")
        // An app outside the setup cannot be named: the setup's folder stays the app, with a warning.
        var outside = SetupImporter(ImportInput(folderName: "x", files: [SetupFile(path: "Makefile", text: makefile.replacingOccurrences(of: "$(PWD)/workdir/apps", with: "/opt/apps")),
            SetupFile(path: ".scripts/defconfig/qemu.x86_64", text: "CONFIG_PLAT_KVM=y\nCONFIG_ARCH_X86_64=y\n")]))
        let other = ImportedManifestWriter.render(outside.run()).text
        #expect(!other.contains("app:") && !other.contains("source: ./"), "\(other)")
        #expect(outside.diagnostics.contains { $0.id == "import-app-folder" })
    }

    @Test func tutorialMakefileFollowsAssignmentsReferencesAndContinuations() throws {
        var reader = MakefileReader(text: try Self.text("tutorial/Makefile"), file: "Makefile")
        let app = MakefileReader.appFolder
        #expect(reader.value(of: "LIBS") == "\(app)/../../libs/lib-musl:\(app)/../../libs/lib-lwip \(app)/../../libs/lib-newlib")
        #expect(reader.recipes.count == 2)
        #expect(reader.diagnostics.isEmpty)
        var importer = SetupImporter(try Self.input("tutorial"))
        #expect(importer.run().libraries.map(\.name) == ["musl", "lwip", "newlib"])
    }

    @Test func makeAssignmentFlavours() {
        var reader = MakefileReader(text: """
            A = $(B)
            B := one
            A += two
            C ?= first
            C ?= second
            D ::= $(A)
            B := changed
            E := $(notdir $(patsubst %/,%,/x/lib-musl/)) $(addprefix p-,a b) ${C}
            override F = $$literal
            export G := $(CURDIR)/g
            """, file: "Makefile")
        #expect(reader.value(of: "A") == "changed two")
        #expect(reader.value(of: "C") == "first")
        #expect(reader.value(of: "D") == "one two")
        #expect(reader.value(of: "E") == "lib-musl p-a p-b first")
        #expect(reader.value(of: "F") == "$literal")
        #expect(reader.value(of: "G") == MakefileReader.appFolder + "/g")
        #expect(reader.diagnostics.isEmpty)
    }

    /// `filter` and `filter-out` with make patterns, as manifestc's own Makefile uses them.
    @Test func makeFilterFunctions() {
        var reader = MakefileReader(text: """
            OVERRIDES := UK_LIBS=/x V=1 UK_ROOT=/u
            KEPT := $(filter-out UK_LIBS=%,$(OVERRIDES))
            ONLY := $(filter UK_%,$(OVERRIDES)) $(filter V=1 none,$(OVERRIDES))
            """, file: "Makefile")
        #expect(reader.value(of: "KEPT") == "V=1 UK_ROOT=/u")
        #expect(reader.value(of: "ONLY") == "UK_LIBS=/x UK_ROOT=/u V=1")
        #expect(reader.diagnostics.isEmpty, "\(reader.diagnostics)")
    }

    @Test func malformedMakefileGivesLocatedDiagnostics() throws {
        var importer = SetupImporter(ImportInput(folderName: "x", files: [SetupFile(path: "Makefile", text: try Self.text("broken/Makefile"))]))
        _ = importer.run()
        #expect(Self.summary(importer.diagnostics.filter { $0.id.hasPrefix("make-") }) == [
            "Makefile:2:1 warning make-include",
            "Makefile:4:1 warning make-syntax",
            "Makefile:5:11 error make-unterminated",
            "Makefile:6:3 warning make-conditional",
        ])
    }

    // MARK: - Configurations

    @Test func garbageLinesInAConfigAreLocatedWarnings() throws {
        var importer = SetupImporter(ImportInput(folderName: "x", files: [SetupFile(path: ".config", text: try Self.text("broken/garbage.config"))]))
        let setup = importer.run()
        #expect(Self.summary(importer.diagnostics) == [
            ".config:3:1 warning config-unexpected",
            ".config:4:1 warning config-malformed",
            ".config:5:29 warning config-value",
        ])
        #expect(setup.targets.map { "\($0.platform)/\($0.architecture)" } == ["qemu/x86_64"])
        #expect(setup.commonOptions.map(\.line) == ["CONFIG_LIBUKBOOT_MAINTHREAD=y"])
    }

    @Test func targetsComeFromSymbolsOrFileNames() {
        #expect(SetupImporter.target(ofFileName: ".scripts/defconfig/qemu.arm64") == (.qemu, .arm64, "qemu.arm64"))
        #expect(SetupImporter.target(ofFileName: ".config.fc-x86_64").platform == .fc)
        #expect(SetupImporter.target(ofFileName: "defconfig.kvm-x86_64").platform == .qemu)
        #expect(SetupImporter.target(ofFileName: "xen.arm64.cfg").architecture == .arm64)
        #expect(SetupImporter.target(ofFileName: "fc-fc-x86_64.json").platform == .fc)
        #expect(RunFacts.target(ofImage: "workdir/build/elfloader_fc-x86_64")! == ("elfloader", .fc, .x86_64))
        #expect(RunFacts.target(ofImage: "build/my_app_kvm-x86_64")! == ("my_app", .qemu, .x86_64))
        #expect(RunFacts.target(ofImage: "build/app.dbg") == nil)
    }

    // MARK: - Kernel command lines

    @Test func kernelCommandLineBackToParameters() throws {
        let words = try KernelArguments.tokenize(#"app app netdev.ip=10.0.0.2/24:10.0.0.1 vfs.fstab=[ "fs0:/:9pfs:::" "fs1:/data:9pfs:::mkmp" ] env.vars=[ "A=b c" ] uklibparam.show=1 my.list=[ a b ] -- x "y z" 'q' c\ d"#).get()
        let read = KernelArguments.read(words) { $0 == "app" }
        #expect(read.names == ["app", "app"])
        #expect(read.addresses == ["10.0.0.2/24:10.0.0.1"])
        #expect(read.fstab == ["fs0:/:9pfs:::", "fs1:/data:9pfs:::mkmp"])
        #expect(read.environment == ["A=b c"])
        #expect(read.parameters == ["uklibparam.show=1", "my.list=[", "a", "b", "]"])
        #expect(read.arguments == ["x", "y z", "q", "c d"])
        #expect(read.command == ["uklibparam.show=1", "my.list=[", "a", "b", "]", "--", "x", "y z", "q", "c d"])
        // Without `--` nothing is a parameter; the leading image name is argv[0].
        let plain = KernelArguments.read(["app_qemu-x86_64", "a", "b.c=1"]) { $0.contains("_qemu-") }
        #expect(plain.names == ["app_qemu-x86_64"] && plain.arguments == ["a", "b.c=1"] && !plain.separated)
        #expect(KernelArguments.read(["--", "--", "x"]) { _ in false }.command == ["--", "--", "x"])
        if case .failure(let problem) = KernelArguments.tokenize("a \"b") { #expect(problem.offset == 2) } else { Issue.record("expected an unterminated quote") }
    }

    @Test func fstabEntries() {
        #expect(FstabEntry("initrd0:/:extract::ramfs=1:")!.isGeneratedRoot)
        #expect(FstabEntry("none:/:ramfs:::")!.isGeneratedRoot)
        #expect(FstabEntry("fs1:/data:9pfs:::mkmp")! .mountPoint == "/data")
        #expect(FstabEntry("fs0") == nil)
    }

    // MARK: - Launch scripts

    @Test func qemuLineWithContinuations() throws {
        let (facts, diagnostics) = LaunchScriptReader.read(try Self.text("handwritten/launch.sh"), file: "launch.sh")
        #expect(diagnostics.isEmpty)
        let f = try #require(facts.first)
        #expect(facts.count == 1)
        #expect(f.location.range.start == SourcePosition(line: 3, column: 1))
        #expect(f.platform == .qemu && f.architecture == .x86_64)
        #expect(f.memoryMiB?.value == 256 && f.vcpus?.value == 2)
        #expect(f.kernel == "build/app_qemu-x86_64")
        #expect(f.shares.map(\.host) == ["$(pwd)/guest_fs"] && f.shares.map(\.tag) == ["fs0"])
        #expect(f.interfaces == [.bridge("virbr0")])
        #expect(f.commandLine?.last == "x y")
    }

    @Test func qemuGuestLine() throws {
        let (facts, diagnostics) = LaunchScriptReader.read(try Self.text("handwritten/qemu-guest.sh"), file: "qemu-guest.sh")
        #expect(diagnostics.isEmpty)
        let f = try #require(facts.first)
        #expect(f.kind == "qemu-guest" && f.architecture == .arm64)
        #expect(f.memoryMiB?.value == 128 && f.vcpus?.value == 2)
        #expect(f.shares.map(\.host) == ["./guest_fs"] && f.shares.map(\.tag) == ["fs0"])
        #expect(f.interfaces == [.bridge("virbr0")])
        #expect(f.commandLine?.suffix(3) == ["--", "-v", "x y"])
    }

    @Test func linuxuImagesRunDirectly() {
        let (facts, diagnostics) = LaunchScriptReader.read("#!/bin/sh\nset -e\n  ./build/app_linuxu-x86_64 uklibparam.show=1 -- 'a b' c\n", file: "run.sh")
        #expect(diagnostics.isEmpty)
        #expect(facts.count == 1)
        #expect(facts.first?.platform == .linuxu && facts.first?.architecture == .x86_64)
        #expect(facts.first?.location.range.start == SourcePosition(line: 3, column: 3))
        #expect(facts.first?.commandLine == ["uklibparam.show=1", "--", "a b", "c"])
    }

    @Test func otherDialectsAndUnterminatedQuotesAreLocatedWarnings() throws {
        for (file, expected) in [("broken/launch.fish", "launch.fish:1:1 warning launch-dialect"), ("broken/run.sh", "run.sh:1:1 warning launch-dialect"),
                                 ("broken/unterminated.sh", "unterminated.sh:3:41 warning launch-quote")] {
            let name = String(file.split(separator: "/").last!)
            let (facts, diagnostics) = LaunchScriptReader.read(try Self.text(file), file: name)
            #expect(facts.isEmpty, "\(file)")
            #expect(Self.summary(diagnostics) == [expected])
        }
    }

    @Test func handwrittenSetupImports() throws {
        var importer = SetupImporter(try Self.input("handwritten"))
        let setup = importer.run()
        #expect(setup.name == "app")
        #expect(setup.targets.map { "\($0.platform.rawValue)/\($0.architecture.rawValue)" } == ["qemu/x86_64", "qemu/arm64"])
        #expect(setup.libraries.map(\.name) == ["musl", "lwip", "newlib"])
        #expect(setup.volumes == [ImportedSetup.VolumeEntry(source: "./guest_fs", destination: "/")])
        #expect(setup.env == [ImportedSetup.Pair(key: "A", value: "hello world")])
        #expect(setup.networks == [ImportedSetup.NetworkEntry(name: "virbr0", settings: [.init(key: "bridge", value: "virbr0"), .init(key: "ip", value: "10.0.0.2/24"), .init(key: "gateway", value: "10.0.0.1")])])
        #expect(setup.cmd == ["-v", "x y"])
        #expect(setup.vcpus == 2)
        // 256 MiB (launch.sh) against 128 (qemu-guest): the first wins, the other is reported where it is written.
        #expect(setup.memoryMiB == 256)
        // The default rule would move newlib (a libc) before lwip: the manifest states the setup's order.
        #expect(setup.libraryOrder == ["musl", "lwip", "newlib"])
        // The arm64 target has only run settings (no configuration).
        #expect(Self.summary(importer.diagnostics) == ["qemu-guest.sh:2:1 warning import-no-config", "qemu-guest.sh:2:1 warning import-run-differs"])
    }

    // MARK: - VMM configurations

    @Test func malformedVMMConfigurations() throws {
        let (xen, xenDiagnostics) = XenConfigReader.read(try Self.text("broken/xen.x86_64.cfg"), file: "xen.cfg")
        #expect(xen.memoryMiB?.value == 64)
        #expect(Self.summary(xenDiagnostics) == ["xen.cfg:3:9 warning xen-syntax", "xen.cfg:4:1 warning xen-syntax", "xen.cfg:5:11 warning xen-syntax"])
        let (fc, fcDiagnostics) = FirecrackerConfigReader.read(try Self.text("broken/fc.x86_64.json"), file: "fc.json")
        #expect(fc == nil)
        #expect(Self.summary(fcDiagnostics) == ["fc.json:5:1 error yaml-syntax"])
    }

    @Test func corpusStyleVMMConfigurations() throws {
        let json = """
            {
              "boot-source": {
                "kernel_image_path": "workdir/build/nginx_fc-x86_64",
                "boot_args": "nginx_fc-x86_64 netdev.ip=172.44.0.2/24:172.44.0.1::: vfs.fstab=[ \\"initrd0:/:extract::ramfs=1:\\" ] -- -c /nginx/conf/nginx.conf",
                "initrd_path": "initrd.cpio"
              },
              "drives": [],
              "machine-config": { "vcpu_count": 1, "mem_size_mib": 8, "smt": false, "track_dirty_pages": false },
              "network-interfaces": [ { "iface_id": "net1", "guest_mac":  "06:00:ac:10:00:02", "host_dev_name": "tap0" } ]
            }
            """
        let (fc, d) = FirecrackerConfigReader.read(json, file: "fc.x86_64.json")
        #expect(d.isEmpty)
        #expect(fc?.memoryMiB?.value == 8 && fc?.initrd == "initrd.cpio" && fc?.interfaces == [.tap("tap0")] && fc?.architecture == .x86_64)
        #expect(fc?.commandLineLocation?.range.start == SourcePosition(line: 4, column: 18))
        let cfg = "name          = \"c-fs\"\nvcpus         = \"1\"\nkernel        = \"./workdir/build/c-fs_xen-arm64\"\nramdisk       = \"./initrd.cpio\"\n"
            + "cmdline       = \"c-fs_qemu-x86_64 vfs.fstab=[ \\\"initrd0:/:extract::ramfs=1:\\\" ] -- /hello.txt\"\nvif = ['bridge=virbr0']\nmemory        = \"8\"\ntype \t      = \"pv\"\n"
        let (xen, xd) = XenConfigReader.read(cfg, file: "xen.arm64.cfg")
        #expect(xd.isEmpty)
        #expect(xen.architecture == .arm64 && xen.memoryMiB?.value == 8 && xen.vcpus?.value == 1 && xen.initrd == "./initrd.cpio" && xen.interfaces == [.bridge("virbr0")])
        #expect(xen.commandLine == ["c-fs_qemu-x86_64", "vfs.fstab=[", "initrd0:/:extract::ramfs=1:", "]", "--", "/hello.txt"])
    }
}
