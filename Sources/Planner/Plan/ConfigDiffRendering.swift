import Diagnostics

/// `manifestc diff`'s three renderings of a `ConfigDiff`: text for a terminal, markdown for a
/// pull request (GitHub's job summary), JSON for programs. `from` and `to` name the two sides.
extension ConfigDiff {
    public var changeCount: Int { targets.map(\.changes.count).reduce(0, +) }

    /// Why, in a few words, with the manifest line when there is one.
    static func why(_ change: Change) -> String {
        let line = change.line.map { "\($0.file):\($0.range.start.line)" }
        switch change.cause {
        case .manifest: return "set at \(line ?? "the manifest")"
        case .manifestRemoved: return "line removed (was \(line ?? "in the manifest"))"
        case .dependency(let reason): return reason + (line.map { ", from \($0)" } ?? "")
        case .renamed(let name): return "renamed to \(name) in the new tree" + (line.map { "; still set at \($0)" } ?? "")
        case .vanished: return "not in the new tree" + (line.map { "; still set at \($0)" } ?? "")
        case .introduced: return "new in the new tree"
        }
    }

    static func shown(_ value: String?) -> String { value ?? "(absent)" }

    public func text(from: String, to: String) -> String {
        guard changeCount > 0 else { return "no configuration change from \(from) to \(to)\n" }
        var out = ""
        for target in targets where !target.changes.isEmpty {
            out += "target \(target.id): \(target.changes.count) symbol\(target.changes.count == 1 ? "" : "s") change from \(from) to \(to)\n"
            for change in target.changes {
                out += "  \(change.symbol): \(Self.shown(change.old)) -> \(Self.shown(change.new))  (\(Self.why(change)))\n"
            }
        }
        return out
    }

    public func markdown(from: String, to: String) -> String {
        var out = "### Unikraft configuration: \(Self.inline(from)) → \(Self.inline(to))\n\n"
        guard changeCount > 0 else { return out + "No symbol changes its value.\n" }
        for target in targets where !target.changes.isEmpty {
            out += "#### Target \(Self.inline(target.id)): \(target.changes.count) symbol\(target.changes.count == 1 ? "" : "s")\n\n"
            out += "| symbol | old | new | why |\n|---|---|---|---|\n"
            for change in target.changes {
                out += "| \(Self.inline(change.symbol)) | \(Self.inline(Self.shown(change.old))) | \(Self.inline(Self.shown(change.new))) | \(Self.inline(Self.why(change))) |\n"
            }
            out += "\n"
        }
        return out
    }

    /// Text as a markdown code span in a table cell: fenced by more backticks than it holds in a
    /// row, `|` escaped (GitHub's tables split on it even in code), line breaks as spaces.
    static func inline(_ text: String) -> String {
        var longest = 0, run = 0
        for c in text { if c == "`" { run += 1; longest = max(longest, run) } else { run = 0 } }
        let fence = String(repeating: "`", count: longest + 1)
        var body = ""
        for c in text {
            switch c {
            case "|": body += "\\|"
            case "\n", "\r", "\r\n": body += " "
            default: body.append(c)
            }
        }
        guard !body.isEmpty else { return "" }
        // CommonMark strips one space from each end of a code span that has one at both (and is not all spaces).
        let pad = !body.allSatisfy({ $0 == " " }) && (body.hasPrefix("`") || body.hasSuffix("`") || body.hasPrefix(" ") && body.hasSuffix(" ")) ? " " : ""
        return fence + pad + body + pad + fence
    }

    public func document(from: String, to: String) -> DocumentValue {
        .map([
            ("version", .int(1)), ("command", .string("diff")), ("from", .string(from)), ("to", .string(to)),
            ("targets", .list(targets.map { target in
                .map([("id", .string(target.id)), ("changes", .list(target.changes.map(Self.document)))])
            })),
        ])
    }

    static func document(_ change: Change) -> DocumentValue {
        let (cause, reason): (String, DocumentValue) = switch change.cause {
        case .manifest: ("manifest", .null)
        case .manifestRemoved: ("manifest-removed", .null)
        case .dependency(let why): ("dependency", .string(why))
        case .renamed(let name): ("renamed", .string(name))
        case .vanished: ("vanished", .null)
        case .introduced: ("introduced", .null)
        }
        return .map([
            ("symbol", .string(change.symbol)), ("old", change.old.map(DocumentValue.string) ?? .null),
            ("new", change.new.map(DocumentValue.string) ?? .null), ("cause", .string(cause)), ("reason", reason),
            ("line", change.line.map { .map([("file", .string($0.file)), ("line", .int($0.range.start.line))]) } ?? .null),
        ])
    }
}
