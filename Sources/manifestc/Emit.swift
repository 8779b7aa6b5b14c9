import ArgumentParser
import Emitters
import Foundation
import Manifest
import Planner

struct Emit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate the manual setup: .config, defconfig, Makefile, launch.sh, qemu-guest, Firecracker and Xen files.",
        discussion: """
            This is the default command: 'manifestc kraft.yaml --emit all' is 'manifestc emit kraft.yaml --emit all'.

            With a Unikraft tree (--uk-root, or UK_ROOT in the environment) each .config.<target> is the \
            full configuration, byte for byte what Unikraft's 'make defconfig' writes; without one it is \
            the seed, and make completes it on the first build. Generated files carry a header with a hash \
            of their contents (and are listed in .manifestc-outputs), so a file you edited or wrote \
            yourself is never overwritten without --force.

            Exit status: 0 on success, 1 on errors (or, with --check, when a file is missing or stale), 2 on a usage error.

            Examples:
              manifestc kraft.yaml --emit all
              manifestc --emit config,makefile --target qemu/x86_64 --uk-root ../unikraft --lib ../libs/lib-musl
              manifestc kraft.yaml --check           # CI gate: are the committed files up to date?
              manifestc kraft.yaml --dry-run         # what would change
            """ + BuildOptions.discussion
    )

    @Argument(help: manifestArgumentHelp)
    var file: String?

    @OptionGroup var input: InputOptions

    @Option(name: .customLong("emit"), parsing: .singleValue, help: ArgumentHelp(
        "What to generate: all, or any of \(Artifact.allCases.map(\.rawValue).joined(separator: ", ")); repeatable or comma-separated (default: all).",
        valueName: "kinds"))
    var emit: [String] = []

    @OptionGroup var planning: PlanningOptions

    @Option(name: [.customShort("o"), .customLong("output-dir")], help: ArgumentHelp(
        "Where to write the files (default: the manifest's folder).", valueName: "dir"))
    var outputDirectory: String?

    @Flag(name: .customLong("dry-run"), help: "List what would be created, updated or refused; write nothing.")
    var dryRun = false

    @Flag(help: "Exit 1 with a unified diff when a generated file is missing or stale; write nothing.")
    var check = false

    @Flag(help: "Overwrite files even when they were edited or not written by manifestc.")
    var force = false

    // MARK: build and run (BuildOptions.swift)
    @OptionGroup(title: "Build and run") var buildOptions: BuildOptions

    func validate() throws {
        if dryRun && check { throw ValidationError("--dry-run and --check cannot be combined") }
        _ = try kinds()
        try buildOptions.validate(check: check, dryRun: dryRun, ukRoot: planning.ukRoot, libraries: planning.libraries, targets: planning.targets)
    }

    func kinds() throws -> Set<Artifact> {
        let names = emit.flatMap { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
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
        let reader = ManifestInput(options: input)
        let path = try ManifestInput.locate(file)
        let manifestFolder = URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL
        let output = outputDirectory.map { URL(fileURLWithPath: $0).standardizedFileURL } ?? manifestFolder
        // Build and run: every target is emitted (the selected ones are built), and the
        // workspace's sources are the tree (BuildOptions.swift).
        var sources: SourceSync.Result?
        let prepared = try planning.plan(path, output: output, reader: reader, emitEveryTarget: buildOptions.buildsOrRuns) { manifest, folder, report in
            sources = try buildOptions.prepareSources(manifest, manifestFolder: folder, report: report)
            return sources.map { buildOptions.planEnvironment($0, app: folder) }
        }
        let plan = prepared.plan
        if prepared.environment.unikraft == nil, try kinds().contains(.config), plan.targets.contains(where: { !$0.prebuilt }) {
            FileHandle.standardError.write(Data("manifestc: no Unikraft tree given (--uk-root or UK_ROOT): .config files hold only the seed\n".utf8))
        }

        let defaults = sources.map { buildOptions.makefileDefaults($0, output: output, manifestFolder: manifestFolder) }
            ?? (ukRoot: planning.ukRootDefault(output: output), ukLibs: ".unikraft/libs")
        let files = Artifact.emit(try kinds().union(buildOptions.neededArtifacts), plan: plan, ukRoot: defaults.ukRoot, ukLibs: defaults.ukLibs)
        let writer = OutputWriter(folder: output, force: force)
        if check { try runCheck(writer.plan(files), output: output) }
        if dryRun {
            let planned = writer.plan(files)
            for p in planned { print("\(describe(p.change)) \(p.file.path)") }
            return
        }
        // Writing: hold the folder's lock from deciding what to write until the record is written.
        let lock: OutputWriter.Lock
        do {
            lock = try writer.lock {
                FileHandle.standardError.write(Data("manifestc: waiting for another manifestc writing \(output.path)\n".utf8))
            }
        } catch {
            FileHandle.standardError.write(Data("manifestc: error: \(error)\n".utf8))
            throw ExitCode.failure
        }
        defer { withExtendedLifetime(lock) {} }
        writer.removeAbandonedTemporaries()
        let planned = writer.plan(files)
        let refused = planned.filter { if case .refuse = $0.change { return true }; return false }
        if !refused.isEmpty {
            for p in refused {
                if case .refuse(let why) = p.change {
                    FileHandle.standardError.write(Data("manifestc: error: refusing to overwrite '\(output.appendingPathComponent(p.file.path).path)': \(why); move it away or use --force\n".utf8))
                }
            }
            throw ExitCode.failure
        }
        do {
            for p in planned where p.change != .unchanged { try writer.write(p.file) }
            try writer.write(writer.record(after: files))
        } catch {
            FileHandle.standardError.write(Data("manifestc: error: \(error)\n".utf8))
            throw ExitCode.failure
        }
        let changed = planned.filter { $0.change != .unchanged }.count
        print("\(output.path): \(files.count) files, \(changed) written, \(files.count - changed) unchanged")
        try buildOptions.buildAndRun(plan.targets.filter { prepared.selected.contains($0.id) }, output: output)
    }

    private func describe(_ change: OutputWriter.Change) -> String {
        switch change {
        case .create: "create   "
        case .update: "update   "
        case .unchanged: "unchanged"
        case .refuse(let why): "refuse   (\(why))"
        }
    }

    private func runCheck(_ planned: [OutputWriter.Planned], output: URL) throws -> Never {
        var stale = 0
        for p in planned where p.change != .unchanged {
            stale += 1
            let shown = output.appendingPathComponent(p.file.path).path
            if let existing = p.existing {
                print(UnifiedDiff.render(old: existing, new: p.file.contents, oldName: "a/\(p.file.path)", newName: "b/\(p.file.path)"), terminator: "")
            } else {
                FileHandle.standardError.write(Data("manifestc: '\(shown)' is missing\n".utf8))
                print(UnifiedDiff.render(old: "", new: p.file.contents, oldName: "/dev/null", newName: "b/\(p.file.path)"), terminator: "")
            }
        }
        if stale > 0 {
            FileHandle.standardError.write(Data("manifestc: \(stale) generated file\(stale == 1 ? " is" : "s are") missing or stale; run '\(["manifestc", file].compactMap { $0 }.joined(separator: " "))' to regenerate\n".utf8))
            throw ExitCode.failure
        }
        throw ExitCode.success
    }
}

/// `to` relative to the folder `from`, or absolute when they share nothing but `/`.
func relativePath(from: URL, to: URL) -> String {
    let a = from.standardizedFileURL.pathComponents, b = to.standardizedFileURL.pathComponents
    var common = 0
    while common < a.count, common < b.count, a[common] == b[common] { common += 1 }
    if common <= 1 { return to.path }
    let ups = Array(repeating: "..", count: a.count - common)
    let rest = Array(b[common...])
    let parts = ups + rest
    return parts.isEmpty ? "." : parts.joined(separator: "/")
}
