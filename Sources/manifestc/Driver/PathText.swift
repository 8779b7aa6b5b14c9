import FoundationEssentials

/// Path strings taken apart as Foundation's `NSString` path methods did.
enum PathText {
    /// The current user's home folder (Foundation's `NSHomeDirectory()`).
    static var home: String { FileManager.default.homeDirectoryForCurrentUser.path }

    /// `~` or `~user` at the start of `path` replaced by that home folder (a user who does not
    /// exist leaves it as written), then one trailing slash dropped (NSString's `expandingTildeInPath`).
    static func expandingTilde(_ path: String) -> String {
        guard path.hasPrefix("~") else { return path }
        let endOfUser = path.firstIndex(of: "/") ?? path.endIndex
        let user = path[path.index(after: path.startIndex)..<endOfUser]
        var result = path
        if let home = user.isEmpty ? home : FileManager.default.homeDirectory(forUser: String(user))?.path {
            result.replaceSubrange(path.startIndex..<endOfUser, with: home)
        }
        if result.count > 1, result.hasSuffix("/") { result.removeLast() }
        return result
    }

    /// `path` without its last component (NSString's `deletingLastPathComponent`): runs of
    /// slashes count as one, then a trailing slash is dropped; "" for a single relative
    /// component, "/" for a single absolute one.
    static func deletingLastComponent(_ path: String) -> String {
        guard path != "/" else { return path }
        var fixed = path
        while fixed.contains("//") { fixed = fixed.replacing("//", with: "/") }
        if fixed.hasSuffix("/") { fixed.removeLast() }
        guard !fixed.isEmpty else { return fixed }
        guard let slash = fixed.lastIndex(of: "/") else { return "" }
        return slash == fixed.startIndex ? "/" : String(fixed[..<slash])
    }
}
