import Manifest
import Planner
import Diagnostics

/// A CI pipeline for many manifests: `.github/workflows/manifestc.yml` or `.gitlab-ci.yml`.
///
/// The pipeline runs `manifestc --check` as a gate, then one job per (manifest, target):
/// it restores the manifest's source workspace (`.unikraft`, keyed by `kraft.lock`),
/// installs the toolchain from Debian/Ubuntu packages, builds with
/// `manifestc --build --locked`, boots QEMU x86_64 and arm64 images under TCG with a
/// timeout as a smoke test, and uploads the image. Pure: the same inputs give the same bytes.
public enum CIWorkflowEmitter {
    public enum Provider: String, CaseIterable, Sendable {
        case github, gitlab

        /// Where the file goes, relative to the repository's root.
        public var path: String {
            switch self {
            case .github: ".github/workflows/manifestc.yml"
            case .gitlab: ".gitlab-ci.yml"
            }
        }

        /// The most jobs one matrix may have (GitHub: 256; GitLab's parallel:matrix: 200).
        var matrixLimit: Int {
            switch self {
            case .github: 256
            case .gitlab: 200
            }
        }
    }

    /// One manifest of the pipeline.
    public struct Manifest: Sendable {
        /// The manifest's path from the repository's root (`apps/nginx/Kraftfile`).
        public var path: String
        public var plan: Plan
        /// The SHA-256 of its `kraft.lock`, when it has one (GitLab's cache key; GitHub hashes the file itself).
        public var lockHash: String?

        public init(path: String, plan: Plan, lockHash: String?) {
            self.path = path
            self.plan = plan
            self.lockHash = lockHash
        }

        /// The manifest's folder from the repository's root (`.` at the root).
        public var folder: String {
            guard let slash = path.lastIndex(of: "/") else { return "." }
            let folder = String(path[..<slash])
            return folder.isEmpty ? "/" : folder
        }
    }

    /// Choices that are not in the manifests.
    public struct Options: Sendable {
        /// The paths `manifestc --check` gates, as given to `manifestc ci`.
        public var checkPaths: [String]
        /// A shell command that puts `manifestc` on PATH, run first in every job; nil when the runner has it.
        public var install: String?
        /// GitHub's runner label.
        public var runner: String
        /// GitLab's job image (Debian or Ubuntu: packages come from apt-get).
        public var image: String
        /// Seconds a smoke boot may run; still running then counts as booted.
        public var bootTimeout: Int

        public init(checkPaths: [String], install: String? = nil, runner: String = "ubuntu-24.04",
                    image: String = "debian:bookworm", bootTimeout: Int = 60) {
            self.checkPaths = checkPaths
            self.install = install
            self.runner = runner
            self.image = image
            self.bootTimeout = bootTimeout
        }
    }

    /// The `manifestc ci` command that writes this file, with every option that is not the default.
    public static func command(_ provider: Provider, options: Options) -> [String] {
        var words = ["manifestc", "ci", "--provider", provider.rawValue]
        let defaults = Options(checkPaths: [])
        if let install = options.install { words += ["--install", install] }
        if provider == .github, options.runner != defaults.runner { words += ["--runner", options.runner] }
        if provider == .gitlab, options.image != defaults.image { words += ["--image", options.image] }
        if options.bootTimeout != defaults.bootTimeout { words += ["--boot-timeout", String(options.bootTimeout)] }
        return words + options.checkPaths
    }

    /// One job of the matrix: a target of a manifest.
    public struct Job: Sendable, Equatable {
        public var manifest: String
        public var folder: String
        public var target: String
        public var architecture: String
        /// The image, from the repository's root.
        public var image: String
        /// Booted under QEMU (TCG) as a smoke test: QEMU x86_64 and arm64 targets.
        public var boot: Bool
        /// Debian packages the job installs.
        public var packages: String
        /// An artifact name, unique in the pipeline.
        public var artifact: String
        /// GitLab's cache key: from the folder and its lock file.
        public var cacheKey: String
    }

