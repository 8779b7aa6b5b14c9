@testable import Driver
import Diagnostics
import Emitters
import Foundation
import Manifest
import Planner
import Testing
import TestSupport

/// The driver's phases run in-process on a scratch folder: load → template → select targets
/// → plan (`PlanPhase`), emit → write (`Compile`), with every diagnostic in the console's engine.
struct PhaseTests {
    static func folder(_ files: [String: String]) throws -> URL {
        try temporaryFolder(files, prefix: "manifestc-phases")
    }

    static let twoTargets = "spec: v0.6\nname: app\ntargets:\n  - qemu/x86_64\n  - qemu/arm64\n"

    @Test func planSelectsTheTargetAndKeepsTheManifestAsWritten() throws {
        let folder = try Self.folder(["kraft.yaml": Self.twoTargets])
        var planning = PlanningSettings()
        planning.targets = ["qemu/arm64"]
        let console = Console(buffered: true, collectsDiagnostics: true)
        let path = folder.appendingPathComponent("kraft.yaml").path
        let prepared = try PlanPhase(input: InputSettings(), planning: planning, console: console).plan(path, output: folder)
        #expect(prepared.plan.targets.map(\.id) == ["qemu-arm64"])
        #expect(prepared.selected == ["qemu-arm64"])
        #expect(prepared.written.targets.count == 2)
        #expect(prepared.tree == nil && prepared.configurations.isEmpty)

        let every = try PlanPhase(input: InputSettings(), planning: planning, emitEveryTarget: true, console: console).plan(path, output: folder)
        #expect(every.plan.targets.map(\.id) == ["qemu-x86_64", "qemu-arm64"] && every.selected == ["qemu-arm64"])
    }

    @Test func planStopsAfterReportingTheManifestsErrors() throws {
        let folder = try Self.folder(["kraft.yaml": "spec: v0.6\nname: app\ntargets:\n  - firecraker/x86_64\n"])
        let console = Console(buffered: true, collectsDiagnostics: true)
        #expect(throws: DriverError.failure) {
            try PlanPhase(input: InputSettings(), planning: PlanningSettings(), console: console)
                .plan(folder.appendingPathComponent("kraft.yaml").path, output: folder)
        }
        let errors = console.diagnostics.diagnostics.filter { $0.severity == .error }
        #expect(errors.count == 1 && errors[0].location?.range.start.line == 4, "\(errors)")
        #expect(console.diagnostics.exitCode == 1)
    }

    @Test func anUnknownTargetIsAUsageError() throws {
        let folder = try Self.folder(["kraft.yaml": Self.twoTargets])
        var planning = PlanningSettings()
        planning.targets = ["xen/x86_64"]
        #expect(throws: DriverError.self) {
            try PlanPhase(input: InputSettings(), planning: planning, console: Console(buffered: true))
                .plan(folder.appendingPathComponent("kraft.yaml").path, output: folder)
        }
    }

    /// `UK_ROOT` comes from the environment the run is given, and must name a tree.
    @Test func ukRootFromTheGivenEnvironmentMustBeATree() throws {
        let folder = try Self.folder(["kraft.yaml": Self.twoTargets, "not-a-tree/README": "x\n"])
        var input = InputSettings()
        input.environment = ["UK_ROOT": folder.appendingPathComponent("not-a-tree").path]
        #expect(throws: DriverError.usage("'\(folder.appendingPathComponent("not-a-tree").path)' (from $UK_ROOT) is not a Unikraft tree (it has no Config.uk)")) {
            try PlanPhase(input: input, planning: PlanningSettings(), console: Console(buffered: true))
                .plan(folder.appendingPathComponent("kraft.yaml").path, output: folder)
        }
        input.environment = ["UK_ROOT": ""]
        let prepared = try PlanPhase(input: input, planning: PlanningSettings(), console: Console(buffered: true))
            .plan(folder.appendingPathComponent("kraft.yaml").path, output: folder)
        #expect(prepared.located.unikraft == nil)
    }

    /// The template is looked for where fetching puts it: the workspace's folder for the
    /// request (`SourceRequest.workspaceFolder`), whatever the workspace is.
    @Test func theTemplateIsFoundInTheWorkspaceFolderOfItsRequest() throws {
        let folder = try Self.folder([
            "app/kraft.yaml": "spec: v0.6\nname: app\ntemplate:\n  source: https://example.org/apps/my-template.git\n",
            "app/custom-workspace/apps/my-template/kraft.yaml": "spec: v0.6\nname: tmpl\ntargets:\n  - qemu/x86_64\n",
        ])
        let path = folder.appendingPathComponent("app/kraft.yaml").path
        let input = ManifestInput(options: InputSettings(), console: Console(buffered: true))
        let manifest = try #require(try input.load(path).result.manifest)
        let workspace = folder.appendingPathComponent("app/custom-workspace")
        let found = try TemplateResolution(manifest, manifestFolder: folder.appendingPathComponent("app"), workspace: workspace, input: input)
        #expect(found.folder?.standardizedFileURL == workspace.appendingPathComponent("apps/my-template").standardizedFileURL, "\(found.diagnostics)")
        #expect(found.manifest.targets.count == 1, "\(found.diagnostics)")
        let missing = try TemplateResolution(manifest, manifestFolder: folder.appendingPathComponent("app"), workspace: folder.appendingPathComponent("app/.unikraft"), input: input)
        #expect(missing.folder == nil && missing.diagnostics.map(\.id) == ["template-unavailable"])
    }

    /// `--workspace` holds the fetched sources for planning too, without `--build`.
    @Test func planLooksForTheTemplateInTheWorkspaceItIsGiven() throws {
        let folder = try Self.folder([
            "kraft.yaml": "spec: v0.6\nname: app\ntemplate:\n  source: https://example.org/apps/my-template.git\n",
            "ws/apps/my-template/kraft.yaml": "spec: v0.6\nname: tmpl\ntargets:\n  - qemu/arm64\n",
        ])
        let path = folder.appendingPathComponent("kraft.yaml").path
        let prepared = try PlanPhase(input: InputSettings(), planning: PlanningSettings(), workspace: folder.appendingPathComponent("ws").path,
                                     console: Console(buffered: true)).plan(path, output: folder)
        #expect(prepared.plan.targets.map(\.id) == ["qemu-arm64"])
    }

    @Test func compileEmitsWritesAndChecksInProcess() throws {
        let folder = try Self.folder(["kraft.yaml": Self.twoTargets])
        let path = folder.appendingPathComponent("kraft.yaml").path
        var request = CompileRequest()
        request.artifacts = [.makefile, .defconfig]
        let console = Console(buffered: true, collectsDiagnostics: true)
        let written = try Compile.compile(path, request, console: console)
        #expect(written.status == .ok && written.targets == ["qemu-x86_64", "qemu-arm64"])
        #expect(written.files == 3 && written.written == 3, "\(console.captured)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("defconfig.qemu-arm64").path))
        #expect(written.buildTargets.map(\.id) == ["qemu-x86_64", "qemu-arm64"])

        request.writing = .check(regenerate: { "manifestc \($0)" })
        #expect(try Compile.compile(path, request, console: Console(buffered: true)).status == .ok)
        try "# edited\n".write(to: folder.appendingPathComponent("defconfig.qemu-arm64"), atomically: true, encoding: .utf8)
        let checkConsole = Console(buffered: true)
        #expect(try Compile.compile(path, request, console: checkConsole).status == .stale)
        #expect(checkConsole.captured.error.contains("run 'manifestc \(path)' to regenerate"))
    }

    @Test func planSymbolsWithoutATreeAreTheSeeds() throws {
        let folder = try Self.folder(["kraft.yaml": "spec: v0.6\nname: app\ntargets:\n  - qemu/x86_64\nkconfig:\n  CONFIG_LIBUKDEBUG: 'n'\n"])
        let prepared = try PlanPhase(input: InputSettings(), planning: PlanningSettings(), console: Console(buffered: true))
            .plan(folder.appendingPathComponent("kraft.yaml").path, output: folder)
        let target = try #require(prepared.plan.targets.first)
        guard case .map(let symbols) = PlanSymbols.document(target, configuration: nil) else { Issue.record("not a map"); return }
        #expect(symbols.map(\.0) == target.seed.map(\.symbol))
        #expect(!symbols.isEmpty && symbols.map(\.1) == target.seed.map { .string($0.value) })
    }
}

