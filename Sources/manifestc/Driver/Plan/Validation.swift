import Diagnostics
import FoundationEssentials
import Manifest
import Planner
import Kconfig

/// What `validate` checks beyond decoding: the planner's findings without a tree.
package enum Validation {
    /// The planner's findings without a tree (the template laid over the manifest, host paths
    /// checked as emit checks them, the manifest's folder as the output folder).
    package static func plannerDiagnostics(_ manifest: Manifest, path: String, reader: ManifestInput) throws -> (diagnostics: [Diagnostic], sources: [String: SourceText]) {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL
        let template = try TemplateResolution(manifest, manifestFolder: folder, workspace: folder.appendingPathComponent(".unikraft"), input: reader)
        var environment = PlanEnvironment(fileSystem: DiskKconfigFileSystem())
        environment.templateFolder = template.folder.map { relativePath(from: folder, to: $0) }
        let scope = reader.options.readScope(manifest: path)
        environment.hostPathRefusal = { scope.hostPathRefusal($0, output: folder) }
        environment.hostPathExists = { ReadScope.hostPathExists($0, output: folder) }
        // Notes (what a tree would tell) are emit's business; problems are validate's.
        let planned = Planning.plan(template.manifest, environment: environment).diagnostics.filter { $0.severity != .note }
        return (template.diagnostics + planned, template.sources)
    }
}