    /// The packages every build needs: the C compiler, make, and what Unikraft's build runs.
    static let basePackages = ["bison", "ca-certificates", "curl", "flex", "gcc", "git", "make", "patch", "unzip", "xz-utils"]

    /// Every job, in manifest order and then target order; targets with a prebuilt kernel
    /// (a `runtime`) have nothing to build and are left out, and so are targets the
    /// manifest's Unikraft cannot build (`leftOut`).
    public static func jobs(_ manifests: [Manifest]) -> [Job] {
        var jobs: [Job] = []
        var artifacts = Set<String>()
        for manifest in manifests {
            let folder = manifest.folder
            for target in manifest.plan.targets where !target.prebuilt && target.unbuildable == nil {
                let boot = target.platform == .qemu && (target.architecture == .x86_64 || target.architecture == .arm64)
                var packages = basePackages
                switch target.architecture {
                case .x86_64: if boot { packages.append("qemu-system-x86") }
                case .arm64: packages += ["gcc-aarch64-linux-gnu"] + (boot ? ["qemu-system-arm"] : [])
                case .arm: packages.append("gcc-arm-linux-gnueabihf")
                }
                var artifact = sanitized(folder == "." ? target.id : "\(folder)-\(target.id)")
                if artifacts.contains(artifact) {
                    var n = 2
                    while artifacts.contains("\(artifact)-\(n)") { n += 1 }
                    artifact += "-\(n)"
                }
                artifacts.insert(artifact)
                let image = (folder == "." ? "" : folder + "/") + target.imagePath
                let cacheKey = "unikraft-" + String(SHA256.hex(Array((folder + "\n" + (manifest.lockHash ?? "unlocked")).utf8)).prefix(16))
                jobs.append(Job(manifest: manifest.path, folder: folder, target: target.id, architecture: target.architecture.rawValue,
                                image: image, boot: boot, packages: packages.sorted().joined(separator: " "),
                                artifact: artifact, cacheKey: cacheKey))
            }
        }
        return jobs
    }

    /// The targets left out because the manifest's Unikraft cannot build them (linuxu on a
    /// channel past 0.17): a job for them could only fail. One line each, for the pipeline's
    /// comment: the manifest's path as a JSON string (no line break can end the comment).
    public static func leftOut(_ manifests: [Manifest]) -> [String] {
        manifests.flatMap { manifest in
            manifest.plan.targets.compactMap { target in
                target.unbuildable.map { "\(DocumentValue.jsonString(manifest.path)) \(target.id): \($0)" }
            }
        }
    }

