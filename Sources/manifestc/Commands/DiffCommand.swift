import ArgumentParser
import Driver

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        _superCommandName: "manifestc",
        abstract: "Show what a manifest change really does to the configuration.",
        discussion: """
            Plans the manifest as committed at REV (default HEAD, read with 'git show') and the \
            working copy, and prints every symbol whose value changes, per target, old -> new, with \
            why: the manifest line that sets it, or the select, imply or default that changed it \
            (traced back to the manifest line that started it). With --to-uk-root, the working copy is \
            planned on that other Unikraft tree: symbols renamed, gone, new, or with another default \
            show too. Exit status 0 whether or not anything changes.

            --format json prints {"version": 1, "command": "diff", "from", "to", "targets": [{"id", \
            "changes": [{symbol, old, new (the .config spelling; null when absent), cause (manifest, \
            manifest-removed, dependency, renamed, vanished, introduced), reason (the evaluator's, or the \
            new name), line: {file, line} | null}]}]}.

            Examples:
              manifestc diff --uk-root ~/unikraft
              manifestc diff main --target qemu/x86_64 --format markdown >> "$GITHUB_STEP_SUMMARY"
              manifestc diff --uk-root ../unikraft-0.16.3 --to-uk-root ../unikraft-0.17.0
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, markdown
    }

    @Argument(help: ArgumentHelp("The git revision to compare with (default: HEAD).", valueName: "rev"))
    var revision = "HEAD"

    @Option(name: .customLong("manifest"), help: manifestArgumentHelp)
    var file: String?

    @Option(help: ArgumentHelp("text, markdown (for a pull request) or json.", valueName: "format"))
    var format: Format = .text

    @Option(name: .customLong("to-uk-root"), help: ArgumentHelp("Plan the working copy on this other Unikraft tree.", valueName: "dir"))
    var toUkRoot: String?

    @OptionGroup var input: InputOptions
    @OptionGroup var planning: PlanningOptions

    func run() throws {
        let settings = try input.settings()
        let phase = ConfigDiffPhase(input: settings, planning: planning.settings, otherTree: toUkRoot, console: Console(buffered: false, input: settings))
        let (diff, from, to) = try phase.diff(file: file, revision: revision)
        switch format {
        case .text: phase.console.out(diff.text(from: from, to: to))
        case .markdown: phase.console.out(diff.markdown(from: from, to: to))
        case .json: phase.console.out(diff.document(from: from, to: to).json())
        }
    }
}
