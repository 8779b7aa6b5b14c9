/// What a library's `Library.uk` states about itself (lib-musl's: `name := "musl"`,
/// `license := "MIT"`, `version := 1.2.3 sha256:7d5b… https://www.musl-libc.org/…`).
/// Read as data: one `key := value` per line, nothing expanded.
public struct LibraryDescription: Sendable, Equatable {
    public var name: String?
    public var license: String?
    public var homepage: String?
    /// Every origin a `version :=` line states with a hash and a URL.
    public var origins: [StatedOrigin]

    /// The largest `Library.uk` read.
    public static let sizeLimit = 1 << 20

    /// Reads `text`; `library` names the library in what the origins say.
    public init(parsing text: String, library: String) {
        origins = []
        for rawLine in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let line = rawLine.trimmingCharacters(in: " \t")
            guard !line.hasPrefix("#"), let assign = line.firstRange(of: ":=") ?? line.firstRange(of: "=") else { continue }
            let key = line[..<assign.lowerBound].trimmingCharacters(in: " \t")
            let value = Self.unquoted(line[assign.upperBound...].trimmingCharacters(in: " \t"))
            switch key {
            case "name": name = value
            case "license": license = value
            case "homepage": homepage = value
            case "version":
                let words = value.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
                guard words.count >= 3, words[1].hasPrefix("sha256:") else { continue }
                let digest = String(words[1].dropFirst("sha256:".count)).lowercased()
                guard OriginPin.isDigest(digest), OriginRules.urlProblem(words[2]) == nil else { continue }
                origins.append(StatedOrigin(library: library, version: words[0], sha256: digest, url: words[2]))
            default: continue
            }
        }
    }

    private static func unquoted(_ s: String) -> String {
        s.count >= 2 && s.hasPrefix("\"") && s.hasSuffix("\"") ? String(s.dropFirst().dropLast()) : s
    }
}

/// An origin a library states in its `Library.uk`.
public struct StatedOrigin: Sendable, Equatable, Codable {
    public var library: String
    public var version: String
    public var sha256: String
    public var url: String

    public init(library: String, version: String, sha256: String, url: String) {
        self.library = library
        self.version = version
        self.sha256 = sha256
        self.url = url
    }
}
