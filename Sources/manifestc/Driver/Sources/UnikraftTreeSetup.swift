import FoundationEssentials
import Planner

/// The one place a Unikraft tree on disk becomes the planner's `UnikraftTree`: its git facts
/// (the commit and whether it is modified, for `CONFIG_UK_FULLVERSION`) and the host's
/// architecture; its cached Kconfig tree starts decoding. Used by planning (`PlanPhase`) and by `import`.
package enum UnikraftTreeSetup {
    /// - Parameters:
    ///   - base: the tree's folder (symbolic links resolved).
    ///   - app: the application folder (`A=`).
    ///   - gitRevision: `--uk-git-revision`, for a tree that is not a git checkout.
    package static func tree(base: URL, app: URL, gitRevision: String?) -> UnikraftTree {
        var tree = UnikraftTree(base: base.path, app: app.resolvingSymlinksInPath().path, hostArch: Host.architecture)
        // Its cached Kconfig tree decodes while git's questions are answered (thousands of lstat in a checkout).
        tree.prefetch(cache: TreeCacheLocation.shared)
        let git = GitFacts(folder: base.path)
        tree.gitRevision = gitRevision ?? git.revision
        tree.gitModified = git.modified
        tree.shortRevisionLength = git.shortLength
        return tree
    }
}
