import ArgumentParser

/// How a command prints its result: for people, or as one versioned JSON document
/// (`{"version": 1, "command": …}`; README, "Machine-readable output").
enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text, json
}
