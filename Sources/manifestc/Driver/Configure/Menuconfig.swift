import FoundationEssentials
import Glibc

/// Runs Unikraft's `make menuconfig` on a configuration in a scratch folder, on the terminal
/// (stdin, stdout and stderr are manifestc's, in its process group, as an editor is run).
package enum Menuconfig {
    /// Edits `config` (the planned `.config`) with `make menuconfig`, or with `command` (a shell
    /// command line from the user's own command line, run by `/bin/sh` with `KCONFIG_CONFIG`
    /// naming the file), and returns it as saved.
    package static func edit(_ config: String, makeArguments: [String], command: String?) throws -> String {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("manifestc-menuconfig-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch.appendingPathComponent("build"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let file = scratch.appendingPathComponent(".config")
        try config.write(to: file, atomically: true, encoding: .utf8)
        var environment = ProcessInfo.processInfo.environment
        environment["KCONFIG_CONFIG"] = file.path
        let arguments = command.map { ["/bin/sh", "-c", $0] }
            ?? ["make"] + makeArguments + ["O=\(scratch.appendingPathComponent("build").path)", "C=\(file.path)", "menuconfig"]
        let status = try run(arguments, environment: environment)
        guard status == 0 else { throw EditFailure("'\(arguments.prefix(2).joined(separator: " "))…' exited with status \(status); the manifest is unchanged") }
        return try String(contentsOf: file, encoding: .utf8)
    }

    /// Runs a program in the foreground; its exit status.
    private static func run(_ arguments: [String], environment: [String: String]) throws -> Int32 {
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        // As system() does: Ctrl-C and Ctrl-\ go to the editor (which may use them), not to
        // manifestc, which then removes its scratch folder; the child gets the default handling.
        let (interrupt, quit) = (signal(SIGINT, SIG_IGN), signal(SIGQUIT, SIG_IGN))
        defer {
            signal(SIGINT, interrupt)
            signal(SIGQUIT, quit)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGQUIT)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, arguments[0], nil, &attributes, argv, envp)
        guard spawned == 0 else { throw EditFailure("cannot run '\(arguments[0])': \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exited = status & 0x7F == 0
        return exited ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }
}
