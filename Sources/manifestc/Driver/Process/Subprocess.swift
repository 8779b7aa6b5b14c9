import FoundationEssentials
import Glibc

/// Runs child processes with a deadline, and stops them (their whole process group)
/// when manifestc is interrupted. Each child is spawned in a process group of its own,
/// so a signal to `-pid` reaches make's and launch.sh's children too. A child that must
/// not prompt reads `/dev/null`; what it prints is kept in bounded memory.
package enum Subprocess {
    /// What happens to the child's output.
    package enum Output {
        /// Collected (stdout and stderr together) and returned, up to `captureLimit` bytes:
        /// a child that prints more is stopped (`Result.overflowed`).
        case capture
        /// Each line handed to the callback as it arrives; only the last lines are kept
        /// (`Result.output`, at most `tailBytes`), for a failure report.
        case lines((String) -> Void)
        /// The child writes to manifestc's own stdout and stderr (and reads its stdin).
        case inherit
    }

    /// The most a `.capture` child may print (git's `ls-remote` of a large repository is ~100 KB).
    static let captureLimit = 32 << 20
    /// How much of a `.lines` child's output is kept for the failure report.
    static let tailBytes = 64 << 10
    /// The longest line handed to a `.lines` callback; a longer one is cut there.
    static let lineLimit = 64 << 10

    package struct Result {
        /// The exit status, or 128 + the signal number when a signal ended it.
        package var status: Int32
        package var output: String
        package var timedOut: Bool
        package var interrupted: Bool
        package var signal: Int32?
        /// A `.capture` child printed more than `captureLimit` bytes and was stopped.
        package var overflowed = false
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
        let inherit: Bool = { if case .inherit = output { return true } else { return false } }()
        let child: SpawnedChild
        do {
            child = try SpawnedChild(path: path, arguments: arguments, folder: folder?.path,
                                     environment: environment ?? ProcessInfo.processInfo.environment, pipeOutput: !inherit)
        } catch let error as SpawnedChild.Failure {
            throw LaunchError(command: ([executable] + arguments).joined(separator: " "), reason: error.reason)
        }
        let pid = child.pid
        // A child that reads the terminal must be its foreground process group.
        let terminal = ForegroundTerminal(child: pid, wanted: inherit)
        defer { terminal.restore() }

        let deadline = timeout.map { Date().addingTimeInterval($0) }
        var sink = OutputSink(output: output)
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

        var fd = child.outputFD
        var status: Int32?
        var reapedAt: Date?
        var buffer = [UInt8](repeating: 0, count: 65536)
        while status == nil || fd >= 0 {
            if let deadline, Date() > deadline, status == nil { timedOut = true; stop() }
            if Interrupts.pending, status == nil { interrupted = true; stop() }
            if sink.overflowed, status == nil { stop() }
            if status == nil, let reaped = child.reap() { status = reaped; reapedAt = Date(); continue }
            // A grandchild that keeps writing after the child is gone is not waited for.
            if let reapedAt, fd >= 0, Date().timeIntervalSince(reapedAt) > 1 { close(fd); fd = -1; continue }
            // The child is gone but a grandchild may keep the pipe open: take what is there and stop.
            let waitMilliseconds: Int32
            if status != nil { waitMilliseconds = 0 } else if killedAt != nil { waitMilliseconds = 200 } else if let deadline {
                waitMilliseconds = Int32(max(1, min(Double(Int32.max), deadline.timeIntervalSinceNow * 1000 + 1)))
            } else { waitMilliseconds = -1 }
            var fds: [pollfd] = []
            if fd >= 0 { fds.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
            if status == nil, child.pidFD >= 0 { fds.append(pollfd(fd: child.pidFD, events: Int16(POLLIN), revents: 0)) }
            // Without a pidfd (old kernels) the exit is noticed within 50 ms.
            let timeout = status == nil && child.pidFD < 0 && (waitMilliseconds < 0 || waitMilliseconds > 50) ? 50 : waitMilliseconds
            let ready = fds.isEmpty ? poll(nil, 0, timeout) : poll(&fds, nfds_t(fds.count), timeout)
            if ready < 0 { continue }   // EINTR: a signal; the flags are checked at the top
            if fd >= 0, ready > 0, fds[0].revents != 0 {
                let n = read(fd, &buffer, buffer.count)
                if n > 0 {
                    sink.append(buffer[0..<n])
                } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
                    close(fd)
                    fd = -1
                }
            } else if status != nil, fd >= 0 {
                close(fd)
                fd = -1
            }
        }
        child.closePidFD()
        sink.finish()
        let exit = status ?? 1
        let signalled = exit >= 128 && child.signalled
        return Result(status: exit, output: sink.text, timedOut: timedOut, interrupted: interrupted,
                      signal: signalled ? exit - 128 : nil, overflowed: sink.overflowed)
    }
}

/// Where a child's output goes: all of it (bounded) for `.capture`, lines and a tail for `.lines`.
private struct OutputSink {
    let output: Subprocess.Output
    private var kept: [UInt8] = []
    private var pending: [UInt8] = []
    private(set) var overflowed = false

    init(output: Subprocess.Output) { self.output = output }

