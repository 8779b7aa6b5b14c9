import Emitters
import Foundation
import TestSupport
import Manifest
import Testing

/// Runs an emitted CI pipeline the way its runner would, on this machine: reads the YAML
/// (manifestc's own reader), expands every matrix, and runs each job's scripts under bash
/// in a fresh copy of the repository, with the variables the runner sets. Strict: a key,
/// an action or a `${{ … }}` expression it does not know fails the test, so the emitter
/// cannot start using something this emulation skips.
///
/// Actions are emulated minimally: `actions/checkout` (the copy is the checkout),
/// `actions/cache` and `actions/upload-artifact` (their paths must exist after the job).
/// The apt-get step is not run; its package names are checked with `apt-cache show`.
struct PipelineRunner {
    /// The pristine repository; every job runs in a copy of it.
    var repository: URL
    /// Variables every job gets besides the runner's own (PATH with manifestc, the git mirror).
    var environment: [String: String]
    /// Where job copies go.
    var scratch: URL

    /// What one job did.
    struct JobRun: CustomStringConvertible {
        var name: String
        var folder: URL
        var status: Int32
        var log: String
        /// Paths (from the repository's root) the cache would save and the artifacts it uploads.
        var cachePaths: [String] = []
        var artifactPaths: [String] = []
        /// GitHub's cache keys, evaluated.
        var cacheKeys: [String] = []
        /// The matrix values (GitHub) or variables (GitLab) of the job.
        var values: [String: String] = [:]
        var seconds: Double = 0

        var description: String { "\(name) (status \(status)):\n\(log.suffix(3000))" }
    }

    /// A YAML value, with mapping order kept.
    indirect enum Value {
        case scalar(String)
        case list([Value])
        case map([(String, Value)])

        init(_ node: YAMLNode) {
            switch node.kind {
            case .scalar(let s): self = .scalar(s.text)
            case .sequence(let items): self = .list(items.map(Value.init))
            case .mapping(let pairs): self = .map(pairs.map { ($0.key.scalar?.text ?? "", Value($0.value)) })
            }
        }

        var string: String? { if case .scalar(let s) = self { s } else { nil } }
        var list: [Value]? { if case .list(let l) = self { l } else { nil } }
        var pairs: [(String, Value)]? { if case .map(let m) = self { m } else { nil } }
        subscript(_ key: String) -> Value? { pairs?.first { $0.0 == key }?.1 }
        var keys: [String] { pairs?.map(\.0) ?? [] }
    }

    struct Unsupported: Error, CustomStringConvertible { var description: String }

    static func read(_ text: String) throws -> Value {
        let result = YAMLReader().read(Array(text.utf8), file: "pipeline.yml")
        guard let root = result.root, !result.diagnostics.contains(where: { $0.severity == .error }) else {
            throw Unsupported(description: "the pipeline is not YAML: \(result.diagnostics)")
        }
        return Value(root)
    }

    static let runnerPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    /// Copies the repository for one job (the checkout).
    func checkout(_ name: String) throws -> URL {
        let folder = scratch.appendingPathComponent("job-\(UUID().uuidString.prefix(8))")
        let r = try Subprocess.run("/bin/cp", ["-a", repository.path, folder.path])
        guard r.status == 0 else { throw Unsupported(description: "cannot copy the repository for \(name): \(r.stderr)") }
        return folder
    }

    /// Checks the package names an apt-get step would install (cheap: the local package lists).
    static func checkPackages(_ packages: String) {
        let names = packages.split(separator: " ").map(String.init)
        guard !names.isEmpty, FileManager.default.isExecutableFile(atPath: "/usr/bin/apt-cache") else { return }
        let r = try? Subprocess.run("/usr/bin/apt-cache", ["show"] + names)
        #expect(r?.status == 0, "apt-get would not find every package of '\(packages)': \(r?.stderr ?? "")")
    }

