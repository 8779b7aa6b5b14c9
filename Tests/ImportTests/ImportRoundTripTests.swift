import Foundation
import Manifest
import Planner
import Emitters
import Testing
import TestSupport
import Diagnostics
@testable import Import
@testable import Emitters

/// `import(emit(M))` normalizes to `M`: importing the files manifestc emits for a
/// manifest gives a manifest that plans the same (names, libraries in order, targets,
/// seeds, memory, vCPUs, kernel parameters, arguments, shares, initrd, networks).
@Suite struct ImportRoundTripTests {
    /// What a plan says, in a form two plans can be compared by.
    struct Normalized: Equatable, CustomStringConvertible {
        var name: String
        var libraries: [String]
        var targets: [String]
        var seeds: [String: [String: String]]
        var runs: [String: RunPlan]

        init(_ plan: Plan) {
            name = plan.name
            libraries = plan.libraries.map(\.name)
            targets = plan.targets.map { "\($0.id) \($0.platform.rawValue)/\($0.architecture.rawValue) \($0.imageName)" }
            seeds = Dictionary(uniqueKeysWithValues: plan.targets.map { t in (t.id, Dictionary(t.seed.map { ($0.symbol, $0.value) }, uniquingKeysWith: { _, b in b })) })
            runs = Dictionary(uniqueKeysWithValues: plan.targets.map { ($0.id, $0.run) })
        }

        var description: String { "name \(name)\nlibraries \(libraries)\ntargets \(targets)\nseeds \(seeds.sorted { $0.key < $1.key })\nruns \(runs.sorted { $0.key < $1.key })" }
    }

    static func load(_ text: String, file: String = "kraft.yaml") throws -> Manifest {
        let result = ManifestLoader().load(Array(text.utf8), file: file)
        #expect(!result.hasErrors, "\(file): \(result.diagnostics)\n\(text)")
        return try #require(result.manifest)
    }

    /// Emits `text`, imports the files, and returns both normalized plans and the imported manifest.
    static func roundTrip(_ text: String, spec: ImportedManifestWriter.Spec = .v0_6) throws -> (Normalized, Normalized, String, [Diagnostic]) {
        let manifest = try load(text)
        let plan = Planning.plan(manifest).plan
        let files = Artifact.emit(Set(Artifact.allCases), plan: plan)
        var importer = SetupImporter(ImportInput(folderName: "app", files: files.map { SetupFile(path: $0.path, text: $0.contents) }))
        let setup = importer.run()
        let (imported, renderDiagnostics) = ImportedManifestWriter.render(setup, spec: spec)
        let again = Planning.plan(try load(imported, file: "imported.yaml")).plan
        return (Normalized(plan), Normalized(again), imported, importer.diagnostics + renderDiagnostics)
    }

    @Test(arguments: ["helloworld", "helloworld-linuxu", "9pfs", "httpreply"])
    func examplesRoundTrip(_ example: String) throws {
        let text = try String(contentsOf: TestPaths.repository.appendingPathComponent("examples/\(example)/kraft.yaml"), encoding: .utf8)
        let (original, imported, manifest, diagnostics) = try Self.roundTrip(text)
        #expect(original == imported, "\(example):\n--- original\n\(original)\n--- imported\n\(imported)\n\(manifest)")
        #expect(!diagnostics.contains { $0.severity == .error }, "\(diagnostics)")
    }

    /// manifestc's import reads manifestc's own output without a warning (it warned about the
    /// Makefile's `$(filter-out UK_LIBS=%,$(MAKEOVERRIDES))`), and means the same manifest.
    @Test(arguments: ["helloworld", "helloworld-linuxu", "9pfs", "httpreply"])
    func examplesImportWithoutWarnings(_ example: String) throws {
        let text = try String(contentsOf: TestPaths.repository.appendingPathComponent("examples/\(example)/kraft.yaml"), encoding: .utf8)
        let (original, imported, _, diagnostics) = try Self.roundTrip(text)
        #expect(original == imported)
        #expect(diagnostics.filter { $0.severity >= .warning }.isEmpty, "\(example): \(diagnostics.map { "\($0.location.map { "\($0)" } ?? ""): \($0.message) [\($0.id)]" })")
    }

