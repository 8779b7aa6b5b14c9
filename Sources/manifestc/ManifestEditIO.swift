import Foundation

/// The I/O of the commands that edit or compare a manifest (`set`, `unset`, `menuconfig`, `diff`):
/// the manifest read once and replaced atomically only if no one changed it meanwhile, and a
/// committed version of it read through the hardened git runner.
struct ManifestFile {
    /// The file written: the manifest's real path (a link to it stays a link).
    let url: URL
    /// The bytes as read.
    let bytes: [UInt8]

    struct Changed: Error, CustomStringConvertible {
        var path: String
        var description: String { "'\(path)' changed since manifestc read it; nothing was written (run the command again)" }
    }

    static func read(_ path: String) throws -> ManifestFile {
        let url = URL(fileURLWithPath: path).resolvingSymlinksInPath()
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw EditFailure("cannot read '\(path)'")
        }
        return ManifestFile(url: url, bytes: Array(data))
    }

    /// Writes `new` in place of the file: a temporary file beside it (same permissions), flushed,
    /// then renamed over it, but only if the file still holds the bytes read (compared just before
    /// the rename); else nothing changes and `Changed` is thrown.
    func replace(with new: [UInt8]) throws {
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).manifestc-\(getpid()).tmp")
        var info = stat()
        let mode = stat(url.path, &info) == 0 ? info.st_mode & 0o7777 : 0o644
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard fd >= 0 else { throw EditFailure("cannot write beside '\(url.path)': \(String(cString: strerror(errno)))") }
        var ok = new.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
        ok = ok && fchmod(fd, mode) == 0 && fsync(fd) == 0
        close(fd)
        guard ok else {
            unlink(temporary.path)
            throw EditFailure("cannot write beside '\(url.path)': \(String(cString: strerror(errno)))")
        }
        guard let now = FileManager.default.contents(atPath: url.path), Array(now) == bytes else {
            unlink(temporary.path)
            throw Changed(path: url.path)
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary.path)
            throw EditFailure("cannot replace '\(url.path)': \(reason)")
        }
    }

    /// The manifest at `path` as committed at `revision`, read with `git show` in its folder
    /// (the path taken relative to that folder); throws git's own words when there is none.
    static func committed(_ path: String, at revision: String) throws -> [UInt8] {
        guard !revision.hasPrefix("-"), !revision.contains(":"), !revision.isEmpty else {
            throw EditFailure("'\(revision)' is not a revision; name a commit, branch or tag such as HEAD or main")
        }
        let url = URL(fileURLWithPath: path).standardizedFileURL
        let output = try Git().run(["-C", url.deletingLastPathComponent().path, "show", "--end-of-options", "\(revision):./\(url.lastPathComponent)"],
                                   what: "cannot read '\(url.lastPathComponent)' at '\(revision)'")
        return Array(output.utf8)
    }
}

/// A failure in the words the user reads.
struct EditFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs Unikraft's `make menuconfig` on a configuration in a scratch folder, on the terminal
/// (stdin, stdout and stderr are manifestc's, in its process group, as an editor is run).
enum Menuconfig {
    /// For tests only: a shell command run in place of `make menuconfig`, with `KCONFIG_CONFIG`
    /// naming the configuration to edit, so a test makes the change a person would make.
    static let testEdit = ProcessInfo.processInfo.environment["MANIFESTC_TEST_MENUCONFIG"]

    /// Edits `config` (the planned `.config`) and returns it as saved.
    static func edit(_ config: String, makeArguments: [String]) throws -> String {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("manifestc-menuconfig-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch.appendingPathComponent("build"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let file = scratch.appendingPathComponent(".config")
        try config.write(to: file, atomically: true, encoding: .utf8)
        var environment = ProcessInfo.processInfo.environment
        environment["KCONFIG_CONFIG"] = file.path
        let arguments = testEdit.map { ["/bin/sh", "-c", $0] }
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
