import Foundation

/// Runs child processes with a deadline, and stops them (their whole process group)
/// when manifestc is interrupted. Foundation's `Process` puts each child in a process
/// group of its own, so a signal to `-pid` reaches make's and launch.sh's children too.
enum Subprocess {
    /// What happens to the child's output.
    enum Output {
        /// Collected (stdout and stderr together) and returned.
        case capture
        /// Collected, and each line also handed to the callback as it arrives.
        case lines((String) -> Void)
        /// The child writes to manifestc's own stdout and stderr (and reads its stdin).
        case inherit
    }

    struct Result {
        /// The exit status, or 128 + the signal number when a signal ended it.
        var status: Int32
        var output: String
        var timedOut: Bool
        var interrupted: Bool
        var signal: Int32?
    }

    struct LaunchError: Error, CustomStringConvertible {
        var command: String
        var reason: String
        var description: String { "cannot run '\(command)': \(reason)" }
    }

    /// Finds `name` on `PATH` (or takes a path as is).
    static func which(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        for folder in (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = String(folder) + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs `executable` with `arguments`; `timeout` in seconds (nil: none).
    static func run(_ executable: String, _ arguments: [String], in folder: URL? = nil, environment: [String: String]? = nil,
                    timeout: Double? = nil, output: Output = .capture) throws -> Result {
        guard let path = which(executable, environment: environment ?? ProcessInfo.processInfo.environment) else {
            throw LaunchError(command: executable, reason: "it is not installed (not found on PATH)")
        }
        Interrupts.install()
        defer { Interrupts.uninstall() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let folder { process.currentDirectoryURL = folder }
        if let environment { process.environment = environment }
        var pipe: Pipe?
        switch output {
        case .capture, .lines:
            let p = Pipe()
            process.standardOutput = p
            process.standardError = p
            process.standardInput = FileHandle.nullDevice
            pipe = p
        case .inherit:
            break
        }
        do { try process.run() } catch {
            throw LaunchError(command: ([executable] + arguments).joined(separator: " "), reason: "\(error)")
        }
        let pid = process.processIdentifier
        // A child that reads the terminal must be its foreground process group.
        let terminal = ForegroundTerminal(child: pid, wanted: { if case .inherit = output { return true } else { return false } }())
        defer { terminal.restore() }

        let deadline = timeout.map { Date().addingTimeInterval($0) }
        var collected = Data()
        var pending = Data()
        var timedOut = false, interrupted = false
        var killedAt: Date?

        func stop() {
            if killedAt == nil {
                kill(-pid, SIGTERM)
                kill(pid, SIGTERM)
                killedAt = Date()
            } else if Date().timeIntervalSince(killedAt!) > 3 {
                kill(-pid, SIGKILL)
                kill(pid, SIGKILL)
            }
        }
        func emitLines(final: Bool) {
            guard case .lines(let callback) = output else { return }
            while let newline = pending.firstIndex(of: 0x0A) {
                callback(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
                pending.removeSubrange(pending.startIndex...newline)
            }
            if final, !pending.isEmpty {
                callback(String(decoding: pending, as: UTF8.self))
                pending.removeAll()
            }
        }

        let fd = pipe?.fileHandleForReading.fileDescriptor ?? -1
        var open = fd >= 0
        var buffer = [UInt8](repeating: 0, count: 65536)
        while open || process.isRunning {
            if let deadline, Date() > deadline, process.isRunning { timedOut = true; stop() }
            if Interrupts.pending, process.isRunning { interrupted = true; stop() }
            if open {
                var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                let ready = poll(&poller, 1, 100)
                if ready > 0 {
                    let n = read(fd, &buffer, buffer.count)
                    if n > 0 {
                        collected.append(contentsOf: buffer[0..<n])
                        pending.append(contentsOf: buffer[0..<n])
                        emitLines(final: false)
                    } else if n == 0 || errno != EINTR {
                        open = false
                    }
                }
                // A grandchild may keep the pipe open after the child is gone.
                if !process.isRunning, ready == 0 { open = false }
            } else {
                usleep(20_000)
            }
        }
        process.waitUntilExit()
        emitLines(final: true)
        let signalled = process.terminationReason == .uncaughtSignal
        let status = signalled ? 128 + process.terminationStatus : process.terminationStatus
        return Result(status: status, output: String(decoding: collected, as: UTF8.self), timedOut: timedOut,
                      interrupted: interrupted, signal: signalled ? process.terminationStatus : nil)
    }
}

/// SIGINT, SIGTERM and SIGHUP set a flag that running subprocesses and long steps
/// check; manifestc then stops its children, removes its temporary folders and exits.
///
/// The handlers are in place only while a child runs; between children the default
/// action ends manifestc at once (a temporary clone it leaves is removed by the next run).
enum Interrupts {
    nonisolated(unsafe) private static var flag: sig_atomic_t = 0
    nonisolated(unsafe) private static var depth = 0
    nonisolated(unsafe) static var signalNumber: Int32 = 0

    static var pending: Bool { flag != 0 }

    static func install() {
        depth += 1
        guard depth == 1 else { return }
        for s in [SIGINT, SIGTERM, SIGHUP] {
            signal(s) { number in
                Interrupts.signalNumber = number
                Interrupts.flag = 1
            }
        }
    }

    static func uninstall() {
        depth -= 1
        guard depth == 0 else { return }
        for s in [SIGINT, SIGTERM, SIGHUP] { signal(s, SIG_DFL) }
    }
}

/// Hands the terminal to a child's process group while it runs (as a shell does),
/// so that a guest console can read it and Ctrl-C reaches the child.
private struct ForegroundTerminal {
    private var previous: pid_t = -1

    init(child: pid_t, wanted: Bool) {
        guard wanted, isatty(0) == 1, tcgetpgrp(0) == getpgrp() else { return }
        signal(SIGTTOU, SIG_IGN)
        previous = getpgrp()
        _ = setpgid(child, child)
        if tcsetpgrp(0, child) == 0 {
            kill(-child, SIGCONT)
        } else {
            previous = -1
        }
    }

    func restore() {
        guard previous >= 0 else { return }
        tcsetpgrp(0, previous)
    }
}
