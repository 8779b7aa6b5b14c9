import FoundationEssentials
import Planner

/// The one place a Unikraft tree on disk becomes the planner's `UnikraftTree`: its git facts
/// (the commit and whether it is modified, for `CONFIG_UK_FULLVERSION`) and the host's
/// architecture. Used by planning (`PlanPhase`) and by `import`.
package enum UnikraftTreeSetup {
    /// - Parameters:
    ///   - base: the tree's folder (symbolic links resolved).
    ///   - app: the application folder (`A=`).
    ///   - gitRevision: `--uk-git-revision`, for a tree that is not a git checkout.
    package static func tree(base: URL, app: URL, gitRevision: String?) -> UnikraftTree {
        let git = GitFacts(folder: base.path)
        return UnikraftTree(base: base.path, app: app.resolvingSymlinksInPath().path, hostArch: Host.architecture,
                            gitRevision: gitRevision ?? git.revision, gitModified: git.modified, shortRevisionLength: git.shortLength)
    }
}
