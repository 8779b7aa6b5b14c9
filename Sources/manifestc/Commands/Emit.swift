import ArgumentParser
import Diagnostics
import Driver
import Emitters
import FoundationEssentials
import Planner

struct Emit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emit",
        _superCommandName: "manifestc",
        abstract: "Generate the manual setup: .config, defconfig, Makefile, launch.sh, qemu-guest, Firecracker and Xen files.",
        discussion: """
            This is the default command: 'manifestc kraft.yaml --emit all' is 'manifestc emit kraft.yaml --emit all'.

            With a Unikraft tree each .config.<target> is the full configuration, byte for byte what \
            Unikraft's 'make defconfig' writes; without one it is the seed, and make completes it on the \
            first build. The tree is found by one rule for every command: --uk-root (or UK_ROOT), then the \
            manifest's local 'unikraft: source:' folder, then the workspace checkout kraft.lock pins (at \
            the locked commit; nothing is fetched), then none; a note says which was used. Generated files carry a header with a hash \
            of their contents (and are listed in .manifestc-outputs), so a file you edited or wrote \
            yourself is never overwritten without --force.

            Exit status: 0 on success, 1 on errors (or, with --check, when a file is missing or stale), 2 on a usage error.

            Examples:
              manifestc kraft.yaml --emit all
              manifestc --emit config,makefile --target qemu/x86_64 --uk-root ../unikraft --lib ../libs/lib-musl
              manifestc kraft.yaml --check           # CI gate: are the committed files up to date?
              manifestc kraft.yaml --dry-run         # what would change
              manifestc apps examples --check        # every manifest under apps/ and examples/, concurrently

            Several manifests: files and folders (searched for Kraftfile, kraft.yaml, …) are compiled \
            concurrently, each into its own folder; the output of each is printed in the order given, \
            then one summary table (manifest, targets, result, time). One failing manifest does not \
            stop the others; the exit status is 1 when any failed. --format json prints the summary as \
            {"version": 1, "command": "emit", "ok": …, "manifests": [{manifest, folder, targets, result, \
            files, written, milliseconds, stdout, stderr, diagnostics}]}.
            """ + BuildOptions.discussion
    )

    @Argument(help: ArgumentHelp(
        "Manifests, or folders to search (recursively, skipping hidden folders) for Kraftfile, kraft.yaml, kraft.yml, Kraftfile.yml or Kraftfile.yaml. Default: the manifest in the current folder or the nearest parent that has one. With --run, the words after '--' are the application's arguments; they replace the manifest's.",
        valueName: "path"))
    var positional: [String] = []

    /// The manifests and folders: the positional words before `--`.
    var files: [String] { Self.splitAtTerminator(positional, commandLine: CommandLine.arguments).files }
    /// With `--run`: the words after `--`.
    var applicationArguments: [String] { Self.splitAtTerminator(positional, commandLine: CommandLine.arguments).application }

    /// ArgumentParser allows one array of positionals, and puts the words after `--` at its
    /// end: as many as follow the first `--` of the command line are the application's.
    static func splitAtTerminator(_ words: [String], commandLine: [String]) -> (files: [String], application: [String]) {
        guard let dash = commandLine.dropFirst().firstIndex(of: "--") else { return (words, []) }
        let tail = min(commandLine.count - dash - 1, words.count)
        return (Array(words.dropLast(tail)), Array(words.suffix(tail)))
    }

    @OptionGroup var input: InputOptions

    @Option(name: .customLong("emit"), parsing: .singleValue, help: ArgumentHelp(
        "What to generate: all, or any of \(Artifact.allCases.map(\.rawValue).joined(separator: ", ")); repeatable or comma-separated (default: all).",
        valueName: "kinds"), completion: .list(["all"] + Artifact.allCases.map(\.rawValue)))
    var emit: [String] = []

    @OptionGroup var planning: PlanningOptions

    @Option(name: [.customShort("o"), .customLong("output-dir")], help: ArgumentHelp(
        "Where to write the files (default: the manifest's folder). Only with one manifest.", valueName: "dir"))
    var outputDirectory: String?

    @Flag(name: .customLong("dry-run"), help: "List what would be created, updated or refused; write nothing. Exits 1 when a file would be refused, as the real run would.")
    var dryRun = false

    @Flag(help: "Exit 1 with a unified diff when a generated file is missing or stale, naming the command that regenerates them; write nothing.")
    var check = false

    @Flag(help: "Overwrite files even when they were edited or not written by manifestc.")
    var force = false

    @Option(help: ArgumentHelp("The summary of several manifests: text (a table) or json (see README, 'Machine-readable output').", valueName: "format"))
    var format: OutputFormat = .text

    @Option(name: .customLong("concurrency"), help: ArgumentHelp(
        "How many manifests to compile at once (default: the number of cores).", valueName: "n"))
    var concurrency: Int?

    // MARK: build and run (BuildOptions.swift)
    @OptionGroup(title: "Build and run") var buildOptions: BuildOptions

    func validate() throws {
        if dryRun && check { throw ValidationError("--dry-run and --check cannot be combined") }
        _ = try kinds()
        try buildOptions.validate(check: check, dryRun: dryRun, ukRoot: planning.ukRoot, libraries: planning.libraries, targets: planning.targets, applicationArguments: applicationArguments)
        if format == .json && buildOptions.buildSettings.buildsOrRuns { throw ValidationError("--format json cannot be combined with --build or --run") }
        if let concurrency, concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
        if files.count > 1 {
            if outputDirectory != nil { throw ValidationError("--output-dir takes one manifest; with several, each manifest's files go into its own folder") }
            if buildOptions.usesSources { throw ValidationError("--build, --run, --locked and --update take one manifest") }
        }
    }

    func kinds() throws -> Set<Artifact> {
        let names = emit.flatMap { $0.split(separator: ",").map { String($0).trimmingWhitespace() } }
        if names.isEmpty || names.contains("all") { return Set(Artifact.allCases) }
        var kinds = Set<Artifact>()
        for name in names {
            guard let kind = Artifact(rawValue: name) else {
                let known = Artifact.allCases.map(\.rawValue) + ["all"]
                throw ValidationError("unknown artifact '\(name)'\(Suggestion.didYouMean(name, among: known)); use \(known.joined(separator: ", "))")
            }
            kinds.insert(kind)
        }
        return kinds
    }

    func run() throws {
        // `manifestc valdate`: a first word that names no file may be a mistyped command.
        let commands = CommandLine.arguments.dropFirst().first == files.first ? Manifestc.commandNames : []
        let inputs = try ManifestDiscovery.resolve(files, allowed: input.allowOutside, commands: commands)
        try Compile.run(inputs, request())
    }

    /// The options as the driver takes them.
    func request() throws -> CompileRequest {
        var request = CompileRequest()
        request.input = try input.settings()
        request.planning = planning.settings
        request.artifacts = try kinds()
        request.outputDirectory = outputDirectory
        request.writing = check ? .check(regenerate: { regenerateCommand($0) }) : dryRun ? .dryRun : .write
        request.force = force
        request.format = format
        request.concurrency = concurrency
        request.sources = buildOptions.sourceSettings()
        request.workspace = buildOptions.workspace
        request.build = buildOptions.buildSettings
        request.applicationArguments = applicationArguments
        return request
    }
}

extension Emit {
    /// The command that rewrites what `--check` compared, shell-quoted: the manifest (when one
    /// was named) and every option that changes the files or where they go.
    func regenerateCommand(_ path: String) -> String {
        var words = ["manifestc"] + (files.isEmpty ? [] : [path])
        words += emit.flatMap { ["--emit", $0] }
        words += planning.targets.flatMap { ["--target", $0] }
        words += planning.ukRoot.map { ["--uk-root", $0] } ?? []
        words += planning.libraries.flatMap { ["--lib", $0] }
        words += planning.ukGitRevision.map { ["--uk-git-revision", $0] } ?? []
        words += outputDirectory.map { ["--output-dir", $0] } ?? []
        words += input.envFile.map { ["--env-file", $0] } ?? []
        words += input.allowOutside.flatMap { ["--allow-outside", $0] }
        words += input.strict ? ["--strict"] : []
        words += input.limitSettings.flatMap { ["--limit", $0] }
        return ShellQuote.join(words)
    }
}

// The parsed options are plain values, never changed after parsing: safe to share with
// the tasks that compile several manifests at once (`--check`'s regenerate command).
extension Emit: @unchecked Sendable {}
