import Emitters
import FoundationEssentials
import Planner

/// What `--build` adds for hermetic, reproducible images: the origins fetched (and pinned)
/// before anything is compiled, a fixed build time and mapped source paths for make, each
/// image's SHA-256 and bill of materials.
struct HermeticBuild {
    /// Where the notes, the rebuild's progress and its failing lines go.
    let console: Console
    /// Starts git, make, the toolchain and the rebuild.
    let processes: any ProcessRunner
    let manifest: URL
    let output: URL
    let lockURL: URL
    let lock: LockFile
    let sources: [PinnedSource]
    let session: OriginSession
    let locked: Bool
    /// `SOURCE_DATE_EPOCH`.
    let epoch: Int

    struct Failure: Error, CustomStringConvertible { var description: String }

    var manifestFolder: URL { manifest.deletingLastPathComponent() }

    init(manifest: URL, output: URL, workspace: URL, options: HermeticSettings, locked: Bool, environment: [String: String], console: Console,
         processes: any ProcessRunner) throws {
        self.console = console
        self.processes = processes
        self.manifest = manifest
        let manifestFolder = manifest.deletingLastPathComponent()
        self.output = output
        self.locked = locked
        lockURL = manifestFolder.appendingPathComponent(LockFile.fileName)
        guard let data = try Confinement.readRegularFile(lockURL), let parsed = LockFile.parse(Array(data), file: lockURL.path).lock else {
            throw Failure(description: "cannot read '\(lockURL.path)'")
        }
        lock = parsed
        sources = PinnedSource.all(parsed, workspace: workspace, manifestFolder: manifestFolder)
        var git = Git()
        git.processes = processes
        let times = sources.compactMap { source in source.entry.commit.flatMap { git.commitTime($0, in: source.folder) } }
        guard let epoch = ReproducibleBuild.epoch(userValue: environment["SOURCE_DATE_EPOCH"], commitTimes: times) else {
            throw Failure(description: "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, not '\(environment["SOURCE_DATE_EPOCH"] ?? "")'")
        }
        self.epoch = epoch
        session = try OriginSession(lock: parsed, sources: sources, output: output, options: options, locked: locked, environment: environment)
    }

    /// make's command-line variables: manifestc's `WGET`, the fixed `HOSTUTC` and the prefix maps.
    var makeVariables: [String] {
        var maps = [ReproducibleBuild.PathMap(folder: manifestFolder.path, name: "app")]
        if output.path != manifestFolder.path { maps.append(.init(folder: output.path, name: "out")) }
        for source in sources {
            let name: String = switch source.entry.role {
            case .unikraft: "unikraft"
            case .library(let library): "libs/lib-" + library
            case .template: "template"
            }
            maps.append(.init(folder: source.folder.path, name: name))
        }
        // The folders as make spells them, and as they really are when links lead there.
        maps += maps.compactMap { map in
            Confinement.realPath(URL(fileURLWithPath: map.folder)).flatMap { $0 == map.folder ? nil : .init(folder: $0, name: map.name) }
        }
        return [OriginSession.wgetVariable] + ReproducibleBuild.makeVariables(epoch: epoch, maps: maps)
    }

    /// make's environment: the origin state folder and `SOURCE_DATE_EPOCH` (GCC's `__DATE__`).
    func environment(_ base: [String: String]) -> [String: String] {
        session.environment(base).merging(["SOURCE_DATE_EPOCH": String(epoch)]) { _, new in new }
    }

    /// Fetches every origin the targets download (`make fetch`), then pins the new ones in kraft.lock.
    func fetchOrigins(_ targets: [TargetPlan], builder: Builder, required: Bool) throws {
        var fetcher = builder
        fetcher.environment = environment(builder.environment)
        try session.fetchPass(targets, builder: fetcher, variables: makeVariables, required: required, console: console)
        if let note = session.unstatedNote { console.say(note) }
        let updated = session.pinned(lock)
        guard !locked, updated.origins != lock.origins else { return }
        let text = updated.render(manifest: manifest.lastPathComponent)
        try OutputWriter(folder: lockURL.deletingLastPathComponent(), force: true).write(EmittedFile(path: lockURL.lastPathComponent, contents: text))
        console.say("recorded \(updated.origins.count - lock.origins.count) new origin\(updated.origins.count - lock.origins.count == 1 ? "" : "s") in \(LockFile.fileName)")
    }

    func finish() { session.remove() }
}
