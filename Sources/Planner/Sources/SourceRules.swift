import Manifest
import Diagnostics

/// Which component a source is for.
public enum SourceRole: Hashable, Sendable, Comparable, CustomStringConvertible {
    case unikraft
    case library(String)
    case template

    /// Lock-file order: the core, then libraries by name, then the template.
    private var rank: (Int, String) {
        switch self {
        case .unikraft: (0, "")
        case .library(let name): (1, name)
        case .template: (2, "")
        }
    }

    public static func < (a: SourceRole, b: SourceRole) -> Bool { a.rank < b.rank }

    /// `unikraft`, `library 'musl'`, `template`, for messages.
    public var description: String {
        switch self {
        case .unikraft: "unikraft"
        case .library(let name): "library '\(name)'"
        case .template: "template"
        }
    }
}

/// Where a component comes from, as the manifest asks for it (after defaults).
public struct SourceRequest: Sendable, Equatable {
    public enum Origin: Sendable, Equatable {
        /// A git repository URL (`https://…`, `ssh://…`, `git@host:path`, `file://…`).
        case git(String)
        /// A local folder, used in place: the path as written (relative to the manifest's folder unless absolute).
        case local(String)
    }

    public var role: SourceRole
    public var origin: Origin
    /// The requested version: the manifest's, `URL@ref`'s, or `stable` when none is given.
    public var version: String
    /// Whether the manifest gave a version (without one, `stable` falls back to `staging`).
    public var versionGiven: Bool
    /// Where the component was written, for diagnostics.
    public var location: SourceLocation?

    public init(role: SourceRole, origin: Origin, version: String, versionGiven: Bool, location: SourceLocation? = nil) {
        self.role = role
        self.origin = origin
        self.version = version
        self.versionGiven = versionGiven
        self.location = location
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.role == b.role && a.origin == b.origin && a.version == b.version && a.versionGiven == b.versionGiven
    }

    /// The folder under the workspace a fetched source lives in: `unikraft`,
    /// `libs/lib-<name>` (the Makefile's `$(UK_LIBS)/lib-<name>`), `apps/<repository name>`.
    public var workspaceFolder: String {
        switch role {
        case .unikraft: return "unikraft"
        case .library(let name): return "libs/lib-" + name
        case .template:
            guard case .git(let url) = origin else { return "apps/template" }
            return "apps/" + Self.templateFolderName(url)
        }
    }

    /// The folder name of a template fetched from `url`: the repository's name (the last
    /// component without `.git`), or `template` when that is not one safe folder name.
    public static func templateFolderName(_ url: String) -> String {
        var last = url.split(whereSeparator: { $0 == "/" || $0 == ":" }).last.map(String.init) ?? ""
        if last.hasSuffix(".git") { last.removeLast(4) }
        return PathComponent.isSafe(last) ? last : "template"
    }
}

/// The rules that turn a manifest's components into sources: default repositories,
/// `URL@ref`, channel names and local folders. Pure; git runs elsewhere.
public enum SourceRules {
    /// The Unikraft core's public repository (what pykraft and KraftKit's index use).
    public static let unikraftRepository = "https://github.com/unikraft/unikraft.git"

    /// A library's public repository: `https://github.com/unikraft/lib-<name>.git`.
    public static func libraryRepository(_ name: String) -> String {
        "https://github.com/unikraft/lib-\(name).git"
    }

    /// The channel names: branches of every Unikraft repository.
    public static let channels = ["stable", "staging"]

    /// Whether a source names a local folder rather than a git URL: a path starting
    /// with `/`, `./`, `../` or `~`, or `.`/`..`. `file://` URLs are git URLs.
    public static func isLocalPath(_ source: String) -> Bool {
        source.hasPrefix("/") || source.hasPrefix("./") || source.hasPrefix("../") || source.hasPrefix("~")
            || source == "." || source == ".."
    }

    /// The git transports a source may use (git's protocol names; local folders are `file`).
    /// Git is run with exactly these allowed, whatever the user's git configuration says.
    public static let allowedTransports = ["https", "ssh", "git", "file"]

