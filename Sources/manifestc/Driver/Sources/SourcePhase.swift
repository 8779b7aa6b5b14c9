import Diagnostics
import FoundationEssentials
import Manifest
import Planner

/// How sources are fetched and pinned (`--build`, `--run`, `--locked`, `--update`, the git
/// timeouts, `--verbose`).
package struct SourceSettings: Sendable {
    package var mode: SourceSync.Mode = .normal
    package var gitTimeout: Double?
    package var gitLocalTimeout: Double?
    /// Show git's output.
    package var verbose = false
    /// `--offline`: only local repositories (the file transport) may be reached.
    package var offline = false

    package init() {}
}

/// The resolve-sources phase: brings the manifest's sources into the workspace, pinned by
/// `kraft.lock` (`SourceSync`), before the template is resolved and the tree located.
package struct SourcePhase {
    let settings: SourceSettings
    let console: Console

    package init(settings: SourceSettings, console: Console) {
        self.settings = settings
        self.console = console
    }

    /// Fetches and pins the sources of `manifest` (as written); reports what it finds and
    /// throws `DriverError` when the sources cannot be had.
    @discardableResult
    package func fetch(_ manifest: Manifest, manifestFolder: URL, workspace: URL, scope: ReadScope,
                       sources: [String: SourceText]) throws -> SourceSync.Result {
        var git = Git()
        if let timeout = settings.gitTimeout { git.networkTimeout = timeout }
        if let timeout = settings.gitLocalTimeout { git.localTimeout = timeout }
        git.offline = settings.offline
        if settings.verbose { git.progress = { [console] in console.error("  " + $0 + "\n") } }
        let sync = SourceSync(manifest: manifest, manifestFolder: manifestFolder,
                              lockURL: manifestFolder.appendingPathComponent(LockFile.fileName),
                              workspace: Workspace(root: workspace, manifestFolder: manifestFolder, git: git),
                              mode: settings.mode, scope: scope, say: { [console] in console.say($0) })
        do {
            let result = try sync.sync()
            console.diagnostics.report(result.diagnostics, sources: sources)
            return result
        } catch let failure as SourceSync.Failure {
            console.diagnostics.report(failure.diagnostics, sources: sources)
            if let details = failure.details { console.out(details) }
            if let message = failure.message { console.fail("source-failed", message) }
            TemporaryFolders.removeAll()
            throw Interrupts.pending ? DriverError.exit(Interrupts.exitStatus) : DriverError.failure
        }
    }
}

extension SourceSettings {
    /// Seconds a git clone, fetch or ls-remote may take by default (`--git-timeout`).
    package static var defaultNetworkTimeout: Double { Git.defaultNetworkTimeout }
    /// Seconds a local git command may take by default (`--git-local-timeout`).
    package static var defaultLocalTimeout: Double { Git.defaultLocalTimeout }
}
