import Foundation
import Manifest
import Planner
import Testing
import TestSupport
@testable import Emitters

/// A property test: for every manifest field that reaches an emitted file, 1,000 generated
/// hostile strings each come back literally from every artifact — launch.sh's arrays as
/// bash reads them, Firecracker's JSON and Xen's xl strings through Unikraft's command-line
/// tokenizer, the seed through the .config reader — and nothing runs on the host.
@Suite struct HostileStringPropertyTests {
    static let casesPerField = 1_000

    /// Characters that matter to a shell, make, JSON, xl, Kconfig or Unikraft's tokenizer.
    static let alphabet: [String] = ["a", "Z", "0", " ", "\t", "\n", "'", "\"", "\\", "$", "`", ";", "|", "&", "<", ">", "(", ")",
                                     "{", "}", "[", "]", "*", "?", "~", "!", "#", "=", ",", "-", "%", "é", "☃", "𝄞", "\r"]

    struct Generator {
        var rng: SplitMix64
        mutating func next() -> UInt64 { rng.next() }
        mutating func string() -> String {
            let length = Int(next() % 11)
            return (0..<length).map { _ in HostileStringPropertyTests.alphabet[Int(next() % UInt64(HostileStringPropertyTests.alphabet.count))] }.joined()
        }
    }

