/// Environment interpolation in string values:
/// `${VAR}`, `${VAR:-default}` (unset or empty), `${VAR-default}` (unset),
/// `${VAR:?message}` / `${VAR?message}` (required), and `$$` for a literal `$`.
/// A `$` followed by anything else is kept as written, so shell text survives.
///
/// Secrets stay out: the values come from `environment` (a `.env` file and the process
/// variables the command line allows); a name in `withheld` (set in the process
/// environment, not allowed) is an error where the manifest needs its value, and gives
/// its default with a warning where it has one. Its value is never read.
public struct Interpolator: Sendable {
    public var environment: [String: String]
    /// Variables set in the process environment that the manifest may not read.
    public var withheld: Set<String>

    public init(environment: [String: String], withheld: Set<String> = []) {
        self.environment = environment
        self.withheld = withheld
    }

    /// A problem at `offset` (in Unicode scalars from the start of the text).
    public struct Problem: Equatable, Sendable {
        public var offset: Int
        public var length: Int
        public var id: String
        public var message: String
        public var isWarning = false
    }

    /// Interpolates `text`; returns the result and the problems found.
    public func interpolate(_ text: String) -> (String, [Problem]) {
        guard text.utf8.contains(UInt8(ascii: "$")) else { return (text, []) }
        let s = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var problems: [Problem] = []
        var i = 0
        while i < s.count {
            guard s[i] == "$", i + 1 < s.count else {
                out.append(s[i])
                i += 1
                continue
            }
            if s[i + 1] == "$" {
                out.append("$")
                i += 2
                continue
            }
            guard s[i + 1] == "{" else {
                out.append(s[i])
                i += 1
                continue
            }
            guard let close = s[(i + 2)...].firstIndex(of: "}") else {
                problems.append(Problem(offset: i, length: s.count - i, id: "interpolation-syntax",
                                        message: "'${' is not closed by '}'; write '$${' for a literal '${'"))
                out.append(contentsOf: s[i...])
                break
            }
            let body = String(String.UnicodeScalarView(s[(i + 2)..<close]))
            let length = close - i + 1
            switch expand(body) {
            case .success(let value):
                out.append(contentsOf: value.unicodeScalars)
            case .failure(let problem):
                problems.append(Problem(offset: i, length: length, id: problem.id, message: problem.message))
            }
            if let note = withheldNotice(body) {
                problems.append(Problem(offset: i, length: length, id: "interpolation-env-not-allowed", message: note, isWarning: true))
            }
            i = close + 1
        }
        return (String(out), problems)
    }

    private struct Failure: Error {
        var id: String
        var message: String
    }

    private func expand(_ body: String) -> Result<String, Failure> {
        let nameEnd = body.unicodeScalars.firstIndex { !Self.isNameScalar($0) } ?? body.unicodeScalars.endIndex
        let name = String(body.unicodeScalars[..<nameEnd])
        let rest = String(body.unicodeScalars[nameEnd...])
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else {
            return .failure(Failure(id: "interpolation-syntax",
                                    message: "'${\(body)}' does not start with a variable name; names are letters, digits and '_', not starting with a digit"))
        }
        let value = environment[name]
        if value == nil, withheld.contains(name), rest.isEmpty || rest.hasPrefix("?") || rest.hasPrefix(":?") {
            return .failure(Failure(id: "interpolation-env-not-allowed", message: Self.notAllowed(name)))
        }
        if rest.isEmpty {
            guard let value else {
                return .failure(Failure(id: "interpolation-unset",
                                        message: "environment variable '\(name)' is not set; set it, or give a default with '${\(name):-default}'"))
            }
            return .success(value)
        }
        for (op, emptyCounts) in [(":-", true), ("-", false)] where rest.hasPrefix(op) {
            let fallback = String(rest.dropFirst(op.count))
            if let value, !(emptyCounts && value.isEmpty) { return .success(value) }
            return .success(fallback)
        }
        for (op, emptyCounts) in [(":?", true), ("?", false)] where rest.hasPrefix(op) {
            let message = String(rest.dropFirst(op.count))
            if let value, !(emptyCounts && value.isEmpty) { return .success(value) }
            let detail = message.isEmpty ? "" : ": \(message)"
            return .failure(Failure(id: "interpolation-unset",
                                    message: "environment variable '\(name)' is required\(detail)"))
        }
        return .failure(Failure(id: "interpolation-syntax",
                                message: "'${\(body)}' is not a supported form; use '${NAME}', '${NAME:-default}', '${NAME-default}' or '${NAME:?message}'"))
    }

    /// A warning for `${NAME:-default}` / `${NAME-default}` whose NAME is withheld: the default is used.
    private func withheldNotice(_ body: String) -> String? {
        let name = String(body.unicodeScalars.prefix { Self.isNameScalar($0) })
        let rest = body.dropFirst(name.count)
        guard environment[name] == nil, withheld.contains(name), rest.hasPrefix("-") || rest.hasPrefix(":-") else { return nil }
        return Self.notAllowed(name) + "; the default is used"
    }

    /// The message for a withheld variable: what is wrong and how to allow it.
    static func notAllowed(_ name: String) -> String {
        "environment variable '\(name)' is set in the process environment, which a manifest reads only when allowed "
            + "(it may hold a secret); allow it with '--allow-env \(name)', or set it in the .env file"
    }

    private static func isNameScalar(_ s: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s) || s == "_"
    }
}
