import Foundation

/// What a finished process left behind.
public struct ProcessOutput: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String

    public init(status: Int32, stdout: String, stderr: String) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }
}

/// Runs programs for the tests (every test target's one runner). Output goes through files,
/// so no pipe can fill up, and a child that outlives the program cannot hold the run open.
public enum Subprocess {
    /// Runs `executable` (a path, or a name looked up on PATH) with `arguments` in `directory` and
    /// waits. Standard input is `input`, or empty; `environment` is added to this process's own.
    @discardableResult
    public static func run(
        _ executable: String, _ arguments: [String], in directory: URL? = nil, input: String? = nil,
        environment: [String: String] = [:]
    ) throws -> ProcessOutput {
        // A script a test has just written can be "busy" for a moment: another test's process
        // forked while its write descriptor was open still holds a copy until it execs. Try again.
        var attempts = 0
        while true {
            do {
                return try runOnce(executable, arguments, in: directory, input: input, environment: environment)
            } catch let error as NSError where attempts < 100 && isTextFileBusy(error) {
                attempts += 1
                usleep(10_000)
            }
        }
    }

    private static func isTextFileBusy(_ error: NSError) -> Bool {
        let posix = error.domain == NSPOSIXErrorDomain ? error : error.userInfo[NSUnderlyingErrorKey] as? NSError
        return posix?.domain == NSPOSIXErrorDomain && posix?.code == Int(ETXTBSY)
    }

    private static func runOnce(
        _ executable: String, _ arguments: [String], in directory: URL?, input: String?, environment: [String: String]
    ) throws -> ProcessOutput {
        let files = FileManager.default
        let scratch = files.temporaryDirectory.appendingPathComponent("manifestc-run-\(UUID().uuidString)")
        try files.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? files.removeItem(at: scratch) }
        let stdoutURL = scratch.appendingPathComponent("stdout")
        let stderrURL = scratch.appendingPathComponent("stderr")
        let stdinURL = scratch.appendingPathComponent("stdin")
        _ = files.createFile(atPath: stdoutURL.path, contents: nil)
        _ = files.createFile(atPath: stderrURL.path, contents: nil)
        _ = files.createFile(atPath: stdinURL.path, contents: Data((input ?? "").utf8))

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable.contains("/") ? executable : (which(executable) ?? executable))
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let directory { process.currentDirectoryURL = directory }
        let stdout = try FileHandle(forWritingTo: stdoutURL)
        let stderr = try FileHandle(forWritingTo: stderrURL)
        let stdin = try FileHandle(forReadingFrom: stdinURL)
        defer { try? stdout.close(); try? stderr.close(); try? stdin.close() }
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = stdin
        try process.run()
        process.waitUntilExit()
        return ProcessOutput(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: stdoutURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: stderrURL), as: UTF8.self))
    }

    /// The path of the executable `name` on PATH, if there is one.
    public static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