    /// Letters, digits, `.`, `_` and `-`; anything else becomes `-` (artifact names and cache keys allow no `/`).
    static func sanitized(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0) ? $0 : "-"
        }))
    }

    /// Manifest paths the pipeline cannot carry. GitHub evaluates `${{ … }}` in every string
    /// of a workflow, matrix values included, so a folder named with `${{` would run an
    /// expression of the attacker's choosing; such a path is refused. (GitLab's only
    /// expansion, `$`, is escaped as `$$`.)
    /// The cache key hashes `FOLDER/kraft.lock` through `hashFiles`, a glob: a folder named
    /// with `*`, `?`, `[` or `]` would key one manifest's cache on other manifests' locks.
    public static func problems(_ manifests: [Manifest], provider: Provider) -> [Diagnostic] {
        guard provider == .github else { return [] }
        return manifests.compactMap { manifest in
            let at = SourceLocation(file: manifest.path, line: 1, column: 1)
            if manifest.path.contains("${{") {
                return .error("ci-path-expression", "the path '\(manifest.path)' holds '${{', which GitHub Actions would evaluate as an expression in the workflow; rename the folder or file", at: at)
            }
            if let glob = manifest.folder.first(where: { "*?[]".contains($0) }) {
                return .error("ci-path-glob", "the folder '\(manifest.folder)' holds '\(glob)', which GitHub's 'hashFiles' reads as a pattern in the cache key; rename the folder", at: at)
            }
            return nil
        }
    }

    /// A manifest whose build jobs could only fail: each runs `manifestc --build --locked`,
    /// which needs its `kraft.lock` to pin every source the manifest asks for (`LockFile.drift`).
    /// - Parameters:
    ///   - lock: the lock file as read and parsed, nil when there is none.
    ///   - requests: the sources the manifest (as written) asks for.
    public static func lockProblem(_ manifest: Manifest, lock: (lock: LockFile?, diagnostics: [Diagnostic])?, requests: [SourceRequest]) -> Diagnostic? {
        let count = jobs([manifest]).count
        guard count > 0 else { return nil }
        let at = SourceLocation(file: manifest.path, line: 1, column: 1)
        let lockPath = manifest.folder == "." ? LockFile.fileName : manifest.folder + "/" + LockFile.fileName
        let jobs = "its \(count) build job\(count == 1 ? "" : "s") ('manifestc --build --locked') could only fail"
        let fix = "run '\(ShellQuote.join(["manifestc", manifest.path, "--update"]))' to pin every source, and commit '\(lockPath)'"
        guard let lock else {
            return .error("ci-lock-missing", "'\(manifest.path)' has no '\(lockPath)', so \(jobs); \(fix)", at: at)
        }
        guard let file = lock.lock, !lock.diagnostics.contains(where: { $0.severity == .error }) else {
            return .error("ci-lock-invalid", "'\(lockPath)' cannot be read (\(lock.diagnostics.map(\.message).joined(separator: "; "))), so \(jobs); \(fix)", at: at)
        }
        let drift = file.drift(from: requests)
        guard drift.isEmpty else {
            return .error("ci-lock-stale", "'\(lockPath)' does not pin what '\(manifest.path)' asks for (\(drift.joined(separator: "; "))), so \(jobs); \(fix)", at: at)
        }
        return nil
    }

    /// The workflow file for `provider`.
    public static func emit(_ provider: Provider, manifests: [Manifest], options: Options) -> EmittedFile {
        let jobs = jobs(manifests)
        let document: DocumentValue
        switch provider {
        case .github: document = github(jobs, options: options)
        case .gitlab: document = gitlab(jobs, options: options)
        }
        let source = options.checkPaths.isEmpty ? "the manifests found from the current folder" : "the manifests in " + options.checkPaths.joined(separator: ", ")
        let intro = """
            # The CI pipeline of \(manifests.count) manifest\(manifests.count == 1 ? "" : "s") (\(jobs.count) build job\(jobs.count == 1 ? "" : "s")).
            # Regenerate it with: \(ShellQuote.join(command(provider, options: options)))
            \(leftOut(manifests).map { "# Left out, it cannot be built: \($0)\n" }.joined())
            """
        return EmittedFile(path: provider.path, contents: GeneratedHeader.apply(to: intro + document.yaml(), source: source))
    }

    // MARK: - Commands

    /// The gate: every manifest's generated files are current, and so is this pipeline.
    static func checkCommands(_ options: Options, provider: Provider) -> [String] {
        let paths = options.checkPaths.map(ShellQuote.quote).joined(separator: " ")
        let spaced = paths.isEmpty ? "" : " " + paths
        return [
            "manifestc\(spaced) --check",
            ShellQuote.join(command(provider, options: options) + ["--check"]),
        ]
    }

    static let buildCommand = #"manifestc "$MANIFEST" --build --locked --target "$TARGET""#
    /// Where `--build` keeps the origins it downloads on a GitHub runner (`XDG_CACHE_HOME` unset).
    static let originCache = "~/.cache/manifestc/origins"

    /// Boots the image under TCG; 0 (a normal halt) or 124 (still running at the timeout) pass.
    static func bootCommand(_ options: Options) -> String {
        #"status=0; timeout --kill-after=10 \#(options.bootTimeout) ./launch.sh "$TARGET" --tcg </dev/null || status=$?; "#
            + #"if [ "$status" -ne 0 ] && [ "$status" -ne 124 ]; then echo "the smoke boot of $TARGET failed with status $status" >&2; exit "$status"; fi"#
    }

    // MARK: - GitHub Actions

    static func github(_ jobs: [Job], options: Options) -> DocumentValue {
        func step(_ pairs: [(String, DocumentValue)]) -> DocumentValue { .map(pairs) }
        var setup: [DocumentValue] = [step([("uses", .string("actions/checkout@v4"))])]
        if let install = options.install {
            setup.append(step([("name", .string("Install manifestc")), ("run", .string(install))]))
        }
        var all: [(String, DocumentValue)] = [
            ("check", .map([
                ("name", .string("manifestc --check")),
                ("runs-on", .string(options.runner)),
                ("timeout-minutes", .int(30)),
                ("steps", .list(setup + checkCommands(options, provider: .github).map { command in
                    step([("name", .string(command)), ("run", .string(command))])
                })),
            ])),
        ]
        let chunks = stride(from: 0, to: jobs.count, by: Provider.github.matrixLimit).map { Array(jobs[$0..<min($0 + Provider.github.matrixLimit, jobs.count)]) }
        for (i, chunk) in chunks.enumerated() {
            let include: [DocumentValue] = chunk.map { job in
                .map([
                    ("manifest", .string(job.manifest)), ("folder", .string(job.folder)), ("target", .string(job.target)),
                    ("arch", .string(job.architecture)), ("boot", .bool(job.boot)), ("image", .string(job.image)),
                    ("artifact", .string(job.artifact)), ("packages", .string(job.packages)),
                ])
            }
            let steps: [DocumentValue] = setup + [
                step([
                    ("name", .string("Cache the sources")),
                    ("uses", .string("actions/cache@v4")),
                    ("with", .map([
                        ("path", .string("${{ matrix.folder }}/.unikraft")),
                        ("key", .string("unikraft-${{ matrix.folder }}-${{ hashFiles(format('{0}/kraft.lock', matrix.folder)) }}")),
                    ])),
                ]),
                step([
                    ("name", .string("Cache the origins")),
                    ("uses", .string("actions/cache@v4")),
                    ("with", .map([
                        ("path", .string(originCache)),
                        ("key", .string("origins-${{ hashFiles(format('{0}/kraft.lock', matrix.folder)) }}")),
                    ])),
                ]),
                step([
                    ("name", .string("Install the toolchain")),
                    ("run", .string("sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $PACKAGES")),
                    ("env", .map([("PACKAGES", .string("${{ matrix.packages }}"))])),
                ]),
                step([
                    ("name", .string("Build")),
                    ("run", .string(buildCommand)),
                    ("env", .map([("MANIFEST", .string("${{ matrix.manifest }}")), ("TARGET", .string("${{ matrix.target }}"))])),
                ]),
                step([
                    ("name", .string("Configuration change (pull requests)")),
                    ("run", .string(githubConfigurationDiff)),
                    ("env", .map([("MANIFEST", .string("${{ matrix.manifest }}")), ("TARGET", .string("${{ matrix.target }}"))])),
                ]),
                step([
                    ("name", .string("Boot under QEMU (TCG)")),
                    ("if", .string("${{ matrix.boot }}")),
                    ("working-directory", .string("${{ matrix.folder }}")),
                    ("run", .string(bootCommand(options))),
                    ("env", .map([("TARGET", .string("${{ matrix.target }}"))])),
                    ("timeout-minutes", .int(options.bootTimeout / 60 + 2)),
                ]),
                step([
                    ("name", .string("Upload the image and its bill of materials")),
                    ("uses", .string("actions/upload-artifact@v4")),
                    ("with", .map([
                        ("name", .string("${{ matrix.artifact }}")),
                        ("path", .string("${{ matrix.image }}\n${{ matrix.image }}.spdx.json")),
                        ("if-no-files-found", .string("error")),
                    ])),
                ]),
            ]
            all.append((chunks.count == 1 ? "build" : "build-\(i + 1)", .map([
                ("name", .string("${{ matrix.manifest }} (${{ matrix.target }})")),
                ("needs", .string("check")),
                ("runs-on", .string(options.runner)),
                ("timeout-minutes", .int(120)),
                ("strategy", .map([
                    ("fail-fast", .bool(false)),
                    ("matrix", .map([("include", .list(include))])),
                ])),
                ("steps", .list(steps)),
            ])))
        }
        return .map([
            ("name", .string("manifestc")),
            ("on", .map([
                ("push", .null),
                ("pull_request", .null),
                ("workflow_dispatch", .null),
            ])),
            ("permissions", .map([("contents", .string("read"))])),
            ("jobs", .map(all)),
        ])
    }

    // MARK: - GitLab CI

    static func gitlab(_ jobs: [Job], options: Options) -> DocumentValue {
        let install = options.install.map { [DocumentValue.string($0)] } ?? []
        var all: [(String, DocumentValue)] = [
            ("stages", .list([.string("check"), .string("build")])),
            ("check", .map([
                ("stage", .string("check")),
                ("image", .string(options.image)),
                ("timeout", .string("30m")),
                ("script", .list(install + checkCommands(options, provider: .gitlab).map(DocumentValue.string))),
            ])),
        ]
        let chunks = stride(from: 0, to: jobs.count, by: Provider.gitlab.matrixLimit).map { Array(jobs[$0..<min($0 + Provider.gitlab.matrixLimit, jobs.count)]) }
        for (i, chunk) in chunks.enumerated() {
            // The runner expands `$NAME` in variable values; `$$` is a literal `$`.
            func literal(_ text: String) -> DocumentValue { .string(text.replacing("$", with: "$$")) }
            let matrix: [DocumentValue] = chunk.map { job in
                .map([
                    ("MANIFEST", literal(job.manifest)), ("FOLDER", literal(job.folder)), ("TARGET", literal(job.target)),
                    ("BOOT", .string(job.boot ? "yes" : "no")), ("IMAGE", literal(job.image)),
                    ("PACKAGES", .string(job.packages)), ("CACHE_KEY", .string(job.cacheKey)),
                ])
            }
            let script: [DocumentValue] = [
                .string("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $PACKAGES"),
            ] + install + [
                .string(buildCommand),
                .string(gitlabConfigurationDiff),
                .string(#"if [ "$BOOT" = yes ]; then cd "$FOLDER" && \#(bootCommand(options)); fi"#),
            ]
            all.append((chunks.count == 1 ? "build" : "build-\(i + 1)", .map([
                ("stage", .string("build")),
                ("image", .string(options.image)),
                ("timeout", .string("2h")),
                ("needs", .list([.string("check")])),
                ("parallel", .map([("matrix", .list(matrix))])),
                // GitLab caches only folders inside the project: the origin cache goes there.
                ("variables", .map([("XDG_CACHE_HOME", .string("$CI_PROJECT_DIR/.cache"))])),
                ("cache", .list([
                    .map([("key", .string("$CACHE_KEY")), ("paths", .list([.string("$FOLDER/.unikraft")]))]),
                    .map([("key", .string("origins-$CACHE_KEY")), ("paths", .list([.string(".cache/manifestc/origins")]))]),
                ])),
                ("script", .list(script)),
                ("artifacts", .map([
                    ("name", .string("$CI_JOB_NAME")),
                    ("paths", .list([.string("$IMAGE"), .string("$IMAGE.spdx.json"), .string(configurationDiffFile)])),
                ])),
            ])))
        }
        return .map(all)
    }
}
