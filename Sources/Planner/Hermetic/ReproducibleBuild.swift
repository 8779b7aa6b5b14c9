/// The make variables that make an image the same bytes in any folder and at any time:
/// a fixed build time and the source folders' paths mapped to fixed names.
public enum ReproducibleBuild {
    /// `SOURCE_DATE_EPOCH`: the user's when set (a non-negative integer), else the newest of
    /// the pinned sources' commit times, else 0.
    public static func epoch(userValue: String?, commitTimes: [Int]) -> Int? {
        if let userValue {
            guard let value = Int(userValue), value >= 0, userValue.allSatisfy(\.isASCII) else { return nil }
            return value
        }
        return commitTimes.max() ?? 0
    }

    /// `seconds` since 1970 in the form of `date -Iseconds -u` (`2024-05-06T07:08:09+00:00`),
    /// which Unikraft's Makefile computes as `HOSTUTC` and compiles in.
    public static func isoDate(_ seconds: Int) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = seconds - days * 86_400
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let yearText = String(year)
        let padded = String(repeating: "0", count: max(0, 4 - yearText.count)) + yearText
        return "\(padded)-\(two(month))-\(two(day))T\(two(rest / 3600)):\(two(rest % 3600 / 60)):\(two(rest % 60))+00:00"
    }

    /// A folder the compiler sees, and the fixed name it is written as in the image.
    public struct PathMap: Sendable, Equatable {
        public var folder: String
        public var name: String
        public init(folder: String, name: String) {
            self.folder = folder
            self.name = name
        }
    }

    /// The make command-line variables for a reproducible build: `HOSTUTC` (beats the
    /// Makefile's `:=`), and `UK_CFLAGS`, `UK_CXXFLAGS`, `UK_ASFLAGS` (which Unikraft
    /// appends to its own flags) with one `-ffile-prefix-map` per folder. GCC tries the
    /// maps given last first, so the longest folders come last and win over a folder
    /// holding them. The flags reach `sh` unquoted in Unikraft's recipes: a map whose folder
    /// or name make or the shell would not read back (`ValueRules.makePathProblem`, which also
    /// keeps out the `=` that splits a map) is left out.
    public static func makeVariables(epoch: Int, maps: [PathMap]) -> [String] {
        let safe = maps.filter { map in
            [map.folder, map.name].allSatisfy { !$0.isEmpty && !$0.hasPrefix("~") && ValueRules.makePathProblem($0) == nil }
        }
        let ordered = safe.sorted { ($0.folder.count, $0.folder) < ($1.folder.count, $1.folder) }
        let flags = ordered.map { "-ffile-prefix-map=\($0.folder)=\($0.name)" }.joined(separator: " ")
        var variables = ["HOSTUTC=\(isoDate(epoch))"]
        if !flags.isEmpty { variables += ["UK_CFLAGS", "UK_CXXFLAGS", "UK_ASFLAGS"].map { "\($0)=\(flags)" } }
        return variables
    }

    /// The offset of the first byte where `a` and `b` differ (the shorter one's length when one
    /// is the other's beginning); nil when they are the same.
    public static func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> Int? {
        let common = min(a.count, b.count)
        for offset in 0..<common where a[offset] != b[offset] { return offset }
        return a.count == b.count ? nil : common
    }
}
