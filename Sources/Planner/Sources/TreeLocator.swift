import Manifest
import Diagnostics

/// What the locator asks of the file system: is a folder a Unikraft tree or a library,
/// which commit is checked out there, and may manifestc read it.
public protocol TreeProbe {
    /// Whether `folder` has a `Config.uk`.
    func hasConfig(_ folder: String) -> Bool
    /// The commit a git checkout at `folder` has checked out, or nil (no checkout).
    func checkedOutCommit(_ folder: String) -> String?
    /// Why `folder` must not be read (outside the repository, not allowed), or nil.
    func refusal(_ folder: String) -> String?
}

/// The one rule that finds the Unikraft tree and the library folders, for every command:
/// the command line (`--uk-root`, `--lib`) or `UK_ROOT`, then the manifest's local `source`
/// folder, then the workspace checkout that `kraft.lock` pins (at the locked commit; nothing is
/// fetched), then none (only seeds are planned).
public struct TreeLocator {
    /// Where a folder came from, for the note that says which one is used.
    public enum Origin: Sendable, Equatable, CustomStringConvertible {
        /// `--uk-root` or `--lib`.
        case option(String)
        /// `UK_ROOT`.
        case environment(String)
        /// The manifest's `source:` folder.
        case manifestSource
        /// The workspace checkout the lock pins.
        case lock

        /// The origin's name in JSON documents: `--uk-root`, `--lib`, `UK_ROOT`, `source`, `kraft.lock`.
        public var name: String {
            switch self {
            case .option(let name), .environment(let name): name
            case .manifestSource: "source"
            case .lock: LockFile.fileName
            }
        }

        public var description: String {
            switch self {
            case .option(let name): "from \(name)"
            case .environment(let name): "from $\(name)"
            case .manifestSource: "the manifest's source"
            case .lock: "from \(LockFile.fileName)"
            }
        }
    }

    /// A folder found, absolute and standardized.
    public struct Found: Sendable, Equatable {
        public var folder: String
        public var origin: Origin
        /// The path as the manifest writes it, for a manifest source.
        public var written: String?

        public init(folder: String, origin: Origin, written: String? = nil) {
            self.folder = folder
            self.origin = origin
            self.written = written
        }
    }

    public struct Result: Sendable {
        public var unikraft: Found?
        public var libraries: [String: Found] = [:]
        /// Errors (a local source that is no tree or lies outside the repository).
        public var diagnostics: [Diagnostic] = []
        /// Why a pinned workspace tree was not used, for the user.
        public var notes: [String] = []
    }

    public var manifest: Manifest
    /// The manifest's folder and the workspace, absolute.
    public var manifestFolder: String
    public var workspace: String
    /// `$HOME`, for `~/…` sources.
    public var home: String
    /// The lock file, when there is one.
    public var lock: LockFile?
    /// A tree the command line or the environment names.
    public var given: Found?
    /// Library folders the command line names, by library name.
    public var givenLibraries: [String: String] = [:]

    public init(manifest: Manifest, manifestFolder: String, workspace: String, home: String, lock: LockFile?,
                given: Found? = nil, givenLibraries: [String: String] = [:]) {
        self.manifest = manifest
        self.manifestFolder = manifestFolder
        self.workspace = workspace
        self.home = home
        self.lock = lock
        self.given = given
        self.givenLibraries = givenLibraries
    }

    public func locate(_ probe: any TreeProbe) -> Result {
        var result = Result()
        let (requests, _) = SourceRules.requests(for: manifest)
        func request(_ role: SourceRole) -> SourceRequest? { requests.first { $0.role == role } }

        if let given {
            result.unikraft = given
        } else if let request = request(.unikraft) {
            result.unikraft = find(request, probe: probe, into: &result)
        }
        for library in manifest.libraries {
            let name = library.name.value
            if let folder = givenLibraries[name] {
                result.libraries[name] = Found(folder: folder, origin: .option("--lib"))
            } else if let request = request(.library(name)), let found = find(request, probe: probe, into: &result) {
                result.libraries[name] = found
            }
        }
        return result
    }

    /// A request's folder: its local source, else its workspace checkout at the locked commit.
    private func find(_ request: SourceRequest, probe: any TreeProbe, into result: inout Result) -> Found? {
        switch request.origin {
        case .local(let path):
            let folder = Self.localFolder(path, manifestFolder: manifestFolder, home: home)
            if let problem = Self.localProblem(request, path: path, folder: folder, probe: probe) {
                result.diagnostics.append(problem)
                return nil
            }
            return Found(folder: folder, origin: .manifestSource, written: path)
        case .git:
            guard let entry = lock?.entry(for: request.role), entry.satisfies(request), let commit = entry.commit else { return nil }
            let folder = Self.join(workspace, request.workspaceFolder)
            let shown = Self.relative(folder, from: manifestFolder)
            guard probe.refusal(folder) == nil, probe.hasConfig(folder) else {
                result.notes.append("\(LockFile.fileName) pins \(request.role) at \(commit.prefix(12)), but '\(shown)' does not hold it; 'manifestc --build' fetches it")
                return nil
            }
            guard let head = probe.checkedOutCommit(folder), head.hasPrefix(commit) || commit.hasPrefix(head) else {
                result.notes.append("\(LockFile.fileName) pins \(request.role) at \(commit.prefix(12)), but '\(shown)' has another commit checked out; it is not used ('manifestc --build' moves it)")
                return nil
            }
            return Found(folder: folder, origin: .lock)
        }
    }

    /// Why a local source cannot be used: no `Config.uk`, or outside the repository.
    public static func localProblem(_ request: SourceRequest, path: String, folder: String, probe: any TreeProbe) -> Diagnostic? {
        if request.role != .template, !probe.hasConfig(folder) {
            return .error("source-folder", "\(request.role) comes from '\(path)', which is not a Unikraft \(request.role == .unikraft ? "tree" : "library") folder (\(folder) has no Config.uk)",
                          at: request.location)
        }
        if let refusal = probe.refusal(folder) {
            return .error("source-outside", "\(request.role) comes from '\(path)': \(refusal)", at: request.location)
        }
        return nil
    }

    /// A local source's folder: relative to the manifest's folder unless absolute or `~/…`.
    public static func localFolder(_ path: String, manifestFolder: String, home: String) -> String {
        if path == "~" || path.hasPrefix("~/") { return standardized(home + path.dropFirst()) }
        return standardized(path.hasPrefix("/") ? path : join(manifestFolder, path))
    }

    static func join(_ a: String, _ b: String) -> String { a.hasSuffix("/") ? a + b : a + "/" + b }

    /// `.` and `..` components removed (lexically).
    static func standardized(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// `path` as seen from `folder` when it lies inside it, else `path`.
    static func relative(_ path: String, from folder: String) -> String {
        path.hasPrefix(folder + "/") ? String(path.dropFirst(folder.count + 1)) : path
    }
}
