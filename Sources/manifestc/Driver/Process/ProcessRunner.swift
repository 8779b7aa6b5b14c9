import FoundationEssentials

/// How the driver starts other programs (make, git, launch.sh): the system's processes
/// (`Subprocess`), or a runner the tests give, so that the build and run phases run in-process.
package protocol ProcessRunner: Sendable {
    /// Runs `executable` with `arguments`; `timeout` in seconds (nil: none).
    func run(_ executable: String, _ arguments: [String], in folder: URL?, environment: [String: String]?,
             timeout: Double?, output: Subprocess.Output) throws -> Subprocess.Result
    /// Finds `name` on the environment's `PATH` (or takes a path as is).
    func which(_ name: String, environment: [String: String]) -> String?
}

/// Real processes, through `Subprocess` (process groups, deadlines, interrupts).
package struct SystemProcessRunner: ProcessRunner {
    package init() {}

    package func run(_ executable: String, _ arguments: [String], in folder: URL?, environment: [String: String]?,
                     timeout: Double?, output: Subprocess.Output) throws -> Subprocess.Result {
        try Subprocess.run(executable, arguments, in: folder, environment: environment, timeout: timeout, output: output)
    }

    package func which(_ name: String, environment: [String: String]) -> String? {
        Subprocess.which(name, environment: environment)
    }
}
