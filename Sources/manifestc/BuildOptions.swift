import ArgumentParser
import Emitters
import Foundation
import Manifest
import Planner
import Diagnostics

/// `--build`, `--run` and the source options of the default command: fetch the
/// manifest's sources into the workspace (pinned by `kraft.lock`), plan against the
/// fetched tree, build with make, run with launch.sh.
struct BuildOptions: ParsableArguments {
    /// The part of the command's help about building and running.
    static let discussion = """


        Build and run: --build fetches unikraft, every library and a template with git into the \
        workspace (.unikraft/: unikraft/, libs/lib-<name>/, apps/<name>/), pins each to a commit in \
        kraft.lock next to the manifest, emits the files against the fetched tree (so .config is the \
        full configuration), then runs make for each selected target (--target; default: all). \
        'source' is a git URL, URL@ref or a local folder (used in place); 'version' a branch, tag, \
        commit, release number (0.17.0: tag RELEASE-0.17.0 or v0.17.0) or the channels stable and \
        staging; without a source, a library comes from https://github.com/unikraft/lib-<name>.git \
        and the core from https://github.com/unikraft/unikraft.git (git's url.<base>.insteadOf \
        points them at a mirror). Once kraft.lock pins a source, its commit is used and nothing is \
        fetched while the workspace has it. --run builds, then runs one target through launch.sh. \
        arm64 on an x86_64 host builds with CROSS_COMPILE=aarch64-linux-gnu- (or $CROSS_COMPILE).

        Origins (the tarballs libraries download while building) go through manifestc's own WGET: \
        each is pinned in kraft.lock's 'origins' (URL, SHA-256, size) on first use, kept in \
        $XDG_CACHE_HOME/manifestc/origins (shared by all workspaces), checked against the lock and \
        the hash the library's Library.uk states, and fetched before anything is compiled; a changed \
        download stops the build. --fetch fetches everything up front; --offline then builds with no \
        network. Images are reproducible (fixed build time from SOURCE_DATE_EPOCH or the sources' \
        commits, source folders mapped to fixed names): --build prints each image's SHA-256 and writes \
        <image>.spdx.json beside it; --verify-reproducible builds again in a fresh folder and compares.

        QEMU targets run with KVM when a tiny test guest runs under it (a /dev/kvm can be present \
        but broken, as under some nested virtualisation), else with TCG, saying why; --accel kvm or \
        --accel tcg forces one.

        Exit status with --run: the guest's (QEMU x86: 0 when Unikraft halts normally), 124 after \
        --timeout, 130 when interrupted (143 on SIGTERM).

          manifestc --build                      # fetch, pin in kraft.lock, emit, make every target
          manifestc --run --target qemu/arm64 -- hello   # build and boot one target with arguments
          manifestc --build --locked             # CI: kraft.lock must already pin the manifest
          manifestc --update                     # move every source to its version's newest commit
          manifestc --fetch && manifestc --build --offline --locked   # fetch once, then build with no network
          manifestc --build --verify-reproducible  # build twice in two folders, compare the images
        """

    @Flag(help: "Fetch the sources (pinned by kraft.lock), emit, then run make for each selected target.")
    var build = false

    @Flag(help: "Build if needed, then run the target (--target, default: the first) through launch.sh; the guest's exit status is manifestc's.")
    var run = false

    @Flag(help: "Fail, with a diff, when kraft.lock is missing or does not pin what the manifest asks for; never write it.")
    var locked = false

    @Flag(help: "Resolve every source's version again and rewrite kraft.lock.")
    var update = false

    @Option(name: .customLong("workspace"), help: ArgumentHelp("Where fetched sources go (default: .unikraft next to the manifest).", valueName: "dir"))
    var workspace: String?

    @Option(name: [.customShort("j", allowingJoined: true), .customLong("jobs")], help: ArgumentHelp("Parallel make jobs (default: the number of cores).", valueName: "n"))
    var jobs: Int?

    @Flag(name: [.customShort("v"), .customLong("verbose")], help: "Show make's and git's output instead of one progress line per step.")
    var verbose = false