    /// Runs a bash script (a file, as the runners do) in `folder`; the runner's own variables plus `variables`.
    func bash(_ script: String, options: [String], in folder: URL, variables: [String: String]) throws -> ProcessOutput {
        let file = scratch.appendingPathComponent("step-\(UUID().uuidString.prefix(8)).sh")
        try script.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        var env = ["PATH": Self.runnerPath, "HOME": scratch.appendingPathComponent("home").path, "CI": "true", "LANG": "C.UTF-8"]
        env.merge(environment) { _, new in new }
        env.merge(variables) { _, new in new }
        return try Subprocess.run("/usr/bin/env", ["-i"] + env.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" } + ["/bin/bash"] + options + [file.path], in: folder)
    }

    // MARK: - GitHub Actions

    /// `${{ … }}` as Actions substitutes it, for the expressions the pipeline uses:
    /// `matrix.NAME`, `'literal'`, `format('…{0}…', …)` and `hashFiles(path)` (the SHA-256 of
    /// one file under `workspace`, which must exist: a cache key of nothing is a bug).
    static func githubExpand(_ text: String, matrix: [String: String], workspace: URL? = nil) throws -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.range(of: "${{") {
            out += rest[..<open.lowerBound]
            guard let close = rest.range(of: "}}", range: open.upperBound..<rest.endIndex) else { throw Unsupported(description: "unterminated expression in '\(text)'") }
            var expression = Array(rest[open.upperBound..<close.lowerBound])
            var position = 0
            out += try evaluate(&expression, &position, matrix: matrix, workspace: workspace, in: text)
            while position < expression.count, expression[position] == " " { position += 1 }
            guard position == expression.count else { throw Unsupported(description: "the emulation does not evaluate '\(text)'") }
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    private static func evaluate(_ e: inout [Character], _ i: inout Int, matrix: [String: String], workspace: URL?, in text: String) throws -> String {
        func skip() { while i < e.count, e[i] == " " { i += 1 } }
        func unsupported() -> Unsupported { Unsupported(description: "the emulation does not evaluate '\(text)'") }
        skip()
        guard i < e.count else { throw unsupported() }
        if e[i] == "'" {
            var literal = ""
            i += 1
            while i < e.count {
                if e[i] == "'" { if i + 1 < e.count, e[i + 1] == "'" { literal.append("'"); i += 2; continue }; i += 1; return literal }
                literal.append(e[i]); i += 1
            }
            throw unsupported()
        }
        var word = ""
        while i < e.count, e[i].isLetter || e[i].isNumber || e[i] == "." || e[i] == "_" || e[i] == "-" { word.append(e[i]); i += 1 }
        skip()
        if i < e.count, e[i] == "(" {
            i += 1
            var arguments: [String] = []
            while true {
                skip()
                if i < e.count, e[i] == ")" { i += 1; break }
                arguments.append(try evaluate(&e, &i, matrix: matrix, workspace: workspace, in: text))
                skip()
                if i < e.count, e[i] == "," { i += 1 }
            }
            switch word {
            case "format":
                guard var result = arguments.first else { throw unsupported() }
                for (n, argument) in arguments.dropFirst().enumerated() { result = result.replacingOccurrences(of: "{\(n)}", with: argument) }
                return result
            case "hashFiles":
                guard arguments.count == 1, let workspace, !arguments[0].contains(where: { "*?[]".contains($0) }) else { throw unsupported() }
                let data = try Data(contentsOf: workspace.appendingPathComponent(arguments[0]))
                return SHA256.hex(Array(data))
            default: throw unsupported()
            }
        }
        guard word.hasPrefix("matrix."), let value = matrix[String(word.dropFirst("matrix.".count))] else { throw unsupported() }
        return value
    }

    /// Every job of a GitHub workflow, `needs` first, each matrix expanded; stops at a failed job.
    func runGitHub(_ text: String) throws -> [JobRun] {
        let workflow = try Self.read(text)
        guard Set(workflow.keys).isSubset(of: ["name", "on", "permissions", "jobs", "env"]) else { throw Unsupported(description: "workflow keys \(workflow.keys)") }
        let workflowEnv = workflow["env"]?.pairs ?? []
        let jobs = try workflow["jobs"]?.pairs ?? { throw Unsupported(description: "no jobs") }()
        var done: Set<String> = []
        var runs: [JobRun] = []
        var pending = jobs
        while !pending.isEmpty {
            guard let index = pending.firstIndex(where: { job in Self.needs(job.1).allSatisfy(done.contains) }) else {
                throw Unsupported(description: "jobs whose needs never succeed: \(pending.map(\.0))")
            }
            let (id, job) = pending.remove(at: index)
            guard Set(job.keys).isSubset(of: ["name", "needs", "runs-on", "timeout-minutes", "strategy", "steps", "env"]) else {
                throw Unsupported(description: "job '\(id)' keys \(job.keys)")
            }
            var failed = false
            for matrix in try Self.githubMatrix(job["strategy"]) {
                let run = try runGitHubJob(id, job, matrix: matrix, workflowEnv: workflowEnv)
                runs.append(run)
                failed = failed || run.status != 0
            }
            if failed { return runs }
            done.insert(id)
        }
        return runs
    }

    static func needs(_ job: Value) -> [String] {
        job["needs"].map { $0.string.map { [$0] } ?? ($0.list ?? []).compactMap(\.string) } ?? []
    }

    /// The matrix's combinations: the product of its axes, then `include` entries (as new
    /// combinations: the pipeline's axes never overlap its includes).
    static func githubMatrix(_ strategy: Value?) throws -> [[String: String]] {
        guard let matrix = strategy?["matrix"] else { return [[:]] }
        var combinations: [[String: String]] = [[:]]
        var axes = false
        for (key, value) in matrix.pairs ?? [] where key != "include" {
            guard key != "exclude", let values = value.list?.compactMap(\.string) else { throw Unsupported(description: "matrix key '\(key)'") }
            axes = true
            combinations = combinations.flatMap { c in values.map { c.merging([key: $0]) { _, new in new } } }
        }
        if !axes { combinations = [] }
        for entry in matrix["include"]?.list ?? [] {
            combinations.append(Dictionary(uniqueKeysWithValues: (entry.pairs ?? []).map { ($0.0, $0.1.string ?? "") }))
        }
        return combinations
    }

    func runGitHubJob(_ id: String, _ job: Value, matrix: [String: String], workflowEnv: [(String, Value)]) throws -> JobRun {
        let started = Date()
        let folder = try checkout(id)
        let name = try Self.githubExpand(job["name"]?.string ?? id, matrix: matrix)
        var run = JobRun(name: "github \(id): \(name)", folder: folder, status: 0, log: "", values: matrix)
        let base = ["GITHUB_WORKSPACE": folder.path, "GITHUB_ACTIONS": "true", "RUNNER_OS": "Linux", "RUNNER_TEMP": scratch.path]
        var jobEnv: [String: String] = [:]
        for (key, value) in workflowEnv + (job["env"]?.pairs ?? []) { jobEnv[key] = try Self.githubExpand(value.string ?? "", matrix: matrix) }
        for step in job["steps"]?.list ?? [] {
            guard Set(step.keys).isSubset(of: ["name", "uses", "with", "run", "env", "if", "working-directory", "timeout-minutes"]) else {
                throw Unsupported(description: "step keys \(step.keys)")
            }
            if let condition = step["if"]?.string {
                let value = try Self.githubExpand(condition, matrix: matrix)
                guard value == "true" || value == "false" else { throw Unsupported(description: "the condition '\(condition)' gave '\(value)'") }
                if value == "false" { run.log += "skipped: \(step["name"]?.string ?? "")\n"; continue }
            }
            var env = jobEnv
            for (key, value) in step["env"]?.pairs ?? [] { env[key] = try Self.githubExpand(value.string ?? "", matrix: matrix) }
            if let uses = step["uses"]?.string {
                let with = Dictionary(uniqueKeysWithValues: try (step["with"]?.pairs ?? []).map { ($0.0, try Self.githubExpand($0.1.string ?? "", matrix: matrix, workspace: folder)) })
                switch uses.split(separator: "@").first.map(String.init) {
                case "actions/checkout": break
                case "actions/cache":
                    run.cachePaths += (with["path"] ?? "").split(separator: "\n").map(String.init)
                    run.cacheKeys.append(with["key"] ?? "")
                case "actions/upload-artifact": run.artifactPaths += (with["path"] ?? "").split(separator: "\n").map(String.init)
                default: throw Unsupported(description: "the action '\(uses)'")
                }
                continue
            }
            guard let script = step["run"]?.string else { throw Unsupported(description: "a step with neither 'uses' nor 'run'") }
            let body = try Self.githubExpand(script, matrix: matrix)
            if body.contains("apt-get install") {
                Self.checkPackages(env["PACKAGES"] ?? "")
                run.log += "skipped (apt-get): \(step["name"]?.string ?? "")\n"
                continue
            }
            let directory = try step["working-directory"]?.string.map { try Self.githubExpand($0, matrix: matrix) }
            let cwd = directory.map { $0.hasPrefix("/") ? URL(fileURLWithPath: $0) : folder.appendingPathComponent($0) } ?? folder
            // Actions' default shell on Linux: `bash -e {0}`.
            let result = try bash(body, options: ["-e"], in: cwd, variables: base.merging(env) { _, new in new })
            run.log += "$ \(body)\n\(result.stdout)\(result.stderr)"
            if result.status != 0 { run.status = result.status; break }
        }
        run.seconds = Date().timeIntervalSince(started)
        return run
    }

    // MARK: - GitLab CI

    /// GitLab's expansion of `$NAME` and `${NAME}` in variable values and paths; `$$` is `$`.
    static func gitlabExpand(_ text: String, _ variables: [String: String]) -> String {
        var out = ""
        let chars = Array(text)
        var i = 0
        func isName(_ c: Character) -> Bool { c == "_" || c.isASCII && (c.isLetter || c.isNumber) }
        while i < chars.count {
            guard chars[i] == "$", i + 1 < chars.count else { out.append(chars[i]); i += 1; continue }
            if chars[i + 1] == "$" { out.append("$"); i += 2; continue }
            var j = i + 1
            let braced = chars[j] == "{"
            if braced { j += 1 }
            let start = j
            while j < chars.count, isName(chars[j]) { j += 1 }
            guard j > start else { out.append("$"); i += 1; continue }
            let name = String(chars[start..<j])
            if braced { guard j < chars.count, chars[j] == "}" else { out.append("$"); i += 1; continue }; j += 1 }
            out += variables[name] ?? ""
            i = j
        }
        return out
    }

    static let gitlabReserved: Set<String> = ["stages", "variables", "default", "workflow", "include", "image", "services", "cache", "before_script", "after_script"]

    /// Every job of a GitLab pipeline, stage by stage, each `parallel:matrix` expanded; stops at a failed stage.
    func runGitLab(_ text: String) throws -> [JobRun] {
        let pipeline = try Self.read(text)
        guard Set(pipeline.keys).subtracting(Self.gitlabReserved).allSatisfy({ pipeline[$0]?["script"] != nil || $0.hasPrefix(".") }),
              Set(pipeline.keys).intersection(["default", "workflow", "include", "services", "image", "cache", "after_script"]).isEmpty else {
            throw Unsupported(description: "pipeline keys \(pipeline.keys)")
        }
        let stages = (pipeline["stages"]?.list ?? []).compactMap(\.string)
        let globalVariables = Dictionary(uniqueKeysWithValues: (pipeline["variables"]?.pairs ?? []).map { ($0.0, $0.1.string ?? "") })
        let globalBefore = (pipeline["before_script"]?.list ?? []).compactMap(\.string)
        var runs: [JobRun] = []
        for stage in stages {
            var failed = false
            for (id, job) in pipeline.pairs ?? [] where !Self.gitlabReserved.contains(id) && !id.hasPrefix(".") && (job["stage"]?.string ?? "test") == stage {
                guard Set(job.keys).isSubset(of: ["stage", "image", "timeout", "needs", "parallel", "cache", "script", "before_script", "artifacts", "variables"]) else {
                    throw Unsupported(description: "job '\(id)' keys \(job.keys)")
                }
                for matrix in try Self.gitlabMatrix(job["parallel"]) {
                    let run = try runGitLabJob(id, job, matrix: matrix, global: globalVariables, before: globalBefore)
                    runs.append(run)
                    failed = failed || run.status != 0
                }
            }
            if failed { return runs }
        }
        return runs
    }

    /// `parallel: matrix:`: each entry is the product of its variables' values (a value or a list).
    static func gitlabMatrix(_ parallel: Value?) throws -> [[(String, String)]] {
        guard let parallel else { return [[]] }
        guard let entries = parallel["matrix"]?.list else { throw Unsupported(description: "parallel without matrix") }
        return entries.flatMap { entry -> [[(String, String)]] in
            var combinations: [[(String, String)]] = [[]]
            for (key, value) in entry.pairs ?? [] {
                let values = value.list?.compactMap(\.string) ?? [value.string ?? ""]
                combinations = combinations.flatMap { c in values.map { c + [(key, $0)] } }
            }
            return combinations
        }
    }

    func runGitLabJob(_ id: String, _ job: Value, matrix: [(String, String)], global: [String: String], before: [String]) throws -> JobRun {
        let started = Date()
        let folder = try checkout(id)
        let jobName = matrix.isEmpty ? id : "\(id): [\(matrix.map(\.1).joined(separator: ", "))]"
        var variables = ["CI_PROJECT_DIR": folder.path, "CI_BUILDS_DIR": scratch.path, "CI_JOB_NAME": jobName, "GITLAB_CI": "true", "CI": "true"]
        // Pipeline, job, then matrix variables; each value expanded with what is defined before it.
        for (key, value) in global.sorted(by: { $0.key < $1.key }) + (job["variables"]?.pairs ?? []).map({ ($0.0, $0.1.string ?? "") }) + matrix {
            variables[key] = Self.gitlabExpand(value, variables)
        }
        var run = JobRun(name: "gitlab \(jobName)", folder: folder, status: 0, log: "", values: Dictionary(uniqueKeysWithValues: matrix.map { ($0.0, variables[$0.0] ?? "") }))
        // `cache` is one cache or a list of them.
        let caches = job["cache"]?.list ?? (job["cache"].map { [$0] } ?? [])
        run.cachePaths = caches.flatMap { ($0["paths"]?.list ?? []).compactMap(\.string).map { Self.gitlabExpand($0, variables) } }
        run.artifactPaths = (job["artifacts"]?["paths"]?.list ?? []).compactMap(\.string).map { Self.gitlabExpand($0, variables) }
        var lines = (job["before_script"]?.list?.compactMap(\.string) ?? before) + (job["script"]?.list ?? []).compactMap(\.string)
        lines = lines.filter { line in
            guard line.contains("apt-get install") else { return true }
            Self.checkPackages(variables["PACKAGES"] ?? "")
            run.log += "skipped (apt-get): \(line)\n"
            return false
        }
        // The runner's bash runs the lines in one shell, stopping at the first failure.
        let result = try bash("set -eo pipefail\n" + lines.joined(separator: "\n") + "\n", options: [], in: folder, variables: variables)
        run.log += "$ \(lines.joined(separator: "\n$ "))\n\(result.stdout)\(result.stderr)"
        run.status = result.status
        run.seconds = Date().timeIntervalSince(started)
        return run
    }
}
