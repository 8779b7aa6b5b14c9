import FoundationEssentials

/// The file operations the output writer needs, so that the writer (what to write, refuse,
/// record) runs the same on the disk and on an in-memory file system in tests. Paths are
/// absolute file URLs.
package protocol OutputFileSystem: Sendable {
    /// The bytes of the regular file at `url`, read without following a symbolic link in its
    /// last component: nil when nothing is there; throws when it is a link, a FIFO, a device or a folder.
    func readRegularFile(_ url: URL) throws -> Data?
    /// Throws when an existing component of `relative` under `root` is a symbolic link that
    /// leads out of `root` (or nowhere); what does not exist yet ends the check.
    func checkInside(_ relative: String, under root: URL) throws
    func fileExists(_ url: URL) -> Bool
    func isExecutable(_ url: URL) -> Bool
    /// Creates the folder and its parents.
    func createDirectory(_ url: URL) throws
    /// Replaces the file at `url` by `bytes` with `mode`, atomically: every reader, and a kill
    /// at any moment, sees the old file or the new one.
    func writeAtomically(_ bytes: [UInt8], mode: Int, to url: URL) throws
    /// Removes the file at `url`, if any.
    func remove(_ url: URL)
    /// Takes the writer lock of `folder` (it exists), waiting up to `timeout` seconds for
    /// another writer (`waiting` is called once when it must wait); released with the result.
    func lock(_ folder: URL, timeout: Double, waiting: () -> Void) throws -> AnyObject
    /// Removes what writers that died in `folder` left behind (their temporary files).
    func removeAbandonedTemporaries(in folder: URL)
}

/// Why a file cannot be written.
package struct WriteError: Error, CustomStringConvertible {
    package var path: String
    package var reason: String
    package var description: String { "cannot write '\(path)': \(reason)" }

    package init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
}