    @Option(help: ArgumentHelp("Stop the guest after this many seconds (--run); manifestc then exits with 124.", valueName: "seconds"))
    var timeout: Double?

    @Option(name: .customLong("git-timeout"), help: ArgumentHelp(
        "Stop a git clone, fetch or ls-remote after this many seconds (default: \(Int(Git.defaultNetworkTimeout))).", valueName: "seconds"))
    var gitTimeout: Double?

    @Option(name: .customLong("git-local-timeout"), help: ArgumentHelp(
        "Stop a local git command (rev-parse, status, checkout) after this many seconds (default: \(Int(Git.defaultLocalTimeout))).", valueName: "seconds"))
    var gitLocalTimeout: Double?

    @OptionGroup(title: "Hermetic builds") var hermetic: HermeticOptions

    @Option(help: ArgumentHelp("QEMU's accelerator for --run: kvm or tcg (emulation). Default: KVM when a tiny test guest runs under it, else TCG, saying why.", valueName: "kvm|tcg"))
    var accel: Runner.Accelerator?

    /// Whether sources are fetched and pinned at all.
    var usesSources: Bool { build || run || locked || update || hermetic.fetch }

    func validate(check: Bool, dryRun: Bool, ukRoot: String?, libraries: [String], targets: [String], applicationArguments: [String]) throws {
        if locked && update { throw ValidationError("--locked and --update cannot be combined") }
        try hermetic.validate(build: build || run)
        if (build || run) && (check || dryRun) { throw ValidationError("--build and --run cannot be combined with --check or --dry-run") }
        if usesSources && (ukRoot != nil || !libraries.isEmpty) {
            throw ValidationError("--uk-root and --lib cannot be combined with --build, --run, --locked or --update; give the folder as the component's 'source' in the manifest")
        }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if let timeout, !(timeout > 0) { throw ValidationError("--timeout must be a positive number of seconds") }
        for (name, value) in [("--git-timeout", gitTimeout), ("--git-local-timeout", gitLocalTimeout)] {
            if let value, !(value > 0) { throw ValidationError("\(name) must be a positive number of seconds") }
        }
        if timeout != nil && !run { throw ValidationError("--timeout applies to --run") }
        if accel != nil && !run { throw ValidationError("--accel applies to --run") }
        if !applicationArguments.isEmpty && !run { throw ValidationError("arguments after '--' are passed to the guest by --run; add --run") }
        if run && targets.count > 1 { throw ValidationError("--run runs one target; give a single --target") }
    }

    /// The artifacts a build and a run need, whatever `--emit` says.
    var neededArtifacts: Set<Artifact> {
        var kinds: Set<Artifact> = []
        if buildsOrRuns { kinds.formUnion([.config, .makefile]) }
        if run { kinds.insert(.launch) }
        return kinds
    }

    private func say(_ text: String) {
        FileHandle.standardError.write(Data("manifestc: \(text)\n".utf8))
    }

    /// Fetches and pins the sources; nil when no source option is given.
    func prepareSources(_ manifest: Manifest, manifestFolder: URL, scope: ReadScope, report: ([Diagnostic]) -> Void) throws -> SourceSync.Result? {
        guard usesSources else { return nil }
        let root = workspaceFolder(manifestFolder: manifestFolder)
        var git = Git()
        if let gitTimeout { git.networkTimeout = gitTimeout }
        if let gitLocalTimeout { git.localTimeout = gitLocalTimeout }
        git.offline = hermetic.offline
        if verbose { git.progress = { FileHandle.standardError.write(Data(("  " + $0 + "\n").utf8)) } }
        let sync = SourceSync(manifest: manifest, manifestFolder: manifestFolder,
                              lockURL: manifestFolder.appendingPathComponent(LockFile.fileName),
                              workspace: Workspace(root: root, manifestFolder: manifestFolder, git: git),
                              mode: locked ? .locked : update ? .update : .normal, scope: scope, say: say)
        do {
            let result = try sync.sync()
            report(result.diagnostics)
            if manifest.template != nil {
                say("warning: the template is fetched and pinned, but not merged into the manifest; the build uses the manifest's own folder as the application")
            }
            return result
        } catch let failure as SourceSync.Failure {
            report(failure.diagnostics)
            if let details = failure.details { print(details, terminator: "") }
            if let message = failure.message { say("error: \(message)") }
            TemporaryFolders.removeAll()
            throw Interrupts.pending ? ExitCode(Interrupts.exitStatus) : ExitCode.failure
        }
    }

