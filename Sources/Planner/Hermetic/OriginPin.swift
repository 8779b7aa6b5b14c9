/// One origin pinned in `kraft.lock`: a file a library's build downloads (a release
/// tarball), by its URL, with the SHA-256 and size of its content.
public struct OriginPin: Sendable, Equatable {
    public var url: String
    /// 64 lower-case hex digits.
    public var sha256: String
    public var size: Int

    public init(url: String, sha256: String, size: Int) {
        self.url = url
        self.sha256 = sha256
        self.size = size
    }

    /// Whether `text` is a SHA-256 as the lock and the cache write it (64 lower-case hex digits).
    public static func isDigest(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}

/// What the checks of a downloaded origin found wrong; nil from `OriginRules.verify` when nothing.
public struct OriginMismatch: Sendable, Equatable, Error, CustomStringConvertible {
    public var url: String
    /// Who states the expected hash: `kraft.lock`, or a library's `Library.uk`.
    public var expectedBy: String
    public var expected: String
    public var actual: String

    public var description: String {
        "the origin '\(url)' has changed: \(expectedBy) pins sha256 \(expected), the download has sha256 \(actual); "
            + "nothing was built. If the change is expected, remove its entry from kraft.lock's 'origins' and build again"
    }
}