    /// Why git must not be given `url`, or nil when it names an allowed transport and
    /// carries no credentials: a remote helper (`fd::17`, `ext::sh -c …`, `<x>::…`), a
    /// scheme other than https, ssh, git and file, a leading `-` (an option to git), or a
    /// user name or password in the URL (they would reach kraft.lock and logs). The message
    /// never repeats the credentials.
    public static func transportProblem(_ url: String) -> (id: String, message: String)? {
        if url.hasPrefix("-") {
            return ("source-transport", "starts with '-', which git would read as an option; give a URL (https://, ssh://, git://, file://, host:path) or a folder ('./\(url)')")
        }
        let allowed = "use https://, ssh://, git://, file://, host:path or a local folder"
        if let helper = url.firstRange(of: "::"), url[..<helper.lowerBound].allSatisfy({ $0.isLetter || $0.isNumber || "+.-_".contains($0) }) {
            let name = String(url[..<helper.lowerBound])
            return ("source-transport", "uses git's remote helper '\(name)::', which can run programs or read other files; \(allowed)")
        }
        guard let separator = url.firstRange(of: "://") else { return nil }   // host:path (ssh) or a local path (file)
        let scheme = url[..<separator.lowerBound].lowercased()
        guard ["https", "ssh", "git", "file", "git+ssh", "ssh+git"].contains(scheme) else {
            let hint = scheme == "http" ? "use 'https://' instead" : allowed
            return ("source-transport", "uses the transport '\(scheme)', which manifestc does not allow; \(hint)")
        }
        let rest = url[separator.upperBound...]
        let authority = rest.prefix { $0 != "/" }
        guard let at = authority.lastIndex(of: "@") else { return nil }
        let userinfo = authority[..<at]
        if userinfo.contains(":") || !scheme.contains("ssh") {
            return ("source-credentials", "carries credentials in its URL ('\(scheme)://***@…'); they would be written to kraft.lock and shown in logs. "
                    + "Remove them and let git find them: a credential helper (git config credential.helper), an ssh key, or url.<base>.insteadOf in your git configuration")
        }
        return nil
    }

    /// Splits `URL@ref` into the URL and the ref. The `@` counts only after the last
    /// `/` (so `git@host:org/repo` and `https://user@host/repo` are whole URLs).
    public static func splitReference(_ source: String) -> (url: String, ref: String?) {
        guard let at = source.lastIndex(of: "@") else { return (source, nil) }
        if let slash = source.lastIndex(of: "/"), slash > at { return (source, nil) }
        let url = String(source[..<at]), ref = String(source[source.index(after: at)...])
        guard url.contains("/") || url.contains(":"), !ref.isEmpty else { return (source, nil) }
        return (url, ref)
    }

    /// The sources a manifest needs, with diagnostics for the ones it cannot name.
    public static func requests(for manifest: Manifest) -> (requests: [SourceRequest], diagnostics: [Diagnostic]) {
        var requests: [SourceRequest] = []
        var diagnostics: [Diagnostic] = []
        func at(_ range: SourceRange) -> SourceLocation { SourceLocation(file: manifest.file, range: range) }

        func request(_ role: SourceRole, _ component: Component?, defaultURL: String?) {
            let component = component
            var origin: SourceRequest.Origin
            var version = component?.version
            var versionText = version?.value
            if let source = component?.source {
                if source.value.isEmpty {
                    diagnostics.append(.error("source-empty", "the source of \(role) is empty; give a git URL or a folder", at: at(source.range)))
                    return
                }
                if isLocalPath(source.value) {
                    origin = .local(source.value)
                    if let version {
                        diagnostics.append(.warning("source-local-version", "\(role) comes from the local folder '\(source.value)', which is used as it is; its version '\(version.value)' is ignored",
                                                    at: at(version.range)))
                    }
                } else {
                    let (url, ref) = splitReference(source.value)
                    if let problem = transportProblem(source.value) ?? transportProblem(url) {
                        diagnostics.append(.error(problem.id, "the source of \(role) \(problem.message)", at: at(source.range)))
                        return
                    }
                    origin = .git(url)
                    if let ref {
                        if let version, version.value != ref {
                            diagnostics.append(.error("source-version-conflict", "\(role) asks for '\(ref)' in its source and for '\(version.value)' as its version; keep one",
                                                      at: at(version.range), notes: [DiagnosticNote("the source's ref", at: at(source.range))]))
                            return
                        }
                        versionText = ref
                        version = version ?? source
                    }
                }
            } else if let defaultURL {
                origin = .git(defaultURL)
            } else {
                diagnostics.append(.error("source-missing", "\(role) has no source; give its git URL or folder as 'source'",
                                          at: component.map { at($0.range) }))
                return
            }
            if let text = versionText, text.isEmpty || text.contains(where: { $0 == " " || $0 == "\t" || $0 == "\n" }) || text.hasPrefix("-") {
                diagnostics.append(.error("source-version", "'\(text)' is not a version of \(role); use a branch, tag, commit, 'stable' or 'staging'",
                                          at: version.map { at($0.range) }))
                return
            }
            requests.append(SourceRequest(role: role, origin: origin, version: versionText ?? "stable", versionGiven: versionText != nil,
                                          location: (component?.source ?? component?.version).map { at($0.range) } ?? component.map { at($0.range) }))
        }

        request(.unikraft, manifest.unikraft, defaultURL: unikraftRepository)
        for library in manifest.libraries {
            request(.library(library.name.value), library.component, defaultURL: libraryRepository(library.name.value))
        }
        if let template = manifest.template {
            request(.template, template, defaultURL: nil)
        }
        return (requests, diagnostics)
    }