    /// The workspace folder: `--workspace`, else `.unikraft` next to the manifest.
    func workspaceFolder(manifestFolder: URL) -> URL {
        workspace.map { URL(fileURLWithPath: $0).standardizedFileURL } ?? manifestFolder.appendingPathComponent(".unikraft")
    }

    /// Whether every target is emitted and make runs (`--fetch` runs only its fetch step).
    var buildsOrRuns: Bool { build || run || hermetic.fetch }

    /// Builds the selected targets (and runs the first) after the files are written;
    /// throws the exit code to leave with.
    func buildAndRun(_ selected: [TargetPlan], output: URL, applicationArguments: [String], manifest: String) throws {
        guard buildsOrRuns else { return }
        fflush(nil)
        var builder = Builder(folder: output, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount, verbose: verbose,
                              environment: ProcessInfo.processInfo.environment)
        let manifestURL = URL(fileURLWithPath: manifest).standardizedFileURL
        let workspace = workspaceFolder(manifestFolder: manifestURL.deletingLastPathComponent())
        var hermeticBuild: HermeticBuild?
        defer { hermeticBuild?.finish() }
        do {
            let targets = run ? Array(selected.prefix(1)) : selected
            try builder.checkTools(targets)
            let hermetic = try HermeticBuild(manifest: manifestURL, output: output, workspace: workspace, options: self.hermetic,
                                             locked: locked, environment: builder.environment)
            hermeticBuild = hermetic
            try hermetic.fetchOrigins(targets, builder: builder, required: self.hermetic.fetch, say: say)
            if self.hermetic.fetch { return }
            builder.makeVariables = hermetic.makeVariables
            builder.environment = hermetic.environment(builder.environment)
            let images = try builder.build(targets)
            for (image, target) in zip(images, targets) {
                print("\(image.target): \(output.appendingPathComponent(image.path).path) (\(Self.bytes(image.bytes)), built in \(Builder.format(image.seconds)))")
                let digest = try HermeticBuild.digest(output.appendingPathComponent(image.path))
                let bom = try hermetic.writeBillOfMaterials(image, target: target, sha256: digest, toolchain: builder.toolchain(for: target), environment: builder.environment)
                print("\(image.target): sha256 \(digest); bill of materials \(bom.path)")
            }
            fflush(nil)
            if self.hermetic.verifyReproducible {
                try hermetic.verifyReproducible(images, workspace: workspace, environment: ProcessInfo.processInfo.environment, say: say)
            }
            guard run, let target = targets.first else { return }
            let status = try Runner(folder: output, timeout: timeout, accelerator: accel).run(target, arguments: applicationArguments.isEmpty ? nil : applicationArguments)
            if status != 0 { throw ExitCode(status) }
        } catch let failure as Builder.Failure {
            say("error: \(failure)")
            throw Interrupts.pending ? ExitCode(Interrupts.exitStatus) : ExitCode.failure
        } catch let failure as OriginSession.Failure {
            say("error: \(failure)")
            throw Interrupts.pending ? ExitCode(Interrupts.exitStatus) : ExitCode.failure
        } catch let failure as HermeticBuild.Failure {
            say("error: \(failure)")
            throw ExitCode.failure
        } catch let failure as Runner.Failure {
            say("error: \(failure)")
            throw ExitCode.failure
        } catch let failure as Subprocess.LaunchError {
            say("error: \(failure)")
            throw ExitCode.failure
        }
    }

    static func bytes(_ n: Int) -> String {
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        formatter.groupingSeparator = ","
        return (formatter.string(from: NSNumber(value: n)) ?? String(n)) + " bytes"
    }
}
