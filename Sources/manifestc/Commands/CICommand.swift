import ArgumentParser
import Driver
import Emitters
import FoundationEssentials
import Manifest
import Planner
import Diagnostics

extension CIWorkflowEmitter.Provider: ExpressibleByArgument {}

struct CI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ci",
        _superCommandName: "manifestc",
        abstract: "Write a CI pipeline that checks, builds and boots every manifest: a GitHub workflow or a GitLab pipeline.",
        discussion: """
            The pipeline runs 'manifestc PATHS --check' (and checks itself) as a gate, then one job per \
            (manifest, target) as a matrix: it restores the manifest's .unikraft workspace from a cache \
            keyed by its kraft.lock, installs gcc, the arm64 cross compiler, make, flex, bison and QEMU \
            with apt-get, builds with 'manifestc --build --locked', boots QEMU x86_64 and arm64 images \
            under TCG for --boot-timeout seconds as a smoke test (a normal halt, or still running at the \
            timeout, passes), and uploads the image as an artifact. Every manifest with a build job \
            needs a kraft.lock that pins its sources ('manifestc PATH --update' writes it), or no \
            pipeline is written. Targets with a prebuilt kernel \
            (runtime) are not built. A target the manifest's Unikraft cannot build (linuxu when the \
            manifest follows the channel stable or staging, both past 0.17) gets no job: the pipeline \
            says so in a comment, and the manifest's warning names it. --target, in each job, is the \
            target's id (qemu-x86_64, or its normalized name).

            The file (.github/workflows/manifestc.yml or .gitlab-ci.yml, in --output-dir, default the \
            current folder: the repository's root) carries manifestc's header and is deterministic: \
            --check fails with a diff when it is stale (a manifest, target or kraft.lock changed), and \
            the pipeline's gate runs that check. Paths are searched like the default command's \
            (default: the current folder). Every job needs manifestc on PATH: give --install with the \
            command that puts it there.

            Exit status: 0 on success, 1 when a manifest has errors, a kraft.lock is missing or does not pin its manifest, or --check finds the file stale, 2 on a usage error.

            Examples:
              manifestc ci --provider github
              manifestc ci --provider gitlab apps examples --install 'pip install manifestc-bin'
              manifestc ci --provider github --check
            """
    )

    @Option(help: "github (.github/workflows/manifestc.yml) or gitlab (.gitlab-ci.yml).")
    var provider: CIWorkflowEmitter.Provider

    @Argument(help: ArgumentHelp("Manifests, or folders to search for them (default: the current folder).", valueName: "path"))
    var paths: [String] = []

    @OptionGroup var input: InputOptions

    @Option(name: [.customShort("o"), .customLong("output-dir")], help: ArgumentHelp(
        "The repository's root, where the file is written and from which paths are given (default: the current folder).", valueName: "dir"))
    var outputDirectory: String?

    @Option(help: ArgumentHelp("A shell command every job runs first to put manifestc on PATH (default: none; the runner has it).", valueName: "command"))
    var install: String?

    @Option(help: ArgumentHelp("GitHub's runner label.", valueName: "label"))
    var runner = "ubuntu-24.04"

    @Option(help: ArgumentHelp("GitLab's job image (Debian or Ubuntu).", valueName: "image"))
    var image = "debian:bookworm"

    @Option(name: .customLong("boot-timeout"), help: ArgumentHelp("Seconds each smoke boot may run.", valueName: "seconds"))
    var bootTimeout = 60

    @Flag(name: .customLong("dry-run"), help: "Say whether the file would be created or updated; write nothing.")
    var dryRun = false

    @Flag(help: "Exit 1 with a unified diff when the file is missing or stale; write nothing.")
    var check = false

    @Flag(help: "Overwrite the file even when it was edited or not written by manifestc.")
    var force = false

    func validate() throws {
        if dryRun && check { throw ValidationError("--dry-run and --check cannot be combined") }
        if bootTimeout < 1 { throw ValidationError("--boot-timeout must be at least 1 second") }
    }

    func run() throws {
        let root = URL(fileURLWithPath: outputDirectory ?? FileManager.default.currentDirectoryPath).standardizedFileURL
        let given = paths.isEmpty ? ["."] : paths
        let inputs = try ManifestDiscovery.resolve(given, allowed: input.allowOutside)
        let settings = try input.settings()
        let console = Console(buffered: false, input: settings)
        // Every target, with the tree by the one rule; nothing is fetched.
        let planning = PlanPhase(input: settings, planning: PlanningSettings(), console: console)
        var manifests: [CIWorkflowEmitter.Manifest] = []
        var failed = false
        var lockProblems: [Diagnostic] = []
        for path in inputs.paths {
            let url = URL(fileURLWithPath: path).standardizedFileURL
            let relative = relativePath(from: root, to: url)
            if relative.hasPrefix("../") || relative.hasPrefix("/") {
                throw DriverError.usage("'\(path)' is outside the repository's root '\(root.path)'; give --output-dir the root that holds every manifest")
            }
            let folder = url.deletingLastPathComponent()
            do {
                let prepared = try planning.plan(path, output: folder)
                let lockURL = folder.appendingPathComponent(LockFile.fileName)
                let lock = try settings.readScope(manifest: path).read(lockURL, what: "the lock file")
                let entry = CIWorkflowEmitter.Manifest(path: relative, plan: prepared.plan, lockHash: lock.map { SHA256.hex(Array($0)) })
                // The manifest as written names the sources kraft.lock must pin.
                if let problem = CIWorkflowEmitter.lockProblem(entry, lock: lock.map { LockFile.parse(Array($0), file: lockURL.path) },
                                                               requests: SourceRules.requests(for: prepared.written).requests) {
                    lockProblems.append(problem)
                }
                manifests.append(entry)
            } catch DriverError.exit(let code) where code != 0 {
                failed = true
            }
        }
        if failed {
            console.fail("ci-not-written", "no pipeline written: fix the manifests' errors first")
            throw DriverError.failure
        }
        let problems = lockProblems + CIWorkflowEmitter.problems(manifests, provider: provider)
        if !problems.isEmpty {
            console.diagnostics.report(problems)
            console.fail("ci-not-written", "no pipeline written")
            throw DriverError.failure
        }
        let checkPaths = given.map { relativePath(from: root, to: URL(fileURLWithPath: $0).standardizedFileURL) }
        let options = CIWorkflowEmitter.Options(checkPaths: checkPaths, install: install, runner: runner, image: image, bootTimeout: bootTimeout)
        let file = CIWorkflowEmitter.emit(provider, manifests: manifests, options: options)
        let regenerate = ShellQuote.join(CIWorkflowEmitter.command(provider, options: options))
        let mode: OutputWriter.Mode = check ? .check(regenerate: regenerate) : dryRun ? .dryRun : .write
        let applied = OutputWriter(folder: root, force: force).apply([file], mode: mode, console: console)
        switch applied.status {
        case .ok:
            if mode == .write {
                let jobs = CIWorkflowEmitter.jobs(manifests).count
                let leftOut = CIWorkflowEmitter.leftOut(manifests).count
                console.out("\(root.appendingPathComponent(file.path).path): \(manifests.count) manifest\(manifests.count == 1 ? "" : "s"), \(jobs) build job\(jobs == 1 ? "" : "s")"
                      + (leftOut == 0 ? "" : " (\(leftOut) target\(leftOut == 1 ? "" : "s") left out: it cannot be built)") + (applied.written == 0 ? ", unchanged" : "") + "\n")
            }
        case .stale, .failed:
            throw DriverError.failure
        }
    }
}
