import Emitters
import FoundationEssentials
import Planner

/// One build's origins: the private state folder `fetch-origin` reads its settings from and
/// leaves its records in, the fetch pass (`make fetch` for each target, before anything is
/// compiled), and the new pins it records in `kraft.lock`.
struct OriginSession {
    let state: URL
    let settings: OriginSettings
    /// Libraries whose `Library.uk` states no origin hash.
    let unstated: [String]

    struct Failure: Error, CustomStringConvertible { var description: String }

    init(lock: LockFile, sources: [PinnedSource], output: URL, options: HermeticSettings, locked: Bool, environment: [String: String]) throws {
        var stated: [String: StatedOrigin] = [:]
        var unstated: [String] = []
        for source in sources {
            guard case .library(let name) = source.entry.role else { continue }
            let origins = source.description?.origins ?? []
            if origins.isEmpty { unstated.append(name) }
            for origin in origins { stated[origin.url] = origin }
        }
        self.unstated = unstated
        var mirror = options.originMirror
        if let given = mirror, OriginRules.urlProblem(given) != nil {
            mirror = URL(fileURLWithPath: given).standardizedFileURL.path
        }
        settings = OriginSettings(
            cache: OriginSettings.cacheFolder(environment: environment).path,
            outputRoot: Confinement.realPath(output) ?? output.path, mirror: mirror, offline: options.offline, locked: locked,
            pins: Dictionary(lock.origins.map { ($0.url, OriginSettings.Pin(sha256: $0.sha256, size: $0.size)) }, uniquingKeysWith: { a, _ in a }),
            stated: stated, timeout: OriginSettings.defaultTimeout, maxBytes: OriginSettings.defaultMaxBytes)
        state = FileManager.default.temporaryDirectory.appendingPathComponent("manifestc-origins-\(UUID().uuidString)")
        TemporaryFolders.register(state)
        try FileManager.default.createDirectory(at: state.appendingPathComponent(OriginSettings.recordsFolder), withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        try OriginCache.writeAtomically(try JSONEncoder().encode(settings), to: state.appendingPathComponent(OriginSettings.fileName))
    }

    /// The environment make runs with.
    func environment(_ base: [String: String]) -> [String: String] {
        base.merging([OriginSettings.environmentKey: state.path]) { _, new in new }
    }

    /// `WGET=` for make's command line: manifestc's own `fetch-origin`, quoted for the shell
    /// that runs the recipe and with `$` doubled for make.
    static var wgetVariable: String {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return "WGET=" + (ShellQuote.quote(executable) + " fetch-origin").replacing("$", with: "$$")
    }

    /// What every `fetch-origin` call recorded, in no particular order.
    func records() -> [OriginRecord] {
        let folder = state.appendingPathComponent(OriginSettings.recordsFolder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().compactMap { name in
            (try? OriginCache.read(folder.appendingPathComponent(name), maxBytes: 1 << 20)).flatMap { try? JSONDecoder().decode(OriginRecord.self, from: $0) }
        }
    }

    /// Runs `make fetch` for each target (nothing is compiled); throws, naming every
    /// refused origin, when one was refused, or when make failed and `required` (`--fetch`).
    /// Otherwise a failing `make fetch` is left to the build, which reports what fails.
    func fetchPass(_ targets: [TargetPlan], builder: Builder, variables: [String], required: Bool, console: Console) throws {
        // The Makefile's target goals make build/ first; its fetch goal does not.
        do {
            try Confinement.checkInside("build", under: builder.folder)
            try FileManager.default.createDirectory(at: builder.folder.appendingPathComponent("build"), withIntermediateDirectories: true)
        } catch {
            throw Failure(description: ErrorText.describe(error))
        }
        for target in targets {
            var arguments = ["--no-print-directory", "-f", builder.folder.appendingPathComponent("Makefile").path, "fetch", "TARGET=\(target.id)"]
            let prefix = builder.toolchain(for: target).prefix
            if !prefix.isEmpty { arguments.append("CROSS_COMPILE=\(prefix)") }
            arguments += variables
            let report = FailureLines()
            let result = try builder.processes.run("make", arguments, in: builder.folder, environment: environment(builder.environment), timeout: nil, output: .lines { line in
                report.add(line)
                // Progress lines of fetch-origin; its errors are reported once, from its records, below.
                let progress = line.hasPrefix("manifestc: ") && !line.hasPrefix("manifestc: error: ")
                if builder.verbose || progress { console.error(line + "\n") }
            })
            if result.interrupted { throw Failure(description: "fetching the origins of '\(target.id)' was interrupted") }
            let refused = records().compactMap(\.error)
            if !refused.isEmpty { throw Failure(description: refused.joined(separator: "\nmanifestc: error: ")) }
            guard result.status == 0 || !required else {
                console.error(report.lines(tail: result.output).map { "  | " + $0 + "\n" }.joined())
                throw Failure(description: "'make fetch' failed for target '\(target.id)' (exit status \(result.status)); run with --verbose for its whole output")
            }
        }
    }

    /// The lock with every origin fetched in this session pinned (the pins it had kept).
    func pinned(_ lock: LockFile) -> LockFile {
        let recorded = records().compactMap { r in r.sha256.flatMap { digest in r.size.map { OriginPin(url: r.url, sha256: digest, size: $0) } } }
        return LockFile(entries: lock.entries, origins: OriginRules.merge(lock.origins, recorded))
    }

    /// A note when some origin was checked against kraft.lock only.
    var unstatedNote: String? {
        let unchecked = records().filter { $0.sha256 != nil && $0.statedBy == nil }
        guard !unchecked.isEmpty else { return nil }
        let libraries = unstated.isEmpty ? "" : " (libraries without one: \(unstated.joined(separator: ", ")))"
        return "note: \(unchecked.count) origin\(unchecked.count == 1 ? " is" : "s are") checked against kraft.lock only: no Library.uk states \(unchecked.count == 1 ? "its" : "their") hash\(libraries)"
    }

    func remove() {
        try? FileManager.default.removeItem(at: state)
        TemporaryFolders.unregister(state)
    }
}