/// The one diagnostics engine: what it keeps, how it renders, the exit status it gives.
struct DiagnosticsEngineTests {
    final class Sink: @unchecked Sendable {
        var text = ""
    }

    static let problem = Diagnostic.error("unknown-platform", "unknown platform 'firecraker'", at: SourceLocation(file: "kraft.yaml", range: SourceRange(
        start: SourcePosition(line: 2, column: 3), end: SourcePosition(line: 2, column: 13))))

    @Test func rendersTextWithTheSourceLineAndDecidesTheExitStatus() {
        let sink = Sink()
        let engine = DiagnosticsEngine(format: .text) { sink.text += $0 }
        engine.report([.warning("w", "a warning", at: nil)])
        #expect(engine.exitCode == 0)
        engine.report([Self.problem], sources: ["kraft.yaml": SourceText(file: "kraft.yaml", text: "targets:\n  firecraker/x86_64\n")])
        #expect(engine.exitCode == 1 && engine.diagnostics.count == 2)
        #expect(sink.text.hasPrefix("warning: a warning [w]\nkraft.yaml:2:3: error: unknown platform 'firecraker' [unknown-platform]\n"), "\(sink.text)")
        #expect(sink.text.contains("firecraker/x86_64"))
    }

    @Test func rendersOneJSONDocumentPerReportEvenWhenEmpty() {
        let sink = Sink()
        let engine = DiagnosticsEngine(format: .json) { sink.text += $0 }
        engine.report([])
        #expect(sink.text == Diagnostic.document([]).json())
        #expect(engine.exitCode == 0)
    }

    @Test func collectingOnlyRendersNothing() {
        let sink = Sink()
        let engine = DiagnosticsEngine(format: .text, collectsOnly: true) { sink.text += $0 }
        engine.report([Self.problem])
        #expect(sink.text.isEmpty && engine.diagnostics == [Self.problem] && engine.hasErrors)
    }
}
