import Foundation
import Manifest
import Planner
import Testing
import TestSupport
import Diagnostics
import Kconfig
@testable import Emitters

/// A property test: for every manifest field that reaches an emitted file, 1,000 generated
/// hostile strings are each either refused with a diagnostic the field allows, or come back
/// literally from every artifact, read the way its consumer reads it:
/// - launch.sh: its arrays as bash reads them, and the QEMU options its own code builds
///   (`-fsdev`, `-device`, `-netdev`, `-initrd`, `-append`), split as QEMU splits option
///   lists, with `-append` through Unikraft's tokenizer and libparam parser; linuxu's words
///   through the line `/bin/sh -c` runs on script's pseudo-terminal;
/// - Firecracker's JSON (the file, and the one launch.sh makes of it when arguments are given
///   at run time) through a JSON parser;
/// - Xen's `xl` strings and `p9`/`vif` specs as xl splits them;
/// - every Makefile line that carries a value, through GNU make itself;
/// - the seed through the `.config` reader.
/// A canary proves that nothing ran on the host.
@Suite(.tags(.slow)) struct HostileStringPropertyTests {
    static let casesPerField = 1_000
    /// launch.sh's code runs in bash for one case in this many (each case forks for every word).
    static let bashSample = 4

    /// Characters that matter to a shell, make, JSON, xl, Kconfig, QEMU or Unikraft's tokenizer.
    static let alphabet: [String] = ["a", "Z", "0", " ", "\t", "\n", "'", "\"", "\\", "$", "`", ";", "|", "&", "<", ">", "(", ")",
                                     "{", "}", "[", "]", "*", "?", "~", "!", "#", "=", ",", "-", "%", "é", "☃", "𝄞", "\r", ":", "/", "."]
    /// Whole attacks, as single letters of the alphabet.
    static let attacks: [String] = ["$(shell touch CANARY)", "$(touch CANARY)", "`touch CANARY`", ";touch CANARY;", ",helper=touch CANARY",
                                    ",script=/tmp/CANARY", "\n$(shell touch CANARY)\n", ")\nall:;touch CANARY\n#", "]", " ] ", "--", "${{ github.token }}"]
    /// What most paths are made of.
    static let plain: [String] = ["a", "b", "z", "0", "9", "-", "_", ".", "/", "+", "@", "X"]

    struct Generator {
        var rng: SplitMix64
        mutating func next() -> UInt64 { rng.next() }
        mutating func pick(_ letters: [String]) -> String { letters[Int(next() % UInt64(letters.count))] }
        /// Every letter hostile.
        mutating func hostile() -> String {
            (0..<Int(next() % 11)).map { _ in pick(HostileStringPropertyTests.alphabet + HostileStringPropertyTests.attacks) }.joined()
        }
        /// Mostly `plain` letters, one in eight hostile: for fields with strict rules, so that
        /// many values pass and are read back.
        mutating func mostlyPlain(_ plain: [String]) -> String {
            (0..<Int(1 + next() % 12)).map { _ in
                next() % 8 == 0 ? pick(HostileStringPropertyTests.alphabet + HostileStringPropertyTests.attacks) : pick(plain)
            }.joined()
        }
    }

    enum Field: String, CaseIterable {
        case applicationArgument, kernelParameter, environmentValue, environmentName, volumePath, kconfigString
        case bridgeName, tapName, networkAddress, xenVolumePath, initrdPath, unikraftSource, librarySource, appName, targetName

        /// Fields whose rules refuse most hostile strings get mostly plain letters.
        var plainLetters: [String]? {
            switch self {
            case .bridgeName, .tapName: ["a", "b", "z", "X", "0", "9", "-", "_", "."]
            case .environmentName: ["a", "b", "z", "X", "0", "9", "_"]
            case .networkAddress: ["1", "2", "5"]
            case .unikraftSource, .librarySource, .xenVolumePath: HostileStringPropertyTests.plain
            default: nil
            }
        }

        /// The diagnostics that may refuse a value of this field.
        var refusals: Set<String> {
            switch self {
            case .applicationArgument, .kernelParameter, .environmentValue: ["xen-control-character", "argument-nul", "cmdline-list-open"]
            case .environmentName: ["env-name", "duplicate-key"]
            case .volumePath: ["path-control-character"]
            case .kconfigString: ["kconfig-value"]
            case .bridgeName, .tapName: ["network-interface-name"]
            case .networkAddress: ["network-address"]
            case .xenVolumePath: ["path-control-character", "xen-path-comma"]
            case .initrdPath: ["path-control-character", "initrd-path-space"]
            case .unikraftSource, .librarySource: ["make-path", "library-name"]
            case .appName: ["name-empty"]
            case .targetName: ["name-not-component", "target-name-reserved", "target-duplicate"]
            }
        }
    }

    static let allPlatforms = "targets: [qemu/x86_64, fc/x86_64, xen/x86_64]\n"

    /// The manifest for one case. `$` is written `$$`: interpolation is not what is tested.
    static func manifest(_ field: Field, _ raw: String) -> String {
        let value = raw.replacingOccurrences(of: "$", with: "$$")
        let v = DocumentValue.jsonString(value)
        let head = "spec: v0.6\nname: app\n"
        switch field {
        case .applicationArgument: return head + allPlatforms + "cmd: [\"--\", \(v)]\n"
        case .kernelParameter: return head + allPlatforms + "cmd: [\(DocumentValue.jsonString("lib.p=" + value)), \"--\", x]\n"
        case .environmentValue: return head + allPlatforms + "env: {V: \(v), W: plain}\n"
        case .environmentName: return head + allPlatforms + "env: {\(v): value}\n"
        case .volumePath: return head + "targets: [qemu/x86_64]\nvolumes: [{source: \(DocumentValue.jsonString("./d" + value)), destination: /data}]\n"
        case .kconfigString: return head + "unikraft: {kconfig: {CONFIG_S: \(DocumentValue.jsonString("s" + value))}}\ntargets: [qemu/x86_64]\n"
        case .bridgeName: return head + allPlatforms + "networks: [{bridge: \(v)}]\n"
        case .tapName: return head + allPlatforms + "networks: [{driver: tap, interface: \(v)}]\n"
        case .networkAddress: return head + allPlatforms + "networks: [{ip: \(DocumentValue.jsonString("10.0.0." + value)), gateway: 10.0.0.1}]\n"
        case .xenVolumePath: return head + allPlatforms + "volumes: [{source: \(DocumentValue.jsonString("./d" + value)), destination: /data}]\n"
        case .initrdPath: return head + allPlatforms + "volumes: [{source: \(DocumentValue.jsonString("./i" + value)), driver: initrd}]\n"
        case .unikraftSource: return head + "unikraft: {source: \(DocumentValue.jsonString("./u" + value))}\ntargets: [qemu/x86_64]\n"
        case .librarySource: return head + "libraries: {foo: {source: \(DocumentValue.jsonString("./l" + value))}}\ntargets: [qemu/x86_64]\n"
        case .appName: return "spec: v0.6\nname: \(DocumentValue.jsonString("a" + value))\n" + allPlatforms
        case .targetName: return head + "targets: [{name: \(DocumentValue.jsonString("t" + value)), platform: qemu, architecture: x86_64}, xen/x86_64]\n"
        }
    }

    /// `path` as launch.sh's `absolute` makes it, for an app folder `/APP`.
    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : "/APP/" + (path.hasPrefix("./") ? String(path.dropFirst(2)) : path)
    }

    /// `path` as make's `$(abspath …)` makes it: `.`, `..` and repeated `/` resolved.
    static func makeAbspath(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == ".." { _ = parts.popLast(); continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// The functions of launch.sh and the part of `run_qemu` that builds QEMU's options, as
    /// a bash function `probe` that prints the options (the lines are the script's own).
    static func qemuProbe(_ launch: String) throws -> String {
        let functions = try #require(launch.range(of: "absolute() {").flatMap { start in launch.range(of: "\nrun() {").map { launch[start.lowerBound..<$0.lowerBound] } })
        let body = try #require(launch.range(of: "    local virtio=").flatMap { start in
            launch.range(of: "[ -z \"$line\" ] || cmd+=(-append \"$line\")\n", range: start.upperBound..<launch.endIndex).map { launch[start.lowerBound..<$0.upperBound] }
        })
        return String(functions) + "\ndie() { printf 'die: %s\\n' \"$2\" >&2; exit \"$1\"; }\nprobe() {\n    cmd=()\n" + body + "}\n"
    }

    /// The Firecracker configuration launch.sh writes when arguments are given at run time (the
    /// emitted file `$1` with its own `boot_args` and memory put in place), as a bash function `fcprobe`.
    static func firecrackerProbe(_ launch: String) throws -> String {
        let line = try #require(launch.range(of: "[ \"$args_given\" = 0 ] || overrides+=(boot_args ").map { start in
            launch[start.upperBound..<launch[start.upperBound...].firstIndex(of: "\n")!].dropLast()
        })
        return "fcprobe() {\n    config_with \"$1\" boot_args \(line) mem_size_mib \"$memory\"\n}\n"
    }

    /// The settings launch.sh assigns for target `id` (the body of its `case` branch).
    static func caseBody(_ launch: String, _ id: String) throws -> String {
        // The label lists the target's spellings, its id first: `'id'|'name'|'qemu/x86_64'|…)`.
        let id = try #require(launch.range(of: "\n    \(ShellQuote.quote(id))"))
        let label = try #require(launch.range(of: ")\n        id=", range: id.upperBound..<launch.endIndex))
        let start = launch.index(label.upperBound, offsetBy: -"id=".count)
        // Interface names hold no line break: the networks line is the last one.
        let networks = try #require(launch.range(of: "\n        networks=(", range: start..<launch.endIndex))
        let end = try #require(launch.range(of: "\n        ;;\n", range: networks.upperBound..<launch.endIndex))
        return String(launch[start..<end.lowerBound])
    }

    /// launch.sh's whole `case "$target" in … esac`, without its fallback branch.
    static func targetCases(_ launch: String) throws -> String {
        let start = try #require(launch.range(of: "case \"$target\" in\n"))
        let end = try #require(launch.range(of: "    *) die 2 \"unknown target", range: start.upperBound..<launch.endIndex))
        return String(launch[start.upperBound..<end.lowerBound])
    }

    /// What one accepted case must read back, checked after the batch runs.
    struct Expectation {
        var value: String
        var qemu: TargetPlan
        var fc: TargetPlan?
    }

    @Test(arguments: Field.allCases)
    func hostileValuesAreRefusedOrComeBackLiterally(_ field: Field) throws {
        var generator = Generator(rng: SplitMix64(seed: 0xC0FFEE ^ UInt64(field.rawValue.count) ^ (UInt64(field.rawValue.unicodeScalars.first!.value) << 8)))
        let folder = try temporaryFolder()
        var launchProbe: String?
        var bash: [String] = []
        var expectations: [Expectation] = []
        var makeLines: [String] = []
        var makeExpected: [String: (String) -> String] = [:]
        var rejected = 0
        var selections: [(script: String, image: String)] = []
        for n in 0..<Self.casesPerField {
            let value = field.plainLetters.map { generator.mostlyPlain($0) } ?? generator.hostile()
            let loaded = ManifestLoader().load(Array(Self.manifest(field, value).utf8), file: "kraft.yaml")
            guard let m = loaded.manifest else {
                #expect(loaded.diagnostics.allSatisfy { $0.severity != .error || field.refusals.contains($0.id) }, "\(field) \(value.debugDescription): \(loaded.diagnostics)")
                rejected += 1
                continue
            }
            // The driver passes a local core as found (`MakefileTree.manifestSource`): its path becomes UK_ROOT's default.
            var environment = PlanEnvironment(fileSystem: InMemoryKconfigFileSystem())
            if let source = m.unikraft?.source?.value { environment.makefileTree = .manifestSource(written: source, resolved: "/" + source) }
            let (plan, planDiagnostics) = Planning.plan(m, environment: environment)
            let errors = (loaded.diagnostics + planDiagnostics).filter { $0.severity == .error }
            if !errors.isEmpty {
                #expect(errors.allSatisfy { field.refusals.contains($0.id) && $0.location != nil }, "\(field) \(value.debugDescription): \(errors)")
                rejected += 1
                continue
            }
            let ukRoot = m.unikraft?.source?.value ?? ".unikraft/unikraft"
            #expect(plan.makefileDefaults.ukRoot == ukRoot)
            let files = Dictionary(uniqueKeysWithValues: Artifact.emit([.launch, .firecracker, .xen, .defconfig, .makefile], plan: plan).map { ($0.path, $0.contents) })
            let target = plan.targets[0]
            let launch = try #require(files["launch.sh"])
            if launchProbe == nil { launchProbe = try Self.qemuProbe(launch) + Self.firecrackerProbe(launch) }

            // launch.sh: the first target's settings, then the QEMU options and the
            // Firecracker JSON its own code builds from them, in bash (which forks for every
            // word: one case in `bashSample`).
            let fc = plan.targets.first { $0.platform == .fc }
            if n % Self.bashSample == 0 {
                bash.append(try Self.caseBody(launch, target.id))
                bash.append("args=(${default_args[@]+\"${default_args[@]}\"}); ports=(); app_dir=/APP; kernel=/K; memory=64; vcpus=1")
                bash.append("probe; printf '%s\\0' \"${cmd[@]}\"; printf '\\1'")
                // The words of linuxu's command (after the word '-'), through the line /bin/sh runs
                // on script's pseudo-terminal.
                bash.append("cmdline_words; /bin/sh -c \"$(pty_command printf '%s\\0' - ${words[@]+\"${words[@]}\"})\" </dev/null; printf '\\1'")
                if let fc, let config = fc.vmmConfigFile {
                    try #require(files[config]).write(to: folder.appendingPathComponent("fc\(n).json"), atomically: true, encoding: .utf8)
                    bash.append(try Self.caseBody(launch, fc.id))
                    bash.append("args=(${default_args[@]+\"${default_args[@]}\"}); fcprobe fc\(n).json; rm fc\(n).json; printf '\\1'")
                } else {
                    bash.append("printf '\\1'")
                }
                expectations.append(Expectation(value: value, qemu: target, fc: fc))
                if field == .targetName {
                    // launch.sh's TARGET takes the name as written: its case selects this target.
                    selections.append(("target=\(ShellQuote.quote("t" + value)); image=none; case \"$target\" in\n\(try Self.targetCases(launch))    *) ;;\nesac; printf '%s\\1' \"$image\"",
                                       "build/\(target.id)/\(target.imageName)"))
                }
            }

            // Unikraft's tokenizer reads the value back from every command line.
            let words = KernelCommandLine.head(name: target.imageName, parameters: target.run.kernelParameters, argv0Supplied: target.run.argv0Supplied).words(arguments: target.run.applicationArguments)
            #expect(ConsumerReaders.unikraftTokens(KernelCommandLine.head(name: target.imageName, parameters: target.run.kernelParameters, argv0Supplied: target.run.argv0Supplied).render(arguments: target.run.applicationArguments)) == words, "\(field) \(value.debugDescription)")
            // Firecracker's file.
            if let fc, let json = files["\(fc.id).json"] {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any], "\(field) \(value.debugDescription)")
                let boot = try #require(object["boot-source"] as? [String: Any])
                let tokens = ConsumerReaders.unikraftTokens(try #require(boot["boot_args"] as? String))
                #expect(Array(tokens.suffix(fc.run.applicationArguments.count)) == fc.run.applicationArguments, "\(field) \(value.debugDescription)")
                #expect(boot["initrd_path"] as? String == fc.run.initrd)
                let devices = (object["network-interfaces"] as? [[String: Any]])?.compactMap { $0["host_dev_name"] as? String }
                let taps = fc.run.networks.enumerated().map { i, n in if case .tap(let name) = n.mode { return name } else { return "tap\(i)" } }
                #expect(devices == taps, "\(field) \(value.debugDescription)")
            }
            // Xen: the command line, the ramdisk, and the p9 and vif specs as xl splits them.
            if let xen = plan.targets.first(where: { $0.platform == .xen }), let cfg = files["\(xen.id).cfg"] {
                let lines = cfg.split(separator: "\n")
                let line = try #require(lines.first { $0.hasPrefix("cmdline = ") })
                #expect(ConsumerReaders.unikraftTokens(ConsumerReaders.xlString(line.dropFirst("cmdline = ".count))) == KernelCommandLine.head(name: xen.imageName, parameters: xen.run.kernelParameters, argv0Supplied: xen.run.argv0Supplied).words(arguments: xen.run.applicationArguments),
                    "\(field) \(value.debugDescription)")
                #expect(lines.first { $0.hasPrefix("ramdisk = ") }.map { ConsumerReaders.xlString($0.dropFirst("ramdisk = ".count)) } == xen.run.initrd)
                let p9 = lines.first { $0.hasPrefix("p9 = ") }.map { ConsumerReaders.xlList($0).map(ConsumerReaders.xlSpec) } ?? []
                #expect(p9.map { $0.map(\.key) } == xen.run.shares.map { _ in ["tag", "security_model", "path"] }, "\(field) \(value.debugDescription)")
                #expect(p9.map { $0.last?.value } == xen.run.shares.map(\.hostPath), "\(field) \(value.debugDescription)")
                let vif = lines.first { $0.hasPrefix("vif = ") }.map { ConsumerReaders.xlList($0).map(ConsumerReaders.xlSpec) } ?? []
                let bridges = xen.run.networks.compactMap { n -> String? in if case .bridge(let b) = n.mode { return b } else { return nil } }
                #expect(vif.map { $0.map(\.key) } == bridges.map { _ in ["bridge"] } && vif.map { $0.first?.value } == bridges, "\(field) \(value.debugDescription)")
            }
            if field == .kconfigString {
                let seed = try #require(files["defconfig.\(target.id)"])
                let assignment = try #require(ConfigReader.read(seed, file: "seed").assignments.first { $0.name == "S" })
                #expect(assignment.value == .raw(ConfigWriter.quote("s" + value)), "\(value.debugDescription)")
                #expect(seed.split(separator: "\n").filter { $0.hasPrefix("CONFIG_") }.count == 4, "one line per symbol")
            }
            // The Makefile: every line that carries a value, renamed for this case, for one make run.
            let makefile = try #require(files["Makefile"])
            for line in makefile.split(separator: "\n") {
                for variable in ["APP_DIR :=", "UK_ROOT ?=", "UK_LIBS ?=", "LIBS :=", "TARGETS :=", "\(target.id)_ARGS :="] where line.hasPrefix(variable) {
                    makeLines.append("C\(n)_" + line.replacingOccurrences(of: "$(UK_LIBS)", with: "$(C\(n)_UK_LIBS)"))
                }
            }
            func dir(_ path: String) -> (String) -> String { { here in path.hasPrefix("/") ? path : Self.makeAbspath(here + "/" + path) } }
            makeExpected["C\(n)_APP_DIR"] = { here in here }
            makeExpected["C\(n)_UK_ROOT"] = dir(ukRoot)
            makeExpected["C\(n)_LIBS"] = { here in plan.libraries.map { $0.isLocalPath ? dir($0.folder)(here) : here + "/.unikraft/libs/" + $0.folder }.joined(separator: ":") }
            makeExpected["C\(n)_TARGETS"] = { _ in plan.targets.map(\.id).joined(separator: " ") }
            makeExpected["C\(n)_\(target.id)_ARGS"] = { here in "C=\(here)/.config.\(target.id) O=\(here)/build/\(target.id) N=\(target.makeName)" }
        }

        // bash runs every case's settings through launch.sh's own code.
        let script = try #require(launchProbe) + "cd \(ShellQuote.quote(folder.path))\n" + bash.joined(separator: "\n") + "\n"
        let scriptFile = folder.appendingPathComponent("probe.sh")
        try script.write(to: scriptFile, atomically: true, encoding: .utf8)
        let result = try Subprocess.run("/bin/bash", [scriptFile.path])
        try? FileManager.default.removeItem(at: scriptFile)
        #expect(result.status == 0, "\(result.stderr.prefix(500))")
        let chunks = result.stdout.split(separator: "\u{1}", omittingEmptySubsequences: false)
        #expect(chunks.count == 3 * expectations.count + 1, "\(result.stderr.prefix(300))")
        func words(_ chunk: Substring) -> [String] {
            var argv = chunk.split(separator: "\0", omittingEmptySubsequences: false).map(String.init)
            if argv.last == "" { argv.removeLast() }
            return argv
        }
        for (i, expected) in expectations.enumerated() where 3 * i + 2 < chunks.count {
            check(qemu: words(chunks[3 * i]), expected.qemu, field, expected.value)
            let run = expected.qemu.run
            #expect(words(chunks[3 * i + 1]) == ["-"] + KernelCommandLine.head(name: expected.qemu.imageName, parameters: run.kernelParameters, argv0Supplied: run.argv0Supplied).words(arguments: run.applicationArguments),
                    "\(field) \(expected.value.debugDescription): linuxu's command through /bin/sh")
            if let fc = expected.fc { check(firecracker: String(chunks[3 * i + 2]), fc, field, expected.value) }
        }

        if !selections.isEmpty {
            let selected = try Subprocess.run("/bin/bash", ["-s"], input: "die() { exit 9; }\n" + selections.map(\.script).joined(separator: "\n") + "\n")
            #expect(selected.stdout.split(separator: "\u{1}", omittingEmptySubsequences: false).dropLast().map(String.init) == selections.map(\.image), "\(selected.stderr.prefix(300))")
        }

        // GNU make reads every Makefile line back.
        if !makeLines.isEmpty {
            let here = "HERE := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))\n"
            let values = try ConsumerReaders.makeVariables(here + makeLines.joined(separator: "\n"), ["HERE"] + makeExpected.keys.sorted(), in: folder)
            let makeHere = try #require(values["HERE"])
            for (name, want) in makeExpected.sorted(by: { $0.key < $1.key }) {
                #expect(values[name] == want(makeHere), "\(field) \(name): make read \(values[name].debugDescription), the plan holds \(want(makeHere).debugDescription)")
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix("Probe-") }.isEmpty, "something ran on the host")
        #expect(rejected < Self.casesPerField * 9 / 10, "\(rejected) of \(Self.casesPerField) cases were refused: the generator tests too little")
    }

    /// QEMU's options as launch.sh built them, against the plan.
    func check(qemu argv: [String], _ target: TargetPlan, _ field: Field, _ value: String) {
        func values(_ option: String) -> [String] { argv.indices.filter { argv[$0] == option && $0 + 1 < argv.count }.map { argv[$0 + 1] } }
        let run = target.run
        let fsdevs = values("-fsdev").map(ConsumerReaders.qemuOptions)
        #expect(fsdevs.map { $0.first { $0.key == "path" }?.value } == run.shares.map { Self.absolute($0.hostPath) }, "\(field) \(value.debugDescription): \(argv)")
        #expect(fsdevs.allSatisfy { $0.map(\.key) == ["local", "id", "path", "security_model"] || $0.map(\.key) == ["local", "id", "path", "security_model", "readonly"] }, "\(field) \(value.debugDescription)")
        let tags = values("-device").map(ConsumerReaders.qemuOptions).filter { $0.first?.key == "virtio-9p-pci" }.map { $0.first { $0.key == "mount_tag" }?.value }
        #expect(tags == run.shares.map(\.tag))
        let netdevs = values("-netdev").map(ConsumerReaders.qemuOptions)
        #expect(netdevs.count == run.networks.count, "\(field) \(value.debugDescription): \(argv)")
        for (netdev, network) in zip(netdevs, run.networks) {
            switch network.mode {
            case .bridge(let name): #expect(netdev.map(\.key) == ["bridge", "id", "br"] && netdev.last?.value == name, "\(field) \(value.debugDescription): \(netdev)")
            case .tap(let name): #expect(netdev.map(\.key) == ["tap", "id", "ifname", "script", "downscript"] && netdev[2].value == name, "\(field) \(value.debugDescription): \(netdev)")
            case .user: #expect(netdev.first?.key == "user")
            }
        }
        #expect(values("-initrd").map(ConsumerReaders.multibootModules) == (run.initrd.map { [[Self.absolute($0)]] } ?? []), "\(field) \(value.debugDescription): \(argv)")
        let words = KernelCommandLine.head(name: target.imageName, parameters: run.kernelParameters, argv0Supplied: run.argv0Supplied).words(arguments: run.applicationArguments)
        let append = values("-append")
        #expect(append.map(ConsumerReaders.unikraftTokens) == (words.isEmpty ? [] : [words]), "\(field) \(value.debugDescription): \(append)")
        // libparam reads the parameters the plan meant, whatever the values hold.
        if let line = append.first {
            let (parameters, arguments) = ConsumerReaders.libparams(Array(ConsumerReaders.unikraftTokens(line).dropFirst()))
            #expect(arguments == run.applicationArguments || run.kernelParameters.isEmpty, "\(field) \(value.debugDescription)")
            let env = run.kernelParameters.contains("env.vars=[") || run.kernelParameters.contains { $0.hasPrefix("env.vars=") }
            if env, field == .environmentValue {
                #expect(Set(parameters["env.vars"] ?? []) == ["V=" + value, "W=plain"], "\(field) \(value.debugDescription): \(line)")
            }
        }
    }

    /// The JSON launch.sh writes for Firecracker, against the plan.
    func check(firecracker json: String, _ target: TargetPlan, _ field: Field, _ value: String) {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] else {
            Issue.record("\(field) \(value.debugDescription): launch.sh wrote JSON that does not parse: \(json)")
            return
        }
        let boot = object["boot-source"] as? [String: Any]
        let run = target.run
        let words = target.commandLine.words(arguments: run.applicationArguments)
        #expect((boot?["boot_args"] as? String).map(ConsumerReaders.unikraftTokens) == words, "\(field) \(value.debugDescription)")
        #expect(boot?["initrd_path"] as? String == run.initrd)
        #expect((object["machine-config"] as? [String: Any])?["mem_size_mib"] as? Int == 64)
        let devices = (object["network-interfaces"] as? [[String: Any]])?.compactMap { $0["host_dev_name"] as? String }
        #expect(devices == run.networks.enumerated().map { i, n in if case .tap(let name) = n.mode { return name } else { return "tap\(i)" } }, "\(field) \(value.debugDescription)")
    }
}
