import Foundation
import TestSupport

/// Debian's `python3 -m http.server` on 127.0.0.1 at a port the kernel picks, serving a
/// folder; its request log tells whether anything connected.
///
/// It is started in the background by `sh` (so it is no `Process` of this test process:
/// Foundation notices a child's end by a descriptor the child inherits), and first closes
/// every descriptor it inherited, so that it holds no pipe of a test running at the same time.
final class LoopbackServer {
    let port: Int
    private let pid: pid_t
    private let logFile: URL

    init(serving folder: URL) throws {
        let base = folder.deletingLastPathComponent().appendingPathComponent("server-\(UUID().uuidString)")
        logFile = URL(fileURLWithPath: base.path + ".log")
        let out = URL(fileURLWithPath: base.path + ".out")
        // It also unblocks the signals the test process's thread had blocked (the mask is inherited).
        let script = "import os, sys, runpy, signal; os.closerange(3, os.sysconf('SC_OPEN_MAX')); signal.pthread_sigmask(signal.SIG_SETMASK, set()); "
            + "sys.argv = ['http.server', '0', '--bind', '127.0.0.1', '--directory', sys.argv[1]]; runpy.run_module('http.server', run_name='__main__')"
        let started = try Subprocess.run("/bin/sh", ["-c", "/usr/bin/python3 -u -c \"$1\" \"$2\" >\"$3\" 2>\"$4\" </dev/null & echo $!",
                                                                  "sh", script, folder.path, out.path, logFile.path])
        guard let pid = pid_t(started.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "cannot start http.server: \(started.stderr)"])
        }
        self.pid = pid
        // "Serving HTTP on 127.0.0.1 port 39579 (http://127.0.0.1:39579/) ..."
        var port: Int?
        for _ in 0..<200 where port == nil {
            let words = ((try? String(contentsOf: out, encoding: .utf8)) ?? "").split(separator: " ")
            if let index = words.firstIndex(of: "port"), index + 1 < words.count { port = Int(words[index + 1]) }
            if port == nil { usleep(50_000) }
        }
        guard let port else {
            kill(pid, SIGKILL)
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "http.server did not say its port within 10 s"])
        }
        self.port = port
    }

    func url(_ name: String) -> String { "http://127.0.0.1:\(port)/\(name)" }

    /// The requests served so far (one log line each).
    var requests: [String] {
        ((try? String(contentsOf: logFile, encoding: .utf8)) ?? "").split(separator: "\n").filter { $0.contains("\"GET ") }.map(String.init)
    }

    /// Stops the server (SIGKILL: it has nothing to clean up) and waits until it is gone.
    func stop() {
        guard kill(pid, SIGKILL) == 0 else { return }
        for _ in 0..<100 where kill(pid, 0) == 0 { usleep(50_000) }
    }

    deinit { stop() }
}
