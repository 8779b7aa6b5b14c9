import FoundationEssentials
import Planner

/// The system `git`, run without prompts, with a deadline for every call, with only the
/// transports `SourceRules.allowedTransports` names (whatever the user's git configuration
/// says), and without hooks, fsmonitor or submodule recursion from any repository's config.
struct Git {
    /// Seconds a network call (ls-remote, clone, fetch) may take (`--git-timeout`).
    var networkTimeout: Double = Git.defaultNetworkTimeout
    /// Seconds a local call (rev-parse, status, checkout) may take (`--git-local-timeout`).
    var localTimeout: Double = Git.defaultLocalTimeout

    /// `--offline`: only local repositories (the file transport) may be reached.
    var offline = false

    static let defaultNetworkTimeout: Double = 600
    static let defaultLocalTimeout: Double = 60
    /// Called with progress lines of long operations (clone, fetch).
    var progress: ((String) -> Void)?
    /// Starts git.
    var processes: any ProcessRunner = SystemProcessRunner()

    struct Failure: Error, CustomStringConvertible {
        var arguments: [String]
        var message: String
        var description: String { message }
    }

    /// The environment every git call gets: no terminal prompts, no ssh passphrase questions,
    /// no askpass program, and the transport allow-list (`GIT_ALLOW_PROTOCOL` overrides every
    /// `protocol.*.allow` setting).
    var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["GIT_TERMINAL_PROMPT"] = "0"
        env["GCM_INTERACTIVE"] = "never"
        env["GIT_ASKPASS"] = "/bin/false"
        env["SSH_ASKPASS"] = "/bin/false"
        env["SSH_ASKPASS_REQUIRE"] = "never"
        env.removeValue(forKey: "DISPLAY")
        let ssh = env["GIT_SSH_COMMAND"] ?? env["GIT_SSH"].map { "'\($0)'" } ?? "ssh"
        env["GIT_SSH_COMMAND"] = ssh + " -o BatchMode=yes"
        env.removeValue(forKey: "GIT_SSH")
        env["GIT_ALLOW_PROTOCOL"] = offline ? "file" : SourceRules.allowedTransports.joined(separator: ":")
        env["GIT_PROTOCOL_FROM_USER"] = "0"
        env["LC_ALL"] = "C"
        return env
    }

    /// `-c` settings before every command: the transport allow-list again (for a git that
    /// ignores the environment variable), and nothing a repository's own config could run.
    static let hardening: [String] = {
        var settings = ["protocol.allow=never"]
        settings += SourceRules.allowedTransports.map { "protocol.\($0).allow=always" }
        settings += ["core.hooksPath=/dev/null", "core.fsmonitor=false", "submodule.recurse=false",
                     "core.askPass=/bin/false", "credential.interactive=never"]
        return settings.flatMap { ["-c", $0] }
    }()

    /// Runs git; throws with git's own last lines on failure.
    @discardableResult
    func run(_ arguments: [String], in folder: URL? = nil, network: Bool = false, what: String) throws -> String {
        let result: Subprocess.Result
        do {
            let output: Subprocess.Output = progress.map { callback in .lines(callback) } ?? .capture
            result = try processes.run("git", Self.hardening + arguments, in: folder, environment: environment,
                                        timeout: network ? networkTimeout : localTimeout, output: network ? output : .capture)
        } catch {
            throw Failure(arguments: arguments, message: "\(what): \(ErrorText.describe(error)) (Debian: apt-get install git)")
        }
        if result.interrupted { throw Failure(arguments: arguments, message: "\(what): interrupted") }
        if result.timedOut {
            let option = network ? "--git-timeout" : "--git-local-timeout"
            throw Failure(arguments: arguments, message: "\(what): git did not finish within \(Int(network ? networkTimeout : localTimeout)) seconds; "
                          + "give it longer with '\(option) SECONDS'")
        }
        if result.overflowed {
            throw Failure(arguments: arguments, message: "\(what): git printed more than \(Subprocess.captureLimit >> 20) MiB; stopped")
        }
        guard result.status == 0 else {
            let lines = result.output.split(separator: "\n").map(String.init)
                .filter { !$0.hasPrefix("Cloning into") && !$0.contains("\r") && !$0.hasPrefix("remote: ") }
            let detail = lines.suffix(3).joined(separator: "; ")
            let how = result.signal.map { "git was killed by signal \($0)" } ?? "git exited with status \(result.status)"
            throw Failure(arguments: arguments, message: "\(what): \(detail.isEmpty ? how : detail)")
        }
        return result.output
    }

    /// The refs of a remote repository: full ref name → commit, tags peeled.
    func remoteRefs(_ url: String) throws -> String {
        try run(["ls-remote", "--", url], network: true, what: "cannot list the branches and tags of '\(url)'")
    }

    /// The commit `HEAD` points to in `folder`, or nil when it is not a git checkout.
    func head(_ folder: URL) -> String? {
        guard FileManager.default.fileExists(atPath: folder.appendingPathComponent(".git").path) else { return nil }
        let out = try? run(["-C", folder.path, "rev-parse", "--verify", "-q", "HEAD^{commit}"], what: "rev-parse")
        return out.map { $0.trimmingWhitespaceAndNewlines() }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The full id of `revision` in the repository at `folder`, if it names a commit there.
    func commit(_ revision: String, in folder: URL) -> String? {
        let out = try? run(["-C", folder.path, "rev-parse", "--verify", "-q", "--end-of-options", revision + "^{commit}"], what: "rev-parse")
        return out.map { $0.trimmingWhitespaceAndNewlines() }.flatMap { $0.count >= 40 ? $0 : nil }
    }

    /// `-c` settings that empty every filter driver the checkout's configuration defines
    /// (`filter.<name>.clean`, `.smudge`, `.process`): comparing files with the index
    /// (`status`, `ls-files -m`) would otherwise run the commands a `.gitattributes` names.
    /// Reading the configuration runs nothing.
    func filterOverrides(_ folder: URL) -> [String] {
        let out = (try? run(["-C", folder.path, "config", "--name-only", "--get-regexp", #"^filter\..*\.(clean|smudge|process)$"#], what: "config")) ?? ""
        return out.split(separator: "\n").flatMap { key -> [String] in
            let driver = key.split(separator: ".").dropLast().joined(separator: ".")
            return ["-c", "\(key)=", "-c", "\(driver).required=false"]
        }
    }

    /// Whether tracked files in the checkout differ from its `HEAD`.
    func isModified(_ folder: URL) -> Bool {
        let out = (try? run(filterOverrides(folder) + ["-C", folder.path, "status", "--porcelain", "--untracked-files=no"], what: "status")) ?? ""
        return !out.trimmingWhitespaceAndNewlines().isEmpty
    }

    /// The files of a checkout that differ from its `HEAD`: modified, staged and untracked
    /// ones (ignored files are left out), one `git status --porcelain` line each.
    func localChanges(_ folder: URL) -> [String] {
        do {
            let out = try run(["-C", folder.path, "status", "--porcelain", "--untracked-files=all"], what: "cannot list the changes in '\(folder.path)'")
            return out.split(separator: "\n").map(String.init)
        } catch {
            return ["?? (\(ErrorText.describe(error)))"]
        }
    }

    /// Commits only this checkout has: reachable from `HEAD`, a local branch or the stash,
    /// but from no remote-tracking branch and no tag (`<short id> <subject>`, at most `limit`).
    func unpublishedCommits(_ folder: URL, limit: Int = 20) -> [String] {
        var arguments = ["-C", folder.path, "log", "--max-count=\(limit)", "--format=%h %s", "HEAD", "--branches"]
        if commit("refs/stash", in: folder) != nil { arguments.append("refs/stash") }
        arguments += ["--not", "--remotes", "--tags", "--"]
        do {
            return try run(arguments, what: "cannot list the commits of '\(folder.path)'").split(separator: "\n").map(String.init)
        } catch {
            return ["(\(ErrorText.describe(error)))"]
        }
    }

    /// The `origin` URL of a checkout.
    func originURL(_ folder: URL) -> String? {
        let out = try? run(["-C", folder.path, "config", "--get", "remote.origin.url"], what: "config")
        return out.map { $0.trimmingWhitespaceAndNewlines() }
    }
}
