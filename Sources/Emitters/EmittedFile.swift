/// One generated file: where it goes, what it holds, and whether it is executable.
/// Emitters return these; only the command line writes them.
public struct EmittedFile: Equatable, Sendable {
    /// Path relative to the output folder.
    public var path: String
    public var contents: String
    public var executable: Bool
    /// For a `.config` planned without a Unikraft tree (so `contents` is only the seed): the
    /// seed's lines (`CONFIG_X=v`, `# CONFIG_X is not set`). A full configuration manifestc
    /// wrote earlier with a tree that holds every one of them still stands for this file.
    public var seed: [String]?

    public init(path: String, contents: String, executable: Bool = false, seed: [String]? = nil) {
        self.path = path
        self.contents = contents
        self.executable = executable
        self.seed = seed
    }

    /// Whether `configuration` (a `.config` in conf's format) holds every line of `seed`.
    public static func configuration(_ configuration: String, holds seed: [String]) -> Bool {
        var values: [Substring: Substring] = [:]
        for line in configuration.split(separator: "\n") {
            if line.hasPrefix("CONFIG_"), let eq = line.firstIndex(of: "=") {
                values[line[..<eq]] = line[line.index(after: eq)...]
            } else if line.hasPrefix("# CONFIG_"), line.hasSuffix(" is not set") {
                values[line.dropFirst(2).dropLast(" is not set".count)] = "n"
            }
        }
        return seed.allSatisfy { line in
            if line.hasPrefix("# "), line.hasSuffix(" is not set") {
                let name = line.dropFirst(2).dropLast(" is not set".count)
                return values[name] == nil || values[name] == "n"
            }
            guard let eq = line.firstIndex(of: "=") else { return false }
            return values[line[..<eq]] == line[line.index(after: eq)...]
        }
    }

    /// The POSIX mode to write the file with.
    public var mode: Int { executable ? 0o755 : 0o644 }
}