    @Test func importingIsDeterministic() throws {
        let text = try String(contentsOf: TestPaths.repository.appendingPathComponent("examples/httpreply/kraft.yaml"), encoding: .utf8)
        #expect(try Self.roundTrip(text).2 == Self.roundTrip(text).2)
    }

    @Test(arguments: 0..<300)
    func generatedManifestsRoundTrip(_ seed: Int) throws {
        var generator = ManifestGenerator(seed: UInt64(seed))
        let text = generator.manifest()
        let (original, imported, manifest, _) = try Self.roundTrip(text)
        #expect(original == imported, "seed \(seed):\n\(text)\n--- original\n\(original)\n--- imported\n\(imported)\n\(manifest)")
    }

    @Test(arguments: 0..<40)
    func generatedManifestsRoundTripInSpec05(_ seed: Int) throws {
        var generator = ManifestGenerator(seed: UInt64(seed) &+ 10_000, forSpec05: true)
        let text = generator.manifest()
        let (original, imported, manifest, diagnostics) = try Self.roundTrip(text, spec: .v0_5)
        #expect(original == imported, "seed \(seed):\n\(text)\n--- original\n\(original)\n--- imported\n\(imported)\n\(manifest)")
        #expect(!diagnostics.contains { $0.id.hasPrefix("import-spec") }, "\(diagnostics)")
    }
}

/// Random manifests over what a manual setup can express: names, targets, libraries,
/// kconfig in every section, volumes, networks, cmd, env, an initrd, memory and vCPUs.
/// A SplitMix64 generator keeps every case reproducible from its seed.
struct ManifestGenerator {
    var rng: SplitMix64
    let forSpec05: Bool

    init(seed: UInt64, forSpec05: Bool = false) {
        rng = SplitMix64(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ 1)
        self.forSpec05 = forSpec05
    }

    mutating func next() -> UInt64 { rng.next() }

    mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func chance(_ percent: Int) -> Bool { int(100) < percent }
    mutating func pick<T>(_ items: [T]) -> T { items[int(items.count)] }
    mutating func subset<T>(_ items: [T], max: Int) -> [T] {
        var pool = items
        var out: [T] = []
        for _ in 0..<int(max + 1) where !pool.isEmpty { out.append(pool.remove(at: int(pool.count))) }
        return out
    }

    static let symbols = ["CONFIG_LIBUKDEBUG_PRINTK_INFO", "CONFIG_LIBVFSCORE", "CONFIG_LIBRAMFS", "CONFIG_LIBUKCPIO", "CONFIG_LIBDEVFS",
                          "CONFIG_LIBUKLIBPARAM", "CONFIG_LIBUKRANDOM", "CONFIG_LIBPOSIX_ENVIRON", "CONFIG_LIBUKNETDEV_EINFO_LIBPARAM",
                          "CONFIG_LIBUK9P", "CONFIG_LIB9PFS", "CONFIG_LIBUKSWRAND"]

    mutating func option() -> String {
        switch int(6) {
        case 0: return "CONFIG_STACK_SIZE_PAGE_ORDER=\(int(8) + 4)"
        case 1: return "CONFIG_LIBVFSCORE_ROOTDEV=\"fs\(int(3))\""
        case 2: return "CONFIG_LIBUKALLOC_IFSTATS=n"
        default: return "\(pick(Self.symbols))=\(pick(["y", "n"]))"
        }
    }

    mutating func word() -> String {
        pick(["hello", "/data/file.txt", "a b", "it's", "--port", "8080", "x=1", "\"quoted\"", "back\\slash", "ünï"])
    }