    mutating func append(_ bytes: ArraySlice<UInt8>) {
        switch output {
        case .capture:
            guard !overflowed else { return }
            if kept.count + bytes.count > Subprocess.captureLimit { overflowed = true; return }
            kept.append(contentsOf: bytes)
        case .lines(let callback):
            pending.append(contentsOf: bytes)
            var start = 0
            while let newline = pending[start...].firstIndex(of: 0x0A) {
                deliver(pending[start..<newline], callback)
                start = newline + 1
            }
            pending.removeFirst(start)
            if pending.count > Subprocess.lineLimit {
                deliver(pending[..<Subprocess.lineLimit], callback)
                pending.removeAll(keepingCapacity: true)
            }
        case .inherit:
            break
        }
    }

    mutating func finish() {
        if case .lines(let callback) = output, !pending.isEmpty {
            deliver(pending[...], callback)
            pending.removeAll()
        }
    }

    private mutating func deliver(_ line: ArraySlice<UInt8>, _ callback: (String) -> Void) {
        callback(String(decoding: line, as: UTF8.self))
        kept.append(contentsOf: line)
        kept.append(0x0A)
        if kept.count > 2 * Subprocess.tailBytes {
            kept.removeFirst(kept.count - Subprocess.tailBytes)
            // Start the tail at a whole line.
            if let newline = kept.firstIndex(of: 0x0A) { kept.removeFirst(newline + 1) }
        }
    }

    var text: String { String(decoding: kept, as: UTF8.self) }
}

/// A child started with `posix_spawn` in a process group of its own, its stdin
/// `/dev/null` and its stdout and stderr one pipe (unless it inherits manifestc's),
/// watched through a pidfd so that its exit wakes the waiting `poll` (no timer).
private final class SpawnedChild {
    struct Failure: Error { var reason: String }

    let pid: pid_t
    /// The reading end of the output pipe, or -1.
    let outputFD: Int32
    private(set) var pidFD: Int32 = -1
    private(set) var signalled = false

    init(path: String, arguments: [String], folder: String?, environment: [String: String], pipeOutput: Bool) throws {
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        var pipeFDs: [Int32] = [-1, -1]
        if pipeOutput {
            guard makePipe(&pipeFDs, O_CLOEXEC) == 0 else { throw Failure(reason: "cannot create a pipe: \(String(cString: strerror(errno)))") }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_adddup2(&actions, pipeFDs[1], 1)
            posix_spawn_file_actions_adddup2(&actions, pipeFDs[1], 2)
        }
        if let folder { _ = spawnAddChdir(&actions, folder) }
        posix_spawnattr_setpgroup(&attributes, 0)
        // The child starts with default signal handling, whatever manifestc has installed.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGTTOU] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var child: pid_t = 0
        let error = posix_spawn(&child, path, &actions, &attributes, argv, envp)
        if pipeOutput { close(pipeFDs[1]) }
        guard error == 0 else {
            if pipeOutput { close(pipeFDs[0]) }
            throw Failure(reason: String(cString: strerror(error)))
        }
        pid = child
        outputFD = pipeOutput ? pipeFDs[0] : -1
        pidFD = openPidFD(child, 0)
    }

    /// The exit status (128 + signal for a signal) once the child has ended; nil while it runs.
    func reap() -> Int32? {
        var status: Int32 = 0
        let r = waitpid(pid, &status, WNOHANG)
        if r == 0 || (r < 0 && errno == EINTR) { return nil }
        if r < 0 { return 1 }
        // WIFEXITED / WTERMSIG, spelled out (the C macros are not imported).
        let termination = status & 0x7F
        if termination == 0 { return (status >> 8) & 0xFF }
        signalled = true
        return 128 + termination
    }

    func closePidFD() {
        if pidFD >= 0 { close(pidFD); pidFD = -1 }
    }
}

@_silgen_name("pipe2") private func makePipe(_ fds: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32
@_silgen_name("pidfd_open") private func openPidFD(_ pid: pid_t, _ flags: UInt32) -> Int32
@_silgen_name("posix_spawn_file_actions_addchdir_np")
private func spawnAddChdir(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: UnsafePointer<CChar>) -> Int32

/// SIGINT, SIGTERM and SIGHUP set a flag that running subprocesses and long steps
/// check; manifestc then stops its children, removes its temporary folders and exits
/// with 128 + the signal's number (130, 143, 129).
///
/// The handlers are in place only while a child runs; between children the default
/// action ends manifestc at once (a temporary clone it leaves is removed by the next run).
/// They are installed without `SA_RESTART`, so a signal wakes a waiting `poll`.
enum Interrupts {
    nonisolated(unsafe) private static var flag: sig_atomic_t = 0
    nonisolated(unsafe) private static var depth = 0
    nonisolated(unsafe) static var signalNumber: Int32 = 0

    static var pending: Bool { flag != 0 }

    /// The exit status for the signal received (130 for SIGINT, 143 for SIGTERM).
    static var exitStatus: Int32 { 128 + (signalNumber == 0 ? SIGINT : signalNumber) }

    static func install() {
        depth += 1
        guard depth == 1 else { return }
        for s in [SIGINT, SIGTERM, SIGHUP] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                Interrupts.signalNumber = number
                Interrupts.flag = 1
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(s, &action, nil)
        }
        // A parent may have started manifestc with these signals blocked (the mask is inherited).
        var set = sigset_t()
        sigemptyset(&set)
        for s in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&set, s) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
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
