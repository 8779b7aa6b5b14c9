import ArgumentParser
import Driver
import Emitters
import FoundationEssentials

extension Runner.Accelerator: ExpressibleByArgument {}

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
        "Stop a git clone, fetch or ls-remote after this many seconds (default: \(Int(SourceSettings.defaultNetworkTimeout))).", valueName: "seconds"))
    var gitTimeout: Double?

    @Option(name: .customLong("git-local-timeout"), help: ArgumentHelp(
        "Stop a local git command (rev-parse, status, checkout) after this many seconds (default: \(Int(SourceSettings.defaultLocalTimeout))).", valueName: "seconds"))
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

    /// The source options as the driver takes them; nil when no source option is given.
    func sourceSettings() -> SourceSettings? {
        guard usesSources else { return nil }
        var settings = SourceSettings()
        settings.mode = locked ? .locked : update ? .update : .normal
        settings.gitTimeout = gitTimeout
        settings.gitLocalTimeout = gitLocalTimeout
        settings.verbose = verbose
        settings.offline = hermetic.offline
        return settings
    }

    /// The build and run options as the driver takes them.
    var buildSettings: BuildSettings {
        var settings = BuildSettings()
        settings.build = build
        settings.run = run
        settings.jobs = jobs
        settings.verbose = verbose
        settings.timeout = timeout
        settings.accelerator = accel
        settings.hermetic = hermetic.settings
        settings.locked = locked
        return settings
    }
}
