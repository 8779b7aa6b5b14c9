import Emitters
import FoundationEssentials
import Manifest
import Planner
import Diagnostics
import Dispatch

/// What compiling one manifest gave, as a value: several are compiled at once and
/// printed afterwards, in the order given.
package struct CompileResult: Sendable {
    package enum Status: String, Sendable {
        /// Written (or, with `--check`, up to date; with `--dry-run`, listed).
        case ok
        /// `--check`: a generated file is missing or stale.
        case stale
        /// The manifest has errors, or its files could not be written.
        case failed
    }

    package var path: String
    /// The output folder.
    package var output: String
    package var status: Status
    /// The ids of its targets, in manifest order.
    package var targets: [String] = []
    package var files = 0
    package var written = 0
    /// What it printed, when buffered.
    package var log: (out: String, error: String) = ("", "")
    package var diagnostics: [Diagnostic] = []
    package var seconds: Double = 0
    /// The targets `--build` builds.
    package var buildTargets: [TargetPlan] = []
    /// The exit status a failure stands for (1; 130 when a fetch was interrupted).
    package var exitCode: Int32 = 1
    /// `.config` files were written without a tree (only the seed).
    package var seedOnly = false
}

/// Compiles several manifests concurrently and prints them in a stable order with one summary.
package enum ManifestBatch {
    /// Runs `body` for every path, at most `width` at a time (a task group), and returns
    /// the results in the order of `paths`, whatever order they finished in.
    static func run(_ paths: [String], width: Int, _ body: @escaping @Sendable (String) -> CompileResult) -> [CompileResult] {
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        // The command line is synchronous: wait here for the structured part to finish.
        Task.detached {
            let results = await withTaskGroup(of: (Int, CompileResult).self) { group in
                var results = [CompileResult?](repeating: nil, count: paths.count)
                var next = 0
                func start() {
                    let i = next
                    next += 1
                    group.addTask { (i, body(paths[i])) }
                }
                while next < min(max(width, 1), paths.count) { start() }
                while let (i, result) = await group.next() {
                    results[i] = result
                    if next < paths.count { start() }
                }
                return results.map { $0! }
            }
            box.set(results)
            done.signal()
        }
        done.wait()
        return box.get()
    }

    private final class ResultBox: @unchecked Sendable {
        private let lock = Lock()
        private var results: [CompileResult] = []
        func set(_ r: [CompileResult]) { lock.withLock { results = r } }
        func get() -> [CompileResult] { lock.withLock { results } }
    }

    /// Two manifests in one folder would write the same files: a usage error, before anything is written.
    static func checkDistinctOutputs(_ paths: [String]) throws {
        var owner: [String: String] = [:]
        for path in paths {
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL.path
            if let other = owner[folder] {
                throw DriverError.usage("'\(other)' and '\(path)' are in the same folder and would write the same files; give each manifest its own folder, or compile them one at a time with --output-dir")
            }
            owner[folder] = path
        }
    }

    static func message(_ error: Error) -> String {
        ErrorText.describe(error)
    }

    package static func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    // MARK: - Printing

    /// Each manifest's output in order (stdout and stderr kept apart), then the summary.
    static func print(_ results: [CompileResult], format: OutputFormat, wall: Double, on console: Console) {
        switch format {
        case .json:
            console.out(document(results).json())
        case .text:
            for r in results {
                console.error(r.log.error)
                console.out(r.log.out)
            }
            console.out(table(results, wall: wall))
        }
    }

    /// The summary table: manifest, targets, result, time; then the totals.
    static func table(_ results: [CompileResult], wall: Double) -> String {
        let rows = [["manifest", "targets", "result", "time"]] + results.map { r in
            [r.path, r.targets.isEmpty ? "-" : r.targets.joined(separator: ", "), r.status.rawValue, duration(r.seconds)]
        }
        let widths = (0..<3).map { c in rows.map { $0[c].count }.max() ?? 0 }
        var out = ""
        for row in rows {
            let padded = (0..<3).map { row[$0] + String(repeating: " ", count: widths[$0] - row[$0].count) }
            out += (padded + [String(repeating: " ", count: max(0, 7 - row[3].count)) + row[3]]).joined(separator: "  ") + "\n"
        }
        let counts = CompileResult.Status.allCasesInOrder.compactMap { status -> String? in
            let n = results.filter { $0.status == status }.count
            return n == 0 && status != .failed ? nil : "\(n) \(status.rawValue)"
        }
        out += "\(results.count) manifest\(results.count == 1 ? "" : "s"): \(counts.joined(separator: ", ")) in \(duration(wall))\n"
        return out
    }

    static func duration(_ seconds: Double) -> String {
        seconds < 1 ? "\(Int((seconds * 1000).rounded())) ms" : NumberText.fixed(seconds, decimals: 2) + " s"
    }

    /// The `--format json` document of `emit`.
    package static func document(_ results: [CompileResult]) -> DocumentValue {
        .map([
            ("version", .int(1)),
            ("command", .string("emit")),
            ("ok", .bool(results.allSatisfy { $0.status == .ok })),
            ("manifests", .list(results.map { r in
                .map([
                    ("manifest", .string(r.path)),
                    ("folder", .string(r.output)),
                    ("targets", .list(r.targets.map(DocumentValue.string))),
                    ("result", .string(r.status.rawValue)),
                    ("files", .int(r.files)),
                    ("written", .int(r.written)),
                    ("milliseconds", .int(Int((r.seconds * 1000).rounded()))),
                    ("stdout", .string(r.log.out)),
                    ("stderr", .string(r.log.error)),
                    ("diagnostics", .list(r.diagnostics.map(\.document))),
                ])
            })),
        ])
    }
}

extension CompileResult.Status {
    static let allCasesInOrder: [Self] = [.ok, .stale, .failed]
}
