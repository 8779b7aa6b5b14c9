/// How a command prints its result: for people, or as one versioned JSON document
/// (`{"version": 1, "command": …}`; README, "Machine-readable output").
package enum OutputFormat: String, CaseIterable, Sendable {
    case text, json
}