    /// Unikraft's command-line tokenizer (lib/ukargparse): whitespace splits outside quotes;
    /// '…' and "…" group; `\` escapes outside single quotes; inside double quotes only `\"` and `\\`.
    static func unikraftTokens(_ line: String) -> [String] {
        var tokens: [String] = [], current = "", inToken = false
        var quote: Character?
        var chars = Array(line)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if let q = quote {
                if c == q { quote = nil }
                else if q == "\"", c == "\\", i + 1 < chars.count, chars[i + 1] == "\"" || chars[i + 1] == "\\" { current.append(chars[i + 1]); i += 1 }
                else { current.append(c) }
            } else if c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{0B}" || c == "\r\n" {
                if inToken { tokens.append(current); current = ""; inToken = false }
            } else if c == "'" || c == "\"" {
                quote = c; inToken = true
            } else if c == "\\", i + 1 < chars.count {
                current.append(chars[i + 1]); i += 1; inToken = true
            } else {
                current.append(c); inToken = true
            }
            i += 1
        }
        if inToken { tokens.append(current) }
        chars.removeAll()
        return tokens
    }

    /// An xl string (double quotes, `\"` and `\\`), unquoted.
    static func xlString(_ quoted: Substring) -> String {
        var out = "", escaped = false
        for c in quoted.dropFirst().dropLast() {
            if escaped { out.append(c); escaped = false } else if c == "\\" { escaped = true } else { out.append(c) }
        }
        return out
    }

    enum Field: String, CaseIterable {
        case applicationArgument, kernelParameter, environmentValue, volumePath, kconfigString
    }

    /// The manifest for one case. `$` is written `$$`: interpolation is not what is tested.
    static func manifest(_ field: Field, _ raw: String) -> String {
        let value = raw.replacingOccurrences(of: "$", with: "$$")
        let v = DocumentValue.jsonString(value)
        switch field {
        case .applicationArgument: return "spec: v0.6\nname: app\ntargets: [qemu/x86_64, fc/x86_64, xen/x86_64]\ncmd: [\"--\", \(v)]\n"
        case .kernelParameter: return "spec: v0.6\nname: app\ntargets: [qemu/x86_64, fc/x86_64, xen/x86_64]\ncmd: [\(DocumentValue.jsonString("lib.p=" + value)), \"--\", x]\n"
        case .environmentValue: return "spec: v0.6\nname: app\ntargets: [qemu/x86_64, fc/x86_64, xen/x86_64]\nenv: {V: \(v)}\n"
        case .volumePath: return "spec: v0.6\nname: app\ntargets: [qemu/x86_64]\nvolumes: [{source: \(DocumentValue.jsonString("./d" + value)), destination: /data}]\n"
        case .kconfigString: return "spec: v0.6\nname: app\nunikraft: {kconfig: {CONFIG_S: \(DocumentValue.jsonString("s" + value))}}\ntargets: [qemu/x86_64]\n"
        }
    }

    @Test(arguments: Field.allCases)
    func hostileValuesComeBackLiterally(_ field: Field) throws {
        var generator = Generator(rng: SplitMix64(seed: 0xC0FFEE ^ UInt64(field.rawValue.count)))
        var bashLines: [String] = []
        var expectedArrays: [[String]] = []
        var rejected = 0
        for _ in 0..<Self.casesPerField {
            let value = generator.string()
            let loaded = ManifestLoader().load(Array(Self.manifest(field, value).utf8), file: "kraft.yaml")
            let m = try #require(loaded.manifest, "\(field) \(value.debugDescription): \(loaded.diagnostics)")
            let (plan, planDiagnostics) = Planning.plan(m)
            let errors = (loaded.diagnostics + planDiagnostics).filter { $0.severity == .error }
            let hasControl = value.unicodeScalars.contains { $0.properties.generalCategory == .control && $0 != "\t" }
            if !errors.isEmpty {
                // Only line breaks and control characters may be refused (a .config line, an xl string).
                #expect(hasControl || value.unicodeScalars.contains { $0.properties.generalCategory == .control }, "\(field) \(value.debugDescription): \(errors)")
                #expect(errors.allSatisfy { ["kconfig-value", "xen-control-character"].contains($0.id) }, "\(errors)")
                rejected += 1
                continue
            }
            let files = Dictionary(uniqueKeysWithValues: Artifact.emit([.launch, .firecracker, .xen, .defconfig], plan: plan).map { ($0.path, $0.contents) })
            for (path, contents) in files {
                let header = contents.split(separator: "\n").prefix(2).joined()
                #expect(!header.contains("\r"), "\(path)")
                _ = path
            }
            let target = plan.targets[0]
            let launch = try #require(files["launch.sh"])
            // The assignments of the first target, evaluated by bash later in one go. A quoted
            // value may hold line breaks: each assignment runs up to the next variable's line.
            let order = ["params", "default_args", "shares", "share_tags"]
            for (i, name) in order.dropLast().enumerated() {
                let start = try #require(launch.range(of: "\(name)=("))
                let end = try #require(launch.range(of: "\n" + String(repeating: " ", count: 8) + order[i + 1] + "=(", range: start.upperBound..<launch.endIndex))
                bashLines.append(String(launch[start.lowerBound..<end.lowerBound]))
                bashLines.append("for x in ${\(name)[@]+\"${\(name)[@]}\"}; do printf '%s\\0' \"$x\"; done; printf '\\1'")
            }
            expectedArrays.append(target.run.kernelParameters)
            expectedArrays.append(target.run.applicationArguments)
            expectedArrays.append(target.run.shares.map(\.hostPath))
            // Unikraft's tokenizer reads the value back from every command line.
            let words = KernelCommandLine.words(name: target.imageName, parameters: target.run.kernelParameters,
                                                arguments: target.run.applicationArguments, argv0Supplied: target.run.argv0Supplied)
            #expect(Self.unikraftTokens(KernelCommandLine.render(name: target.imageName, run: target.run)) == words, "\(field) \(value.debugDescription)")
            if let fc = plan.targets.first(where: { $0.platform == .fc }), let json = files["\(fc.id).json"] {
                let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
                let boot = try #require((object?["boot-source"] as? [String: Any])?["boot_args"] as? String)
                let tokens = Self.unikraftTokens(boot)
                #expect(Array(tokens.suffix(fc.run.applicationArguments.count)) == fc.run.applicationArguments, "\(field) \(value.debugDescription): \(boot)")
            }
            if let xen = plan.targets.first(where: { $0.platform == .xen }), let cfg = files["\(xen.id).cfg"] {
                let line = try #require(cfg.split(separator: "\n").first { $0.hasPrefix("cmdline = ") })
                #expect(Self.unikraftTokens(Self.xlString(line.dropFirst("cmdline = ".count))) == KernelCommandLine.words(
                    name: xen.imageName, parameters: xen.run.kernelParameters, arguments: xen.run.applicationArguments, argv0Supplied: xen.run.argv0Supplied),
                    "\(field) \(value.debugDescription)")
            }
            if field == .kconfigString {
                let seed = try #require(files["defconfig.\(target.id)"])
                let assignment = try #require(ConfigReader.read(seed, file: "seed").assignments.first { $0.name == "S" })
                #expect(assignment.value == .raw(ConfigWriter.quote("s" + value)), "\(value.debugDescription)")
                #expect(seed.split(separator: "\n").filter { $0.hasPrefix("CONFIG_") }.count == 4, "one line per symbol")
            }
        }
        // bash reads every array back; a canary proves nothing ran.
        let folder = try temporaryFolder()
        let script = "cd \(ShellQuote.quote(folder.path))\n" + bashLines.joined(separator: "\n") + "\n"
        let scriptFile = FileManager.default.temporaryDirectory.appendingPathComponent("manifestc-hostile-\(UUID().uuidString).sh")
        try script.write(to: scriptFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: scriptFile) }
        let result = try runProcess("/bin/bash", [scriptFile.path])
        #expect(result.status == 0, "\(result.stderr.prefix(500))")
        let arrays = result.stdout.split(separator: "\u{1}", omittingEmptySubsequences: false).dropLast().map { chunk -> [String] in
            var items = chunk.split(separator: "\0", omittingEmptySubsequences: false).map(String.init)
            if items.last == "" { items.removeLast() }
            return items
        }
        #expect(arrays.count == expectedArrays.count)
        for (got, want) in zip(arrays, expectedArrays) where got != want {
            Issue.record("bash read \(got) where launch.sh holds \(want)")
            break
        }
        #expect((try FileManager.default.contentsOfDirectory(atPath: folder.path)).isEmpty, "something ran on the host")
        #expect(rejected < Self.casesPerField / 2, "\(rejected) of \(Self.casesPerField) cases were refused: the generator tests too little")
    }
}
