/// Which process environment variables a manifest may read: only those the command line
/// names (`--allow-env NAME`, where `*` matches any run of characters and `?` one), so
/// that a manifest from a pull request cannot copy a CI secret (`GITHUB_TOKEN`,
/// `AWS_SECRET_ACCESS_KEY`) into an emitted file or a log. The `.env` file is not part
/// of the process environment: its values are always read.
public struct EnvironmentPolicy: Sendable, Equatable {
    /// The `--allow-env` patterns.
    public var allowed: [String]

    public init(allowed: [String] = []) { self.allowed = allowed }

    /// Whether the manifest may read the process variable `name`.
    public func allows(_ name: String) -> Bool {
        allowed.contains { Self.matches(Array($0.unicodeScalars)[...], Array(name.unicodeScalars)[...]) }
    }

    /// The variables for interpolation (`file` values, then the allowed process variables over
    /// them) and the process variables withheld (names only).
    public func environment(file: [String: String], process: [String: String]) -> (values: [String: String], withheld: Set<String>) {
        var values = file
        var withheld = Set<String>()
        for (name, value) in process {
            if allows(name) { values[name] = value } else { withheld.insert(name) }
        }
        return (values, withheld)
    }

    /// `*` and `?` matching, iterative (no backtracking blow-up).
    static func matches(_ pattern: ArraySlice<Unicode.Scalar>, _ name: ArraySlice<Unicode.Scalar>) -> Bool {
        var p = pattern.startIndex, n = name.startIndex
        var star: Int?, resume = name.startIndex
        while n < name.endIndex {
            if p < pattern.endIndex, pattern[p] == "?" || pattern[p] == name[n] {
                p += 1; n += 1
            } else if p < pattern.endIndex, pattern[p] == "*" {
                star = p; resume = n; p += 1
            } else if let s = star {
                p = s + 1; resume += 1; n = resume
            } else {
                return false
            }
        }
        while p < pattern.endIndex, pattern[p] == "*" { p += 1 }
        return p == pattern.endIndex
    }
}