    mutating func manifest() -> String {
        let name = pick(["app", "hello-world", "my_app", "svc2"])
        var platforms: [(String, String)] = []
        for platform in ["qemu", "fc", "xen", "linuxu"] {
            for arch in ["x86_64", "arm64"] where chance(30) { platforms.append((platform, arch)) }
        }
        if platforms.isEmpty { platforms = [(pick(["qemu", "fc", "xen"]), pick(["x86_64", "arm64"]))] }
        let libraries = subset(["musl", "lwip", "compiler-rt", "libcxx", "sqlite", "newlib"], max: 3).filter { forSpec05 || $0 != "newlib" || true }
        let common = (0..<int(4)).map { _ in option() }
        var out = forSpec05 ? "specification: '0.5'\n" : "spec: v0.6\n"
        out += "name: \(name)\nunikraft:\n  version: stable\n"
        let automount = chance(50)
        var commonKconfig = common
        if automount { commonKconfig.append("CONFIG_LIBVFSCORE_AUTOMOUNT_UP=y") }
        if !commonKconfig.isEmpty { out += "  kconfig:\n" + commonKconfig.map { "    - '\($0)'\n" }.joined() }
        out += "targets:\n"
        for (platform, arch) in platforms {
            let options = chance(30) ? (0..<(int(2) + 1)).map { _ in option() } : []
            out += "  - platform: \(platform)\n    architecture: \(arch)\n"
            if !options.isEmpty { out += "    kconfig:\n" + options.map { "      - '\($0)'\n" }.joined() }
        }
        if !libraries.isEmpty {
            out += "libraries:\n" + libraries.map { "  \($0): stable\n" }.joined()
        }
        // Volumes: mount points only where the image can mount them.
        if forSpec05 {
            if chance(40) { out += "volumes:\n  guest_fs:\n    driver: 9pfs\n" }
        } else {
            var volumes: [String] = []
            if chance(40) {
                for (i, source) in ["./guest_fs", "./data", "/srv/share"].prefix(int(3) + 1).enumerated() {
                    volumes.append(automount && chance(70) ? "'\(source):\(i == 0 ? "/" : "/mnt\(i)")\(chance(20) ? ":ro" : "")'" : "{source: '\(source)'}")
                }
            }
            if chance(25) { volumes.append("{source: ./rootfs.cpio, driver: initrd}") }
            if !volumes.isEmpty { out += "volumes:\n" + volumes.map { "  - \($0)\n" }.joined() }
        }
        if chance(40) {
            let withAddress = chance(60)
            out += "networks:\n"
            for i in 0..<(int(2) + 1) {
                out += "  net\(i):\n"
                switch int(3) {
                case 0: out += "    bridge: virbr\(i)\n"
                case 1: out += "    driver: tap\n    interface: tap\(i)\n"
                default: out += "    driver: user\n"
                }
                if withAddress { out += "    ip: 10.0.\(i).2\n    netmask: 255.255.255.0\n" + (chance(50) ? "    gateway: 10.0.\(i).1\n" : "") }
            }
        }
        let parameters = chance(30) ? ["uklibparam.show=1"] : []
        let arguments = (0..<int(4)).map { _ in word() }
        if !parameters.isEmpty || !arguments.isEmpty {
            let cmd = parameters.isEmpty && !chance(30) ? arguments : parameters + ["--"] + arguments
            if forSpec05 {
                out += "arguments: " + yamlQuote(ShellQuote.join(cmd)) + "\n"
            } else {
                out += "cmd: [" + cmd.map(yamlQuote).joined(separator: ", ") + "]\n"
            }
        }
        if !forSpec05, chance(30) {
            out += "env:\n" + (0..<(int(2) + 1)).map { "  - " + yamlQuote("VAR\($0)=" + pick(["1", "hello world", "a=b", "x\"y"])) + "\n" }.joined()
        }
        if chance(40) {
            out += "x-manifestc:\n  memory: \(pick([8, 64, 128, 256, 1024]))\n" + (chance(40) ? "  vcpus: \(int(4) + 1)\n" : "")
        }
        return out
    }

    func yamlQuote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }
}
