import Emitters
import FoundationEssentials
import Glibc
import Manifest
import Planner
import Diagnostics

/// Brings the manifest's sources into the workspace, pinned by `kraft.lock`:
/// resolve (the lock first, the network only for what it does not pin), stage every
/// tree beside its place, then move them all in and write the lock. Nothing in the
/// workspace or the lock changes unless every source could be fetched.
package struct SourceSync {
    package enum Mode: Sendable {
        /// Honour the lock where it pins the manifest's request; resolve the rest and record it.
        case normal
        /// The lock must exist and pin every request; it is never written.
        case locked
        /// Resolve every git source again and rewrite the lock.
        case update
    }

    let manifest: Manifest
    let manifestFolder: URL
    let lockURL: URL
    var workspace: Workspace
    let mode: Mode
    /// What may be read: the lock file and local sources only inside it.
    let scope: ReadScope
    /// Progress messages (stderr).
    var say: (String) -> Void

    package struct Result {
        package var folders: [SourceRole: URL]
        var requests: [SourceRequest]
        var lock: LockFile
        /// Warnings about the sources, to print.
        var diagnostics: [Diagnostic]
    }

    /// A problem the user must fix; `diagnostics` are located in the manifest.
    package struct Failure: Error {
        package var message: String?
        package var diagnostics: [Diagnostic] = []
        /// Printed on stdout (a diff of the lock file).
        package var details: String?
    }

    func sync() throws -> Result {
        let (requests, diagnostics) = SourceRules.requests(for: manifest)
        if diagnostics.contains(where: { $0.severity == .error }) { throw Failure(diagnostics: diagnostics) }
        var warnings = diagnostics

        // The lock file (LockPolicy decides what the run may take from it).
        let lockName = lockURL.lastPathComponent
        let lockData: Data?
        do {
            lockData = try scope.read(lockURL, what: "the lock file")
        } catch {
            throw Failure(message: ErrorText.describe(error), diagnostics: warnings)
        }
        let existingText = lockData.map { String(decoding: $0, as: UTF8.self) }
        let existing: LockFile?
        switch LockPolicy.check(lockData.map { Array($0) }, file: lockURL.path, requests: requests, mode: mode, manifestName: manifestName) {
        case .success(let lock): existing = lock
        case .failure(var failure):
            failure.diagnostics = warnings + failure.diagnostics
            throw failure
        }

        // Resolve: the lock's commit where it pins the request, else ask the repository.
        var entries: [LockEntry] = []
        for request in requests {
            if let pinned = LockPolicy.pinned(request, in: existing, mode: mode) {
                entries.append(pinned)
                continue
            }
            switch request.origin {
            case .local:
                let (entry, problem) = localEntry(request, pinned: existing?.entry(for: request.role))
                if let problem { warnings.append(problem) }
                entries.append(entry)
            case .git(let url):
                if request.versionGiven, request.version.count == 40, SourceRules.looksLikeCommit(request.version) {
                    entries.append(LockEntry(role: request.role, url: url, version: request.version, commit: request.version))
                    continue
                }
                say("resolving \(request.role): '\(request.version)' of \(url)")
                let refs: [String: String]
                do {
                    refs = SourceRules.parseLsRemote(try workspace.git.remoteRefs(url))
                } catch {
                    throw Failure(diagnostics: warnings + [.error("source-unreachable", ErrorText.describe(error), at: request.location)])
                }
                switch SourceRules.resolve(request.version, versionGiven: request.versionGiven, refs: refs) {
                case .ref(let name, let commit):
                    entries.append(LockEntry(role: request.role, url: url, version: request.version, ref: name, commit: commit))
                case .commit(let prefix):
                    // Abbreviated: the clone below expands it.
                    entries.append(LockEntry(role: request.role, url: url, version: request.version, commit: prefix))
                case nil:
                    let names = SourceRules.shortNames(refs)
                    let what = request.versionGiven ? "no branch, tag or commit '\(request.version)'" : "neither a 'stable' nor a 'staging' branch"
                    throw Failure(diagnostics: warnings + [.error(
                        "source-version-unknown", "\(url) has \(what)\(Suggestion.didYouMean(request.version, among: names))",
                        at: request.location,
                        notes: names.isEmpty ? [] : [DiagnosticNote("its branches and tags include: " + names.filter { !$0.hasPrefix("pull/") }.prefix(12).joined(separator: ", "))])])
                }
            }
        }

        if warnings.contains(where: { $0.severity == .error }) { throw Failure(diagnostics: warnings) }

        // Stage every git tree, then install them all.
        workspace.removeLeftovers()
        var folders: [SourceRole: URL] = [:]
        var staged: [Workspace.Staged] = []
        do {
            for (index, request) in requests.enumerated() {
                let folder = workspace.folder(for: request)
                folders[request.role] = folder
                switch request.origin {
                case .local(let path):
                    // The same rule as every command's (TreeLocator).
                    if let problem = TreeLocator.localProblem(request, path: path, folder: folder.path, probe: DiskTreeProbe(scope: scope)) {
                        throw Failure(diagnostics: warnings + [problem])
                    }
                case .git(let url):
                    let commit = entries[index].commit!
                    do {
                        try workspace.confine(folder)
                    } catch {
                        throw Failure(diagnostics: warnings + [.error("workspace-link", ErrorText.describe(error), at: request.location)])
                    }
                    let head = workspace.git.head(folder)
                    if commit.count == 40, head == commit {
                        if workspace.git.isModified(folder) {
                            warnings.append(.warning("source-modified", "'\(folder.path)' has local changes; they are used as they are (the version gets '-custom')",
                                                     at: request.location))
                        }
                        continue
                    }
                    if let problem = Self.irreplaceable(folder, head: head, git: workspace.git) {
                        warnings.append(.error("source-modified", "\(request.role) must move to \(commit.prefix(12)), but \(problem.message); manifestc never replaces it",
                                               at: request.location, notes: problem.notes))
                        throw Failure(diagnostics: warnings)
                    }
                    say("fetching \(request.role): \(url) at \(commit.prefix(12))")
                    do {
                        let tree = try workspace.stage(url: url, revision: commit, into: folder)
                        staged.append(tree)
                        entries[index].commit = tree.commit
                    } catch {
                        throw Failure(diagnostics: warnings + [.error("source-fetch", ErrorText.describe(error), at: request.location)])
                    }
                }
            }
            if Interrupts.pending { throw Failure(message: "interrupted") }
            for tree in staged { try workspace.install(tree) }
        } catch {
            for tree in staged { workspace.discard(tree) }
            if let failure = error as? Failure { throw failure }
            throw Failure(message: ErrorText.describe(error), diagnostics: warnings)
        }

        let lock = LockFile(entries: entries, origins: existing?.origins ?? [])
        let text = lock.render(manifest: manifestName)
        if LockPolicy.writes(text, over: existingText, mode: mode) {
            do {
                try OutputWriter(folder: lockURL.deletingLastPathComponent(), force: true)
                    .write(EmittedFile(path: lockURL.lastPathComponent, contents: text))
            } catch {
                throw Failure(message: ErrorText.describe(error), diagnostics: warnings)
            }
            say(existingText == nil ? "wrote \(lockName)" : "updated \(lockName)")
        }
        return Result(folders: folders, requests: requests, lock: lock, diagnostics: warnings)
    }

    /// Why the tree at `folder` must not be replaced: it exists but is not a git checkout,
    /// or it has modified or untracked files, or commits no remote-tracking branch or tag has.
    static func irreplaceable(_ folder: URL, head: String?, git: Git) -> (message: String, notes: [DiagnosticNote])? {
        var info = stat()
        guard lstat(folder.path, &info) == 0 else { return nil }
        guard head != nil else {
            return ("'\(folder.path)' exists and is not a git checkout", [DiagnosticNote("move it away or remove it, and run again")])
        }
        let changes = git.localChanges(folder), commits = git.unpublishedCommits(folder)
        guard !changes.isEmpty || !commits.isEmpty else { return nil }
        var what: [String] = []
        if !changes.isEmpty { what.append("\(changes.count) modified or untracked file\(changes.count == 1 ? "" : "s")") }
        if !commits.isEmpty { what.append("\(commits.count == 20 ? "20 or more" : "\(commits.count)") commit\(commits.count == 1 ? "" : "s") on no remote branch") }
        let notes = changes.prefix(20).map { DiagnosticNote("file: " + $0) } + commits.map { DiagnosticNote("commit: " + $0) }
            + [DiagnosticNote("commit and push them (or 'git stash' and discard them) in '\(folder.path)', or move the folder away, then run again")]
        return ("'\(folder.path)' has " + what.joined(separator: " and "), notes)
    }

    private var manifestName: String { URL(fileURLWithPath: manifest.file).lastPathComponent }
}
