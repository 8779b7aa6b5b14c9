import Foundation
import Manifest
import Planner
import Testing
import TestSupport
import Diagnostics
@testable import Emitters

/// The CI pipelines: golden files, validation against the providers' published schemas
/// (through `check-jsonschema`, which bundles GitHub's and GitLab's), and their structure.
@Suite(.tags(.slow)) struct CIWorkflowTests {
    static let golden = GoldenTests.golden.appendingPathComponent("ci")

    /// Three examples, one of them with a lock file, and one at an awkward path.
    static func manifests() throws -> [CIWorkflowEmitter.Manifest] {
        func plan(_ example: String) throws -> Plan {
            let bytes = Array(try Data(contentsOf: GoldenTests.repository.appendingPathComponent("examples/\(example)/kraft.yaml")))
            let manifest = try #require(ManifestLoader().load(bytes, file: "kraft.yaml").manifest)
            return Planning.plan(manifest).0
        }
        return [
            .init(path: "examples/helloworld/kraft.yaml", plan: try plan("helloworld"), lockHash: nil),
            .init(path: "examples/9pfs/kraft.yaml", plan: try plan("9pfs"), lockHash: String(repeating: "ab", count: 32)),
            .init(path: "apps/it's \"odd\" $(x)/Kraftfile", plan: try plan("httpreply"), lockHash: nil),
        ]
    }

    static let options = CIWorkflowEmitter.Options(checkPaths: ["examples", "apps"], install: "pip install --user manifestc-bin")

    @Test(arguments: CIWorkflowEmitter.Provider.allCases)
    func workflowMatchesTheGoldenFile(_ provider: CIWorkflowEmitter.Provider) throws {
        let file = CIWorkflowEmitter.emit(provider, manifests: try Self.manifests(), options: Self.options)
        let url = Self.golden.appendingPathComponent("\(provider.rawValue).yml")
        if GoldenTests.recording {
            try FileManager.default.createDirectory(at: Self.golden, withIntermediateDirectories: true)
            try file.contents.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        #expect(file.contents == expected, "\(UnifiedDiff.render(old: expected, new: file.contents, oldName: "golden", newName: "emitted"))")
        #expect(GeneratedHeader.state(of: file.contents) == .pristine)
        #expect(file == CIWorkflowEmitter.emit(provider, manifests: try Self.manifests(), options: Self.options))
    }

    /// `check-jsonschema` (PyPI) with its bundled schemas: GitHub's workflow schema (and its
    /// stricter variant that wants a timeout on every job) and GitLab's CI schema.
    @Test(arguments: CIWorkflowEmitter.Provider.allCases)
    func workflowValidatesAgainstTheProvidersSchema(_ provider: CIWorkflowEmitter.Provider) throws {
        let runner = try #require(Self.checkJSONSchema(),
            "check-jsonschema is not installed: run scripts/setup.sh (it installs it into .venv)")
        let file = CIWorkflowEmitter.emit(provider, manifests: try Self.manifests(), options: Self.options)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("manifestc-ci-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("workflow.yml").path
        try file.contents.write(toFile: path, atomically: true, encoding: .utf8)
        let schemas: [[String]] = provider == .github
            ? [["--builtin-schema", "vendor.github-workflows"], ["--builtin-schema", "custom.github-workflows-require-timeout"]]
            : [["--builtin-schema", "vendor.gitlab-ci", "--data-transform", "gitlab-ci"]]
        for schema in schemas {
            let r = try Subprocess.run(runner[0], Array(runner.dropFirst()) + schema + [path])
            #expect(r.status == 0, "\(schema): \(r.stdout)\(r.stderr)")
        }
    }

    /// The project's `.venv/bin/check-jsonschema` (scripts/setup.sh installs it there), else
    /// `python3 -m check_jsonschema` when the module is importable, else the script on PATH.
    static func checkJSONSchema() -> [String]? {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let venv = repository.appendingPathComponent(".venv/bin/check-jsonschema").path
        if FileManager.default.isExecutableFile(atPath: venv) { return [venv] }
        if let r = try? Subprocess.run("/usr/bin/env", ["python3", "-m", "check_jsonschema", "--version"]), r.status == 0 {
            return ["/usr/bin/env", "python3", "-m", "check_jsonschema"]
        }
        if let r = try? Subprocess.run("/usr/bin/env", ["check-jsonschema", "--version"]), r.status == 0 {
            return ["/usr/bin/env", "check-jsonschema"]
        }
        return nil
    }

    @Test func jobsCoverEveryBuiltTargetAndBootOnlyQemu() throws {
        let jobs = CIWorkflowEmitter.jobs(try Self.manifests())
        let plans = try Self.manifests().map(\.plan)
        #expect(jobs.count == plans.map { $0.targets.filter { !$0.prebuilt && $0.unbuildable == nil }.count }.reduce(0, +))
        for job in jobs {
            #expect(job.boot == (job.target.hasPrefix("qemu-") && (job.architecture == "x86_64" || job.architecture == "arm64")), "\(job.target)")
            #expect(job.packages.contains("qemu-system") == job.boot)
            #expect(job.packages.contains("gcc-aarch64-linux-gnu") == (job.architecture == "arm64"))
            #expect(!job.artifact.contains("/") && !job.artifact.contains(" "))
        }
        #expect(Set(jobs.map(\.artifact)).count == jobs.count)
        #expect(jobs.first { $0.folder == "examples/9pfs" }?.cacheKey != jobs.first { $0.folder == "examples/helloworld" }?.cacheKey)
    }

    /// A YAML 1.1 reader (libyaml: GitLab's Psych, manifestc's own reader) reads every matrix
    /// value back as the path it was: U+2028, U+2029 and NEL are line breaks to it, which a
    /// quoted scalar would fold into a space (the job would then name another manifest).
    @Test(arguments: CIWorkflowEmitter.Provider.allCases)
    func matrixValuesReadBackLiterally(_ provider: CIWorkflowEmitter.Provider) throws {
        let plan = Planning.plan(try #require(ManifestLoader().load(Array("spec: v0.6\nname: app\ntargets: [qemu/x86_64]\n".utf8), file: "kraft.yaml").manifest)).plan
        for folder in ["apps/a\u{2028}b", "apps/a\u{2029}b", "apps/a\u{85}b", "apps/a\tb", "apps/a: #b", "apps/'\"$x"] {
            let path = folder + "/kraft.yaml"
            let text = CIWorkflowEmitter.emit(provider, manifests: [.init(path: path, plan: plan, lockHash: nil)], options: .init(checkPaths: ["."])).contents
            let read = YAMLReader().read(Array(text.utf8), file: "pipeline.yml")
            let root = try #require(read.root, "\(read.diagnostics)")
            var values: [String] = []
            func walk(_ node: YAMLNode) {
                switch node.kind {
                case .scalar: break
                case .sequence(let items): items.forEach(walk)
                case .mapping(let pairs):
                    for pair in pairs {
                        if let key = pair.key.scalar?.text, key == "manifest" || key == "MANIFEST", let value = pair.value.scalar?.text, !value.hasPrefix("${{") { values.append(value) }
                        walk(pair.value)
                    }
                }
            }
            walk(root)
            // GitLab expands '$' in variables: '$$' is one.
            #expect(values == [provider == .gitlab ? path.replacingOccurrences(of: "$", with: "$$") : path], "\(path.debugDescription): \(values.map(\.debugDescription))")
        }
    }

    /// linuxu on the channel stable (past 0.17) cannot be built: no job, a line in the comment (issue 12).
    @Test func linuxuOnAChannelPastItGetsNoJobButAComment() throws {
        let stable = try #require(ManifestLoader().load(Array("spec: v0.6\nunikraft: stable\ntargets: [qemu/x86_64, linuxu/x86_64, linuxu/arm64]\n".utf8), file: "kraft.yaml").manifest)
        let manifests: [CIWorkflowEmitter.Manifest] = [.init(path: "apps/hello/kraft.yaml", plan: Planning.plan(stable).plan, lockHash: nil)]
        #expect(CIWorkflowEmitter.jobs(manifests).map(\.target) == ["qemu-x86_64"])
        let text = CIWorkflowEmitter.emit(.github, manifests: manifests, options: Self.options).contents
        for target in ["linuxu-x86_64", "linuxu-arm64"] {
            #expect(text.contains("# Left out, it cannot be built: \"apps/hello/kraft.yaml\" \(target): the linuxu platform was removed in Unikraft 0.17, and the channel 'stable' is past it\n"), "\(text.prefix(900))")
        }
        // A release before 0.17 keeps linuxu; a tree says what the version is.
        let old = try #require(ManifestLoader().load(Array("spec: v0.6\nunikraft: 0.16.3\ntargets: [linuxu/x86_64]\n".utf8), file: "kraft.yaml").manifest)
        let kept = CIWorkflowEmitter.jobs([.init(path: "kraft.yaml", plan: Planning.plan(old).plan, lockHash: nil)])
        #expect(kept.map(\.target) == ["linuxu-x86_64"])
    }

    /// Paths and names from manifests reach the shell only through environment variables.
    @Test(arguments: CIWorkflowEmitter.Provider.allCases)
    func manifestPathsNeverAppearInScripts(_ provider: CIWorkflowEmitter.Provider) throws {
        let text = CIWorkflowEmitter.emit(provider, manifests: try Self.manifests(), options: Self.options).contents
        for line in text.split(separator: "\n") where line.contains("$(x)") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            #expect(["- manifest:", "folder:", "image:", "- MANIFEST:", "FOLDER:", "IMAGE:", "# Left out, it cannot be built: \""].contains { trimmed.hasPrefix($0) }, "\(line)")
        }
    }

    /// More jobs than one matrix may hold are split into several build jobs
    /// (GitHub: 256 per matrix; GitLab: 200), in order, none lost.
    @Test func largeMatricesAreSplit() throws {
        let one = try Self.manifests()[0]  // two targets
        let many = (0..<140).map { CIWorkflowEmitter.Manifest(path: "apps/a\($0)/Kraftfile", plan: one.plan, lockHash: nil) }
        let jobs = CIWorkflowEmitter.jobs(many)
        #expect(jobs.count == 280)
        func matrixSizes(_ document: DocumentValue, jobsKey: String?, path: [String]) -> [String: Int] {
            guard case .map(var pairs) = document else { return [:] }
            if let jobsKey, case .map(let inner)? = pairs.first(where: { $0.0 == jobsKey })?.1 { pairs = inner }
            var sizes: [String: Int] = [:]
            for (name, job) in pairs where name.hasPrefix("build") {
                var node = job
                for key in path {
                    guard case .map(let p) = node, let next = p.first(where: { $0.0 == key })?.1 else { return [:] }
                    node = next
                }
                if case .list(let items) = node { sizes[name] = items.count }
            }
            return sizes
        }
        #expect(matrixSizes(CIWorkflowEmitter.github(jobs, options: Self.options), jobsKey: "jobs", path: ["strategy", "matrix", "include"])
                == ["build-1": 256, "build-2": 24])
        #expect(matrixSizes(CIWorkflowEmitter.gitlab(jobs, options: Self.options), jobsKey: nil, path: ["parallel", "matrix"])
                == ["build-1": 200, "build-2": 80])
    }

    /// GitLab's pipeline, structurally: a check stage before the builds, every matrix entry
    /// with the variables the script uses, cache and artifacts through those variables.
    @Test func gitlabPipelineStructure() throws {
        let document = CIWorkflowEmitter.gitlab(CIWorkflowEmitter.jobs(try Self.manifests()), options: Self.options)
        guard case .map(let top) = document else { Issue.record("not a map"); return }
        #expect(top.map(\.0) == ["stages", "check", "build"])
        guard case .map(let build)? = top.first(where: { $0.0 == "build" })?.1,
              case .map(let parallel)? = build.first(where: { $0.0 == "parallel" })?.1,
              case .list(let matrix)? = parallel.first?.1 else { Issue.record("no build matrix"); return }
        for entry in matrix {
            guard case .map(let variables) = entry else { Issue.record("entry"); continue }
            #expect(variables.map(\.0) == ["MANIFEST", "FOLDER", "TARGET", "BOOT", "IMAGE", "PACKAGES", "CACHE_KEY"])
            #expect(variables.allSatisfy { if case .string = $0.1 { return true }; return false })
        }
        #expect(build.first { $0.0 == "needs" }?.1 == .list([.string("check")]))
    }

    /// The shell the jobs run passes shellcheck (bash for GitHub, sh for GitLab's script lines).
    @Test(arguments: CIWorkflowEmitter.Provider.allCases)
    func jobScriptsPassShellcheck(_ provider: CIWorkflowEmitter.Provider) throws {
        guard (try? Subprocess.run("/usr/bin/env", ["shellcheck", "--version"]))?.status == 0 else {
            Issue.record("shellcheck is not installed (scripts/setup.sh installs it)")
            return
        }
        let scripts: [String]
        switch provider {
        case .github:
            scripts = Self.strings(CIWorkflowEmitter.github(CIWorkflowEmitter.jobs(try Self.manifests()), options: Self.options), key: "run")
        case .gitlab:
            scripts = Self.strings(CIWorkflowEmitter.gitlab(CIWorkflowEmitter.jobs(try Self.manifests()), options: Self.options), key: "script")
        }
        #expect(scripts.count >= 5)
        let shell = provider == .github ? "bash" : "sh"
        // Variables the CI provides are set; PACKAGES is split into words on purpose.
        let text = "#!/bin/\(shell)\nMANIFEST=x TARGET=y FOLDER=z BOOT=yes PACKAGES='a b'\nexport MANIFEST TARGET FOLDER BOOT PACKAGES\n" + scripts.joined(separator: "\n") + "\n"
        let r = try Subprocess.run("/usr/bin/env", ["shellcheck", "--exclude=SC2086", "-"], input: text)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)\n\(text)")
    }

    /// Every string under `key` (a string, or a list of strings), anywhere in `document`.
    static func strings(_ document: DocumentValue, key: String) -> [String] {
        switch document {
        case .map(let pairs):
            return pairs.flatMap { k, v -> [String] in
                if k == key {
                    if case .string(let s) = v { return [s] }
                    if case .list(let items) = v { return items.compactMap { if case .string(let s) = $0 { return s }; return nil } }
                }
                return strings(v, key: key)
            }
        case .list(let items): return items.flatMap { strings($0, key: key) }
        default: return []
        }
    }
}
