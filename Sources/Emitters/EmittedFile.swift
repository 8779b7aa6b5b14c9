/// One generated file: where it goes, what it holds, and whether it is executable.
/// Emitters return these; only the command line writes them.
public struct EmittedFile: Equatable, Sendable {
    /// Path relative to the output folder.
    public var path: String
    public var contents: String
    public var executable: Bool

    public init(path: String, contents: String, executable: Bool = false) {
        self.path = path
        self.contents = contents
        self.executable = executable
    }

    /// The POSIX mode to write the file with.
    public var mode: Int { executable ? 0o755 : 0o644 }
}
