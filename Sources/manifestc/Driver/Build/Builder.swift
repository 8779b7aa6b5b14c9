import FoundationEssentials
import Glibc
import Planner

/// Runs the emitted Makefile for each selected target: one progress line per target
/// (or make's own output with `--verbose`), the failing lines when make fails, the
/// image path and size when it succeeds.
struct Builder {
    /// The folder holding the emitted Makefile (the output folder).
    let folder: URL
    let jobs: Int
    let verbose: Bool
    var environment: [String: String]
    /// More make command-line variables (`HermeticBuild.makeVariables`).
    var makeVariables: [String] = []
    /// Where make's output (`--verbose`), the progress line and the failing lines go.
    let console: Console
    /// Starts make.
    var processes: any ProcessRunner = SystemProcessRunner()

    struct Image {
        var target: String
        /// Relative to `folder`.
        var path: String
        var bytes: Int
        var seconds: Double
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Errors before anything runs: make or a compiler missing.
    func checkTools(_ targets: [TargetPlan]) throws {
        // The Makefile's folder reaches make's recipes (and Unikraft's) unquoted, as `$(HERE)`.
        let path = folder.resolvingSymlinksInPath().path
        if let problem = ValueRules.makePathProblem(path) {
            throw Failure(description: "cannot build in '\(path)': \(problem)")
        }
        guard processes.which("make", environment: environment) != nil else {
            throw Failure(description: "'make' is not installed; install it with 'apt-get install make' (Debian)")
        }
        for target in targets {
            let toolchain = toolchain(for: target)
            guard processes.which(toolchain.compiler, environment: environment) != nil else {
                let given = environment["CROSS_COMPILE"].map { " (CROSS_COMPILE is '\($0)')" } ?? ""
                throw Failure(description: "target '\(target.id)' (\(target.architecture.rawValue)) needs the C compiler '\(toolchain.compiler)'\(given), which is not installed; "
                              + "install it with 'apt-get install \(toolchain.debianPackage)' (Debian), or set CROSS_COMPILE to the prefix of another toolchain")
            }
        }
    }

    func toolchain(for target: TargetPlan) -> Toolchain {
        Toolchain.forTarget(target.architecture, hostArch: Host.architecture, crossCompile: environment["CROSS_COMPILE"])
    }

    func build(_ targets: [TargetPlan]) throws -> [Image] {
        try checkTools(targets)
        var images: [Image] = []
        for (index, target) in targets.enumerated() {
            images.append(try build(target, number: index + 1, of: targets.count))
        }
        return images
    }

    private func build(_ target: TargetPlan, number: Int, of count: Int) throws -> Image {
        // make writes the image in the target's build folder: never through a link out of the output folder.
        do {
            try Confinement.checkInside(target.buildFolder, under: folder)
        } catch {
            throw Failure(description: ErrorText.describe(error))
        }
        var arguments = ["--no-print-directory", "-f", folder.appendingPathComponent("Makefile").path, "-j\(jobs)", target.id]
        let prefix = toolchain(for: target).prefix
        if !prefix.isEmpty { arguments.append("CROSS_COMPILE=\(prefix)") }
        arguments += makeVariables
        let start = Date()
        let progress = ProgressLine(label: "[\(number)/\(count)] \(target.id)", start: start, enabled: !verbose, console: console)
        progress.update(nil)
        // make reads /dev/null (a config step that prompts sees end of file), and only the lines worth
        // showing on failure are kept: its output can be hundreds of megabytes.
        let report = FailureLines()
        let result = try processes.run("make", arguments, in: folder, environment: environment, timeout: nil, output: .lines { line in
            report.add(line)
            if verbose { console.out(line + "\n") } else { progress.update(line) }
        })
        let seconds = Date().timeIntervalSince(start)
        if result.interrupted {
            progress.finish("interrupted")
            throw Failure(description: "the build of '\(target.id)' was interrupted")
        }
        guard result.status == 0 else {
            progress.finish("failed after \(Self.format(seconds))")
            let lines = report.lines(tail: result.output)
            console.error(lines.map { "  | " + $0 + "\n" }.joined())
            // A download inside Unikraft's build shows only the next step's complaint: name it.
            let downloads = FetchFailure.report(result.output).map { "; " + $0 }.joined()
            throw Failure(description: "make failed for target '\(target.id)' (exit status \(result.status))\(downloads); run with --verbose for its whole output")
        }
        let path = target.imagePath
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(path).path),
              let size = attributes.fileSizeInBytes else {
            progress.finish("no image")
            throw Failure(description: "make succeeded for '\(target.id)' but wrote no image at '\(folder.appendingPathComponent(path).path)'")
        }
        progress.finish("built in \(Self.format(seconds))")
        return Image(target: target.id, path: path, bytes: size, seconds: seconds)
    }

    static func format(_ seconds: Double) -> String {
        seconds < 60 ? NumberText.fixed(seconds, decimals: 1) + " s" : "\(Int(seconds) / 60) min \(NumberText.twoDigits(Int(seconds) % 60)) s"
    }
}

/// The lines worth showing from a failed make: errors and make's own complaints (the
/// last 20 of them, collected as make prints), with the last lines of its output for context.
final class FailureLines: @unchecked Sendable {
    private var picked: [String] = []

    private static let markers = ["error", "***", "undefined reference", "no such file", "not found", "fatal"].map { Array($0.utf8) }

    /// Keeps `line` when it holds a marker (ASCII letters compared without case).
    func add(_ line: String) {
        var text = line
        guard text.withUTF8({ bytes in Self.markers.contains { Self.contains(bytes, $0) } }) else { return }
        picked.append(String(line.prefix(1000)))
        if picked.count > 40 { picked.removeFirst(20) }
    }

    private static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        for start in 0...(haystack.count - needle.count) {
            var k = 0
            while k < needle.count, haystack[start + k] | (haystack[start + k] >= 0x41 && haystack[start + k] <= 0x5A ? 0x20 : 0) == needle[k] { k += 1 }
            if k == needle.count { return true }
        }
        return false
    }

    /// The picked lines, then the last 12 lines of `tail` not already among them.
    func lines(tail: String) -> [String] {
        let last = tail.split(separator: "\n").map { String($0.prefix(1000)) }.filter { !$0.isEmpty }.suffix(12)
        var out = Array(picked.suffix(20))
        for line in last where !out.contains(line) { out.append(line) }
        return out
    }
}

/// One line of progress on stderr: rewritten in place on a terminal, else printed
/// when the step starts and when it ends.
final class ProgressLine: @unchecked Sendable {
    let label: String
    let start: Date
    let enabled: Bool
    let console: Console
    private let terminal = isatty(2) == 1
    private var lastDraw = Date.distantPast
    private var started = false

    init(label: String, start: Date, enabled: Bool, console: Console) {
        self.label = label
        self.start = start
        self.enabled = enabled
        self.console = console
    }

    func update(_ line: String?) {
        guard enabled else { return }
        if !terminal {
            if !started { started = true; write("\(label): building…\n") }
            return
        }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) > 0.2 || line == nil else { return }
        lastDraw = now
        var text = "\(label): building… \(Int(now.timeIntervalSince(start))) s"
        if let line, !line.isEmpty { text += "  " + String(line.trimmingWhitespace().prefix(50)) }
        write("\r\u{1B}[K" + text)
    }

    func finish(_ status: String) {
        guard enabled else { return }
        write((terminal ? "\r\u{1B}[K" : "") + "\(label): \(status)\n")
    }

    private func write(_ text: String) {
        console.error(text)
    }
}
