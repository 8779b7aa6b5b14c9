import Diagnostics
import Emitters
import FoundationEssentials
import Manifest
import Planner

/// The driver of the default command: for each manifest, the phases load → resolve sources →
/// resolve template → select targets → plan (`PlanPhase`) → emit → write, then for one
/// manifest build → run (`BuildPhase`). Several manifests are compiled concurrently, each
/// on a console of its own, and printed in the order given.
package enum Compile {
    /// Said when `.config` files hold only the seed.
    package static let seedOnlyNote = "no Unikraft tree found (--uk-root, UK_ROOT, the manifest's local unikraft source, or the workspace kraft.lock pins; 'manifestc --build' fetches it): .config files hold only the seed"

    /// Compiles `inputs` as `request` says, printing on standard output and error; throws
    /// the exit status to leave with (`DriverError`).
    package static func run(_ inputs: ManifestDiscovery.Inputs, _ request: CompileRequest) throws {
        let usesSources = request.sources != nil
        let terminal = Console(buffered: false, input: request.input)
        guard inputs.searched else {
            // One manifest: output as it goes, then build and run.
            let started = ContinuousClock.now
            let json = request.format == .json
            let console = Console(buffered: json, input: request.input, collectsDiagnostics: json)
            var result = try compile(inputs.paths[0], request, console: console)
            result.seconds = ManifestBatch.seconds(since: started)
            if json {
                result.log = console.captured
                result.diagnostics = console.diagnostics.diagnostics
                terminal.out(ManifestBatch.document([result]).json())
            }
            guard result.status == .ok else { throw DriverError.exit(result.exitCode) }
            if case .check = request.writing { return }
            let manifest = URL(fileURLWithPath: result.path).standardizedFileURL
            try BuildPhase(settings: request.build, console: console)
                .buildAndRun(result.buildTargets, output: URL(fileURLWithPath: result.output), applicationArguments: request.applicationArguments,
                             manifest: manifest, workspace: PlanPhase.workspaceFolder(request.workspace, manifestFolder: manifest.deletingLastPathComponent()))
            return
        }
        if usesSources { throw DriverError.usage("--build, --run, --locked and --update take one manifest") }
        if request.outputDirectory != nil { throw DriverError.usage("--output-dir takes one manifest; with several, each manifest's files go into its own folder") }
        try ManifestBatch.checkDistinctOutputs(inputs.paths)
        let started = ContinuousClock.now
        let results = ManifestBatch.run(inputs.paths, width: request.concurrency ?? ProcessInfo.processInfo.activeProcessorCount) { path in
            let started = ContinuousClock.now
            let console = Console(buffered: true, input: request.input, collectsDiagnostics: request.format == .json)
            var result: CompileResult
            do {
                result = try compile(path, request, console: console, batch: true)
            } catch {
                console.fail("manifest-failed", ManifestBatch.message(error))
                result = CompileResult(path: path, output: "", status: .failed)
            }
            result.log = console.captured
            result.diagnostics = console.diagnostics.diagnostics
            result.seconds = ManifestBatch.seconds(since: started)
            return result
        }
        if request.format == .text, results.contains(where: \.seedOnly) {
            terminal.say(seedOnlyNote)
        }
        ManifestBatch.print(results, format: request.format, wall: ManifestBatch.seconds(since: started), on: terminal)
        if results.contains(where: { $0.status != .ok }) { throw DriverError.failure }
    }

    /// Compiles the manifest at `path` into its output folder (or checks, or lists, what
    /// would change), with all output going to `console`. Errors in the manifest make a
    /// failed result; a usage problem (a file that cannot be read, an unknown target) throws.
    package static func compile(_ path: String, _ request: CompileRequest, console: Console, batch: Bool = false) throws -> CompileResult {
        var result = CompileResult(path: path, output: "", status: .failed)
        let manifestFolder = URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL
        let output = request.outputDirectory.map { URL(fileURLWithPath: $0).standardizedFileURL } ?? manifestFolder
        result.output = output.path
        // Build and run: every target is emitted (the selected ones are built), and the
        // workspace's sources are the tree.
        let prepared: PlanPhase.Prepared
        do {
            prepared = try PlanPhase(input: request.input, planning: request.planning, sources: request.sources,
                                     workspace: request.workspace, emitEveryTarget: request.build.buildsOrRuns, console: console).plan(path, output: output)
        } catch DriverError.exit(let code) where code != 0 {
            result.exitCode = code
            return result
        }
        let plan = prepared.plan
        result.targets = plan.targets.map(\.id)
        for note in prepared.treeNotes { console.say(note) }
        if prepared.environment.unikraft == nil, request.artifacts.contains(.config), plan.targets.contains(where: { !$0.prebuilt }) {
            result.seedOnly = true
            if !batch { console.say(seedOnlyNote) }
        }

        let files = emit(prepared, artifacts: request.artifacts.union(request.build.neededArtifacts))
        result.files = files.count
        let applied = write(files, into: output, request, path: path, console: console)
        result.status = applied.status
        result.written = applied.written
        guard applied.status == .ok, request.writing == .write else { return result }
        if request.format == .text { console.out("\(output.path): \(files.count) files, \(applied.written) written, \(files.count - applied.written) unchanged\n") }
        result.buildTargets = plan.targets.filter { prepared.selected.contains($0.id) }
        return result
    }

    /// The emit phase: the plan's files of the kinds asked for.
    static func emit(_ prepared: PlanPhase.Prepared, artifacts: Set<Artifact>) -> [EmittedFile] {
        Artifact.emit(artifacts, plan: prepared.plan)
    }

    /// The write phase: writes, lists (`--dry-run`) or checks (`--check`) the files.
    static func write(_ files: [EmittedFile], into output: URL, _ request: CompileRequest, path: String, console: Console)
        -> (status: CompileResult.Status, written: Int) {
        let mode: OutputWriter.Mode
        switch request.writing {
        case .write: mode = .write
        case .dryRun: mode = .dryRun
        case .check(let regenerate): mode = .check(regenerate: regenerate(path))
        }
        return OutputWriter(folder: output, force: request.force).apply(files, mode: mode, console: console)
    }
}
