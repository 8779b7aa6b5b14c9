import Foundation

/// The system `git`, run without prompts and with a deadline for every call.
struct Git {
    /// Seconds a network call (ls-remote, clone, fetch) may take.
    var networkTimeout: Double = 1800
    /// Seconds a local call may take.
    var localTimeout: Double = 300
    /// Called with progress lines of long operations (clone, fetch).
    var progress: ((String) -> Void)?

    struct Failure: Error, CustomStringConvertible {
        var arguments: [String]
        var message: String
        var description: String { message }
    }

    /// The environment every git call gets: no terminal prompts, no ssh passphrase questions.
    var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["GIT_TERMINAL_PROMPT"] = "0"
        env["GCM_INTERACTIVE"] = "never"
        if env["GIT_SSH_COMMAND"] == nil && env["GIT_SSH"] == nil { env["GIT_SSH_COMMAND"] = "ssh -o BatchMode=yes" }
        env["LC_ALL"] = "C"
        return env
    }

    /// Runs git; throws with git's own last lines on failure.
    @discardableResult
    func run(_ arguments: [String], in folder: URL? = nil, network: Bool = false, what: String) throws -> String {
        let result: Subprocess.Result
        do {
            let output: Subprocess.Output = progress.map { callback in .lines(callback) } ?? .capture
            result = try Subprocess.run("git", arguments, in: folder, environment: environment,
                                        timeout: network ? networkTimeout : localTimeout, output: network ? output : .capture)
        } catch {
            throw Failure(arguments: arguments, message: "\(what): \(error) (Debian: apt-get install git)")
        }
        if result.interrupted { throw Failure(arguments: arguments, message: "\(what): interrupted") }
        if result.timedOut {
            throw Failure(arguments: arguments, message: "\(what): git did not finish within \(Int(network ? networkTimeout : localTimeout)) seconds")
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
        return out.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The full id of `revision` in the repository at `folder`, if it names a commit there.
    func commit(_ revision: String, in folder: URL) -> String? {
        let out = try? run(["-C", folder.path, "rev-parse", "--verify", "-q", "--end-of-options", revision + "^{commit}"], what: "rev-parse")
        return out.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.count >= 40 ? $0 : nil }
    }

    /// Whether tracked files in the checkout differ from its `HEAD`.
    func isModified(_ folder: URL) -> Bool {
        let out = (try? run(["-C", folder.path, "status", "--porcelain", "--untracked-files=no"], what: "status")) ?? ""
        return !out.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }

    /// The files of a checkout that differ from its `HEAD`: modified, staged and untracked
    /// ones (ignored files are left out), one `git status --porcelain` line each.
    func localChanges(_ folder: URL) -> [String] {
        do {
            let out = try run(["-C", folder.path, "status", "--porcelain", "--untracked-files=all"], what: "cannot list the changes in '\(folder.path)'")
            return out.split(separator: "\n").map(String.init)
        } catch {
            return ["?? (\(error))"]
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
            return ["(\(error))"]
        }
    }

    /// The `origin` URL of a checkout.
    func originURL(_ folder: URL) -> String? {
        let out = try? run(["-C", folder.path, "config", "--get", "remote.origin.url"], what: "config")
        return out.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    }
}