    // MARK: - Versions

    /// How a version was resolved against a repository's refs.
    public enum Resolution: Sendable, Equatable {
        /// Through a ref (`refs/heads/stable`, `refs/tags/RELEASE-0.17.0`) to its commit.
        case ref(name: String, commit: String)
        /// A commit id, full or abbreviated: the repository itself must confirm it.
        case commit(String)
    }

    /// The refs a version may name, in the order they are tried: a branch, a tag,
    /// then for a release number (`0.17.0`, `v0.17`) the tags `RELEASE-x.y.z`, `vx.y.z`, `x.y.z`.
    public static func candidateRefs(for version: String, versionGiven: Bool = true) -> [String] {
        if !versionGiven { return ["refs/heads/stable", "refs/heads/staging"] }
        var refs = ["refs/heads/" + version, "refs/tags/" + version]
        if let release = UnikraftVersion(parsing: version), !version.contains("~") {
            let parts = version.drop { !$0.isNumber }.split(separator: ".")
            var numbers = [release.description]
            if parts.count == 2 { numbers.insert("\(release.major).\(release.minor)", at: 0) }
            for number in numbers {
                for spelled in ["RELEASE-" + number, "v" + number, number] where !refs.contains("refs/tags/" + spelled) {
                    refs.append("refs/tags/" + spelled)
                }
            }
        }
        return refs
    }

    /// Whether a version could be a commit id (7 to 40 hex digits).
    public static func looksLikeCommit(_ version: String) -> Bool {
        (7...40).contains(version.count) && version.allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }

    /// Resolves a version against `refs` (full ref name → commit, tags peeled):
    /// nil when neither a ref nor a commit id matches.
    public static func resolve(_ version: String, versionGiven: Bool = true, refs: [String: String]) -> Resolution? {
        for candidate in candidateRefs(for: version, versionGiven: versionGiven) {
            if let commit = refs[candidate] { return .ref(name: candidate, commit: commit) }
        }
        if versionGiven, looksLikeCommit(version) { return .commit(version) }
        return nil
    }

    /// The branch and tag names of `refs`, for "did you mean" and error notes.
    public static func shortNames(_ refs: [String: String]) -> [String] {
        refs.keys.compactMap { ref -> String? in
            if ref.hasPrefix("refs/heads/") { return String(ref.dropFirst("refs/heads/".count)) }
            if ref.hasPrefix("refs/tags/") { return String(ref.dropFirst("refs/tags/".count)) }
            return nil
        }.sorted()
    }

    /// Reads `git ls-remote` output into ref → commit, with annotated tags peeled (`^{}`).
    public static func parseLsRemote(_ text: String) -> [String: String] {
        var refs: [String: String] = [:]
        var peeled: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "\t", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let commit = String(parts[0]), name = String(parts[1])
            if name.hasSuffix("^{}") { peeled[String(name.dropLast(3))] = commit } else { refs[name] = commit }
        }
        refs.merge(peeled) { _, peeled in peeled }
        return refs
    }
}
