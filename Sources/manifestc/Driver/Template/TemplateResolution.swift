import FoundationEssentials
import Glibc
import Manifest
import Planner
import Diagnostics

/// Finds a manifest's `template` on disk and lays the manifest over it.
/// The resolve-template phase.
package struct TemplateResolution {
    package var manifest: Manifest
    package var diagnostics: [Diagnostic] = []
    package var sources: [String: SourceText] = [:]
    /// The template's folder (the application folder, `A=`), when one was found.
    package var folder: URL?

    /// A local folder named by `source`, or the folder the workspace keeps the template in
    /// (`SourceRequest.workspaceFolder`: `apps/<repository name>`), where fetching puts it.
    package init(_ manifest: Manifest, manifestFolder: URL, workspace: URL, input: ManifestInput) throws {
        self.manifest = manifest
        if manifest.template == nil, let app = manifest.app {
            appFolder(app, manifest: manifest, manifestFolder: manifestFolder, input: input)
            return
        }
        guard let template = manifest.template else { return }
        let where_ = SourceLocation(file: manifest.file, range: template.source?.range ?? template.version?.range ?? template.range)
        // The same request, and so the same folder, as fetching it (SourceSync, Workspace).
        let request = SourceRules.requests(for: manifest).requests.first { $0.role == .template }
        let candidate = request.map { Workspace(root: workspace, manifestFolder: manifestFolder, git: Git()).folder(for: $0) }
        guard let folder = candidate, let file = Self.manifestFile(in: folder) else {
            diagnostics.append(.warning("template-unavailable",
                "the template '\(template.source?.value ?? template.version?.value ?? "")' is not available offline, so its targets, libraries and configuration are missing",
                at: where_, notes: [DiagnosticNote("give a local folder as its 'source', or fetch it into the workspace's apps/ folder (manifestc --build does)")]))
            return
        }
        if let refusal = input.options.readScope(manifest: manifest.file).refusal(file, what: "the template") {
            diagnostics.append(.error("template-outside", "\(refusal)", at: where_))
            return
        }
        var info = stat()
        if stat(file.path, &info) == 0, let kind = Confinement.irregularKind(info.st_mode) {
            diagnostics.append(.error("template-outside", "the template's manifest '\(file.path)' is \(kind), not a regular file", at: where_))
            return
        }
        let path = file.path
        let loaded = try input.load(path)
        diagnostics += loaded.diagnostics
        sources.merge(loaded.sources) { a, _ in a }
        guard let templateManifest = loaded.result.manifest else { return }
        if templateManifest.template != nil {
            diagnostics.append(.warning("template-nested", "the template '\(path)' has a template of its own; templates do not nest, so it is ignored", at: where_))
        }
        self.manifest = manifest.overlaid(on: templateManifest)
        self.folder = folder
    }

    /// `x-manifestc: {app: DIR}`: the application folder is DIR (a folder with a `Config.uk`
    /// the read scope allows); its own manifest, if any, is not read.
    private mutating func appFolder(_ app: Located<String>, manifest: Manifest, manifestFolder: URL, input: ManifestInput) {
        let at = SourceLocation(file: manifest.file, range: app.range)
        let folder = URL(fileURLWithPath: PathText.expandingTilde(app.value), relativeTo: manifestFolder).standardizedFileURL
        let config = folder.appendingPathComponent("Config.uk")
        if let refusal = input.options.readScope(manifest: manifest.file).refusal(config, what: "the application folder") {
            diagnostics.append(.error("app-outside", "\(refusal)", at: at))
            return
        }
        guard FileManager.default.fileExists(atPath: config.path) || FileManager.default.fileExists(atPath: folder.appendingPathComponent("Makefile.uk").path) else {
            diagnostics.append(.warning("app-unavailable", "the application folder '\(app.value)' has no Config.uk or Makefile.uk, so its configuration is missing",
                                        at: at, notes: [DiagnosticNote("fetch the app there first (a hand-made setup's setup.sh does), or remove 'x-manifestc.app'")]))
            return
        }
        self.folder = folder
    }

    static func manifestFile(in folder: URL) -> URL? {
        ManifestInput.fileNames.lazy.map { folder.appendingPathComponent($0) }.first { FileManager.default.fileExists(atPath: $0.path) }
    }
}
