import Foundation
import Testing
import TestSupport
import Diagnostics
@testable import Manifest

/// Keeps `Schemas/kraftfile-v0.X.schema.json` in step with the decoder: the same keys at
/// every level (`ManifestKeys`), and the same verdict as `manifestc validate --strict` on
/// the fixtures in `Fixtures/schema/` and on the shared corpus of real manifests.
///
/// The schema side runs Debian's `python3-jsonschema` (`/usr/bin/python3`, one process per
/// test) on each file's YAML converted with `YAMLNode.document` (YAML 1.1 typing).
@Suite struct SchemaTests {
    // MARK: - Keys

    /// A level of the manifest with a fixed set of keys, where the schema lists it, and
    /// the keys the decoder knows there.
    struct Level: CustomStringConvertible {
        var name: String
        var path: [String]
        var keys: [String]
        var description: String { name }
    }

    static func levels(_ spec: SpecVersion) -> [Level] {
        var levels = [
            Level(name: "top level", path: ["properties"], keys: ManifestKeys.topLevel(spec)),
            Level(name: "component", path: ["$defs", "component", "properties"], keys: ManifestKeys.component),
            Level(name: "named volume", path: ["$defs", "namedVolume", "properties"], keys: ManifestKeys.namedVolume),
            Level(name: "volume", path: ["$defs", "volume", "properties"], keys: ManifestKeys.volume),
            Level(name: "network", path: ["$defs", "network", "properties"], keys: ManifestKeys.network),
            Level(name: "x-manifestc", path: ["$defs", "manifestcExtension", "properties"], keys: ManifestKeys.manifestcExtension),
        ]
        if spec == .v0_4 {
            levels += [
                Level(name: "architecture entry", path: ["$defs", "architectureEntry", "properties"], keys: ManifestKeys.architectureEntry),
                Level(name: "platform entry", path: ["$defs", "platformEntry", "properties"], keys: ManifestKeys.platformEntry),
                Level(name: "run", path: ["$defs", "run", "properties"], keys: ManifestKeys.run),
            ]
        } else {
            levels.append(Level(name: "target", path: ["$defs", "targetMap", "properties"], keys: ManifestKeys.target(spec)))
        }
        if spec >= .v0_6 {
            levels += [
                Level(name: "template", path: ["$defs", "template", "properties"], keys: ManifestKeys.template),
                Level(name: "rootfs", path: ["$defs", "rootfs", "properties"], keys: ManifestKeys.rootfs),
                Level(name: "rootfs source", path: ["$defs", "rootfsSource", "properties"], keys: ManifestKeys.rootfsSource),
            ]
        }
        return levels
    }

    @Test("schema keys equal ManifestKeys", arguments: SpecVersion.allCases)
    func keysInStep(_ spec: SpecVersion) throws {
        let schema = try Self.loadSchema(spec)
        let file = "kraftfile-v\(spec.rawValue).schema.json"
        for level in Self.levels(spec) {
            let parentPath = Array(level.path.dropLast())
            guard let properties = Self.value(at: level.path, in: schema) as? [String: Any],
                  let parent = Self.value(at: parentPath, in: schema) as? [String: Any] else {
                Issue.record("\(file): no '\(level.path.joined(separator: "/"))' for the \(level)")
                continue
            }
            let inSchema = Set(properties.keys)
            let inDecoder = Set(level.keys)
            for key in inDecoder.subtracting(inSchema).sorted() {
                Issue.record("\(file), \(level): key '\(key)' is in ManifestKeys but missing from the schema")
            }
            for key in inSchema.subtracting(inDecoder).sorted() {
                Issue.record("\(file), \(level): key '\(key)' is in the schema but not in ManifestKeys (the decoder rejects it)")
            }
            #expect(parent["additionalProperties"] as? Bool == false, "\(file), \(level): other keys must be rejected (additionalProperties: false)")
            #expect((parent["patternProperties"] as? [String: Any])?["^x-"] != nil, "\(file), \(level): 'x-*' keys must be allowed")
        }
        // Every closed map in the schema is one of the levels checked above.
        let checked = Set(Self.levels(spec).map { $0.path.dropLast().joined(separator: "/") })
        for path in Self.closedObjects(schema, path: []) where !checked.contains(path) {
            Issue.record("\(file): the closed map at '\(path.isEmpty ? "(top level)" : path)' has no ManifestKeys list to check against; add it to SchemaTests.levels")
        }
    }

