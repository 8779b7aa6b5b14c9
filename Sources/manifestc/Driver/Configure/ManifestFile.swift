import FoundationEssentials
import Glibc

/// The I/O of the commands that edit or compare a manifest (`set`, `unset`, `menuconfig`, `diff`):
/// the manifest read once and replaced atomically only if no one changed it meanwhile, and a
/// committed version of it read through the hardened git runner.
package struct ManifestFile {
    /// The file written: the manifest's real path (a link to it stays a link).
    package let url: URL
    /// The bytes as read.
    package let bytes: [UInt8]

    package struct Changed: Error, CustomStringConvertible {
        var path: String
        package var description: String { "'\(path)' changed since manifestc read it; nothing was written (run the command again)" }
    }

    package static func read(_ path: String) throws -> ManifestFile {
        let url = URL(fileURLWithPath: path).resolvingSymlinksInPath()
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw EditFailure("cannot read '\(path)'")
        }
        return ManifestFile(url: url, bytes: Array(data))
    }

    /// Writes `new` in place of the file: a temporary file beside it (same permissions), flushed,
    /// then renamed over it, but only if the file still holds the bytes read (compared just before
    /// the rename); else nothing changes and `Changed` is thrown.
    package func replace(with new: [UInt8]) throws {
        var info = stat()
        let mode = stat(url.path, &info) == 0 ? Int(info.st_mode & 0o7777) : 0o644
        try DiskOutputFileSystem().writeAtomically(new, mode: mode, to: url) {
            guard let now = FileManager.default.contents(atPath: url.path), Array(now) == bytes else { throw Changed(path: url.path) }
        }
    }

    /// The manifest at `path` as committed at `revision`, read with `git show` in its folder
    /// (the path taken relative to that folder); throws git's own words when there is none.
    package static func committed(_ path: String, at revision: String) throws -> [UInt8] {
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
package struct EditFailure: Error, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}