    @Test func everySchemaHasItsVersionAndDescriptions() throws {
        for spec in SpecVersion.allCases {
            let schema = try Self.loadSchema(spec)
            let file = "kraftfile-v\(spec.rawValue).schema.json"
            #expect(schema["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema", "\(file): $schema")
            #expect((schema["$id"] as? String)?.hasSuffix("kraftfile-v\(spec.rawValue)") == true, "\(file): $id")
            #expect(schema["title"] is String, "\(file): title")
            for path in Self.propertiesWithoutDescription(schema, path: []) {
                Issue.record("\(file): property '\(path)' has no description (editors show it as help)")
            }
        }
    }

    // MARK: - Verdicts

    @Test(.tags(.slow)) func fixturesGetTheSameVerdict() throws {
        let urls = try FileManager.default.contentsOfDirectory(at: Self.fixtures, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "yaml" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        #expect(urls.count >= 30, "expected the schema fixtures in \(Self.fixtures.path)")
        var cases: [Case] = []
        for url in urls {
            let bytes = Array(try Data(contentsOf: url))
            let header = String(decoding: bytes.prefix(300), as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
            guard let expectation = Expectation(header: header) else {
                Issue.record("\(url.lastPathComponent): first line must be '# expect: valid' or '# expect: invalid <diagnostic-id>'")
                continue
            }
            let c = Case(name: url.lastPathComponent, bytes: bytes)
            let accepted = c.decoderAccepts
            switch expectation {
            case .valid:
                #expect(accepted, "\(c.name): the fixture says valid, the decoder rejects it:\n\(c.diagnosticsText)")
            case .invalid(let id):
                let reported = c.result.diagnostics.contains { $0.severity == .error && $0.id == id }
                #expect(!accepted, "\(c.name): the fixture says invalid, the decoder accepts it")
                #expect(reported, "\(c.name): expected an error [\(id)]; got:\n\(c.diagnosticsText)")
            }
            let blind = c.schemaBlind
            #expect(!blind, "\(c.name): fixtures must not use '${' or repeated keys, which a schema cannot see")
            cases.append(c)
        }
        try Self.compare(cases)
    }

    static let corpusPresent = FileManager.default.fileExists(atPath: corpus.path)

    @Test(.tags(.slow), .enabled(if: corpusPresent, "the shared corpus is not on this machine"))
    func corpusGetsTheSameVerdict() throws {
        let urls = try FileManager.default.contentsOfDirectory(at: Self.corpus, includingPropertiesForKeys: nil)
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        #expect(urls.count > 100, "the corpus in \(Self.corpus.path) looks incomplete")
        let cases = try urls.map { Case(name: $0.lastPathComponent, bytes: Array(try Data(contentsOf: $0))) }
        try Self.compare(cases)
    }

    // MARK: - One file

    enum Expectation {
        case valid
        case invalid(String)

        init?(header: String) {
            let words = header.split(separator: " ").map(String.init)
            guard words.count >= 3, words[0] == "#", words[1] == "expect:" else { return nil }
            switch (words[2], words.count) {
            case ("valid", 3): self = .valid
            case ("invalid", 4): self = .invalid(words[3])
            default: return nil
            }
        }
    }

    /// A manifest, read both ways.
    struct Case {
        var name: String
        var root: YAMLNode?
        var result: ManifestLoader.Result
        /// The YAML could not be read (syntax error, empty, several documents): no schema check.
        var unreadable: Bool
        /// Interpolation or a repeated key may decide the decoder's verdict: no comparison.
        var schemaBlind: Bool

        init(name: String, bytes: [UInt8]) {
            self.name = name
            let yaml = YAMLReader().read(bytes, file: name)
            root = yaml.root
            result = ManifestLoader(strict: true).load(bytes, file: name)
            unreadable = yaml.root == nil || yaml.diagnostics.contains { $0.severity == .error }
            var blind = false
            if let root = yaml.root {
                let repeated = Self.repeatedKeys(root)
                blind = Self.containsInterpolation(root) || result.diagnostics.contains {
                    $0.severity == .error && $0.id == "duplicate-key" && $0.location.map { repeated.contains($0.range.start) } == true
                }
            }
            schemaBlind = blind
        }

        var decoderAccepts: Bool { result.manifest != nil && !result.hasErrors }

        /// The schemas that must give the decoder's verdict: the one for the detected spec,
        /// or, when the decoder could not even tell the version, all of them (and all reject).
        var schemaVersions: [SpecVersion] {
            if unreadable || schemaBlind { return [] }
            if let spec = result.manifest?.spec { return [spec] }
            return SpecVersion.allCases
        }

        var diagnosticsText: String {
            result.diagnostics.isEmpty ? "  (no diagnostics)" : result.diagnostics.map { "  \($0)" }.joined(separator: "\n")
        }

        /// Start positions of keys that repeat an earlier key of the same map.
        static func repeatedKeys(_ node: YAMLNode) -> Set<SourcePosition> {
            switch node.kind {
            case .scalar: return []
            case .sequence(let items): return items.reduce(into: []) { $0.formUnion(repeatedKeys($1)) }
            case .mapping(let pairs):
                var seen: Set<String> = []
                var out: Set<SourcePosition> = []
                for pair in pairs {
                    if let key = pair.key.scalar?.text, !seen.insert(key).inserted { out.insert(pair.key.range.start) }
                    out.formUnion(repeatedKeys(pair.value))
                }
                return out
            }
        }

        static func containsInterpolation(_ node: YAMLNode) -> Bool {
            switch node.kind {
            case .scalar(let s): return s.text.contains("${")
            case .sequence(let items): return items.contains { containsInterpolation($0) }
            case .mapping(let pairs): return pairs.contains { containsInterpolation($0.value) }
            }
        }
    }

    // MARK: - The Python side

    /// Validates every case's document with jsonschema in one Python process and checks
    /// that the verdicts agree with the decoder's.
    static func compare(_ cases: [Case]) throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("manifestc-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }

        var jobs: [[String: Any]] = []
        for (i, c) in cases.enumerated() {
            if c.unreadable {
                let accepted = c.decoderAccepts
                #expect(!accepted, "\(c.name): unreadable YAML, yet the decoder accepts it")
                continue
            }
            let versions = c.schemaVersions
            guard !versions.isEmpty, let root = c.root else { continue }
            let doc = work.appendingPathComponent("\(i).json")
            try Data(root.document.json().utf8).write(to: doc)
            jobs.append(["name": c.name, "document": doc.path, "versions": versions.map(\.rawValue)])
        }
        let schemaPaths = Dictionary(uniqueKeysWithValues: SpecVersion.allCases.map { ($0.rawValue, schemaURL($0).path) })
        let jobFile = work.appendingPathComponent("jobs.json")
        let resultFile = work.appendingPathComponent("results.json")
        let job: [String: Any] = ["schemas": schemaPaths, "jobs": jobs, "results": resultFile.path,
                                  "generator": schemas.appendingPathComponent("generate.py").path]
        try JSONSerialization.data(withJSONObject: job, options: [.sortedKeys]).write(to: jobFile)
        let script = work.appendingPathComponent("validate.py")
        try Data(validateScript.utf8).write(to: script)

        let run = try? python([script.path, jobFile.path])
        try #require(run != nil && run?.status != missingJSONSchema,
                     "run scripts/setup.sh (installs python3-jsonschema): /usr/bin/python3 cannot import jsonschema\n\(run?.output ?? "")")
        try #require(run?.status == 0, "the schema validator failed (exit \(run?.status ?? -1)):\n\(run?.output ?? "")")
        let results = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: resultFile)) as? [String: Any])

        for (version, problem) in (results["metaschema"] as? [String: String]) ?? [:] {
            Issue.record("kraftfile-v\(version).schema.json is not a valid draft 2020-12 schema: \(problem)")
        }
        if let stale = results["generator"] as? String {
            Issue.record("the schemas differ from what Schemas/generate.py writes: \(stale)")
        }
        let verdicts = (results["verdicts"] as? [String: [String: Any]]) ?? [:]
        var compared = 0
        var skipped: [String] = []
        for c in cases {
            let versions = c.schemaVersions
            if versions.isEmpty {
                skipped.append("\(c.name) (\(c.unreadable ? "unreadable YAML" : "interpolation or repeated keys"))")
                continue
            }
            compared += 1
            let decoderAccepts = c.decoderAccepts
            for version in versions {
                let errorText = verdicts[c.name]?[version.rawValue]
                let schemaAccepts = errorText is NSNull
                let schemaError = errorText as? String ?? "(accepted)"
                #expect(schemaAccepts == decoderAccepts, """
                    \(c.name): the decoder \(decoderAccepts ? "accepts" : "rejects") it\
                    \(c.result.manifest.map { " as spec v\($0.spec.rawValue)" } ?? ""), \
                    kraftfile-v\(version.rawValue).schema.json \(schemaAccepts ? "accepts" : "rejects") it
                      schema: \(schemaError)
                      decoder:
                    \(c.diagnosticsText)
                    """)
            }
        }
        print("SchemaTests: \(compared) of \(cases.count) files compared with the schemas; skipped \(skipped.count): \(skipped.joined(separator: ", "))")
    }

    /// The validator's exit status when `import jsonschema` fails.
    static let missingJSONSchema: Int32 = 3

    /// Runs Debian's Python (not the first python3 on PATH); its output is stdout, then stderr.
    static func python(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let r = try Subprocess.run("/usr/bin/python3", arguments)
        return (r.status, r.stdout + r.stderr)
    }

    /// Reads the job file; writes `{metaschema: {version: error}, generator: error?,
    /// verdicts: {name: {version: null | error}}}`.
    static let validateScript = #"""
        import json, sys, runpy
        try:
            import jsonschema
        except ImportError:
            sys.exit(3)
        from jsonschema import Draft202012Validator
        from jsonschema.exceptions import best_match

        job = json.load(open(sys.argv[1], encoding="utf-8"))
        out = {"metaschema": {}, "generator": None, "verdicts": {}}
        validators = {}
        for version, path in sorted(job["schemas"].items()):
            schema = json.load(open(path, encoding="utf-8"))
            try:
                Draft202012Validator.check_schema(schema)
            except jsonschema.exceptions.SchemaError as e:
                out["metaschema"][version] = "%s at /%s" % (e.message, "/".join(map(str, e.absolute_path)))
            validators[version] = Draft202012Validator(schema)

        generator = runpy.run_path(job["generator"])
        stale = [v for v in generator["VERSIONS"]
                 if open(job["schemas"][v], encoding="utf-8").read() != generator["render"](v)]
        if stale:
            out["generator"] = ", ".join("v" + v for v in stale)

        for item in job["jobs"]:
            document = json.load(open(item["document"], encoding="utf-8"))
            verdict = {}
            for version in item["versions"]:
                error = best_match(validators[version].iter_errors(document))
                verdict[version] = None if error is None else "%s at /%s" % (
                    error.message, "/".join(map(str, error.absolute_path)))
            out["verdicts"][item["name"]] = verdict
        json.dump(out, open(job["results"], "w", encoding="utf-8"), indent=1, sort_keys=True)
        """#

    // MARK: - Files

    /// The package's root, from this file's place in it.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let schemas = packageRoot.appendingPathComponent("Schemas")
    static let fixtures = packageRoot.appendingPathComponent("Tests/ManifestTests/Fixtures/schema")
    /// `MANIFESTC_CORPUS`, else `shared/corpus/manifests` beside the repository.
    static let corpus: URL = ProcessInfo.processInfo.environment["MANIFESTC_CORPUS"].map { URL(fileURLWithPath: $0) }
        ?? packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus/manifests")

    static func schemaURL(_ spec: SpecVersion) -> URL {
        schemas.appendingPathComponent("kraftfile-v\(spec.rawValue).schema.json")
    }

    static func loadSchema(_ spec: SpecVersion) throws -> [String: Any] {
        let data = try Data(contentsOf: schemaURL(spec))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(schemaURL(spec).lastPathComponent) is not a JSON object")
    }

    static func value(at path: [String], in object: [String: Any]) -> Any? {
        var current: Any = object
        for key in path {
            guard let map = current as? [String: Any], let next = map[key] else { return nil }
            current = next
        }
        return current
    }

    /// Paths (joined with `/`) of every subschema with `additionalProperties: false`.
    static func closedObjects(_ value: Any, path: [String]) -> [String] {
        var out: [String] = []
        if let map = value as? [String: Any] {
            if map["additionalProperties"] as? Bool == false { out.append(path.joined(separator: "/")) }
            for key in map.keys.sorted() { out += closedObjects(map[key]!, path: path + [key]) }
        } else if let list = value as? [Any] {
            for (i, item) in list.enumerated() { out += closedObjects(item, path: path + [String(i)]) }
        }
        return out
    }

    /// Paths of named properties (under a `properties` that lists keys of a manifest map)
    /// whose schema has no description, neither inline nor at its `$ref`.
    static func propertiesWithoutDescription(_ value: Any, path: [String]) -> [String] {
        var out: [String] = []
        if let map = value as? [String: Any] {
            if let properties = map["properties"] as? [String: Any], map["additionalProperties"] as? Bool == false {
                for (name, property) in properties.sorted(by: { $0.key < $1.key }) {
                    guard let property = property as? [String: Any] else { continue }
                    if property["description"] == nil { out.append((path + ["properties", name]).joined(separator: "/")) }
                }
            }
            for key in map.keys.sorted() { out += propertiesWithoutDescription(map[key]!, path: path + [key]) }
        } else if let list = value as? [Any] {
            for (i, item) in list.enumerated() { out += propertiesWithoutDescription(item, path: path + [String(i)]) }
        }
        return out
    }
}
