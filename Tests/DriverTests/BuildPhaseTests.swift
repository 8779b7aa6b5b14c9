@testable import Driver
import Emitters
import Foundation
import Planner
import Testing

/// The build and run phases in-process, with a process runner that stands for make and launch.sh.
struct BuildPhaseTests {
    /// Records every call; make "builds" each target's image (or fails with `makeOutput`), launch.sh exits with `guestStatus`.
    final class FakeProcesses: ProcessRunner, @unchecked Sendable {
        let folder: URL
        var makeStatus: Int32 = 0
        var makeOutput = ""
        var guestStatus: Int32 = 0
        private let lock = NSLock()
        private(set) var calls: [(String, [String])] = []

        init(folder: URL) { self.folder = folder }

        func which(_ name: String, environment: [String: String]) -> String? { "/usr/bin/" + name }

        func run(_ executable: String, _ arguments: [String], in folder: URL?, environment: [String: String]?,
                 timeout: Double?, output: Subprocess.Output) throws -> Subprocess.Result {
            lock.withLock { calls.append((executable, arguments)) }
            if executable == "make" {
                if makeStatus == 0, !arguments.contains("fetch"), let id = arguments.first(where: { !$0.hasPrefix("-") && !$0.contains("/") && !$0.contains("=") }) {
                    let image = self.folder.appendingPathComponent("build/\(id)")
                    try FileManager.default.createDirectory(at: image, withIntermediateDirectories: true)
                    try Data(repeating: 0, count: 1234).write(to: image.appendingPathComponent("app_qemu-x86_64"))
                }
                if case .lines(let callback) = output { makeOutput.split(separator: "\n").forEach { callback(String($0)) } }
                return Subprocess.Result(status: makeStatus, output: makeOutput, timedOut: false, interrupted: false)
            }
            return Subprocess.Result(status: guestStatus, output: "", timedOut: false, interrupted: false)
        }
    }

    static func planned() throws -> (URL, [TargetPlan]) {
        let folder = try PhaseTests.folder(["kraft.yaml": "spec: v0.6\nname: app\ntargets:\n  - qemu/x86_64\n"])
        let prepared = try PlanPhase(input: InputSettings(), planning: PlanningSettings(), console: Console(buffered: true))
            .plan(folder.appendingPathComponent("kraft.yaml").path, output: folder)
        // What the resolve-sources phase leaves: a lock (no sources, no origins).
        try LockFile(entries: []).render(manifest: "kraft.yaml").write(to: folder.appendingPathComponent(LockFile.fileName), atomically: true, encoding: .utf8)
        return (folder, prepared.plan.targets)
    }

    @Test func buildRunsMakeForEachTargetAndReportsTheImage() throws {
        let (folder, targets) = try Self.planned()
        let processes = FakeProcesses(folder: folder)
        var settings = BuildSettings()
        settings.build = true
        settings.jobs = 3
        let console = Console(buffered: true)
        try BuildPhase(settings: settings, console: console, processes: processes, environment: ["PATH": "/usr/bin"])
            .buildAndRun(targets, output: folder, applicationArguments: [], manifest: folder.appendingPathComponent("kraft.yaml"),
                         workspace: folder.appendingPathComponent(".unikraft"))
        // The origins are fetched first (nothing compiled), then the target is built.
        let makes = processes.calls.filter { $0.0 == "make" }.map(\.1)
        #expect(makes.count == 2 && makes[0].contains("fetch") && makes[0].contains("TARGET=qemu-x86_64"), "\(makes)")
        #expect(makes.last?.starts(with: ["--no-print-directory", "-f", folder.appendingPathComponent("Makefile").path, "-j3", "qemu-x86_64"]) == true)
        #expect(makes.last?.contains { $0.hasPrefix("HOSTUTC=") } == true, "a fixed build time: \(makes)")
        let lines = console.captured.out.split(separator: "\n")
        #expect(lines.first?.hasPrefix("qemu-x86_64: \(folder.appendingPathComponent("build/qemu-x86_64/app_qemu-x86_64").path) (1,234 bytes, built in ") == true, "\(console.captured)")
        #expect(lines.first?.hasSuffix(" s)") == true && lines.count == 2)
        #expect(lines.last?.hasPrefix("qemu-x86_64: sha256 \(SHA256.hex(Data(repeating: 0, count: 1234))); bill of materials ") == true, "\(console.captured)")
    }

    @Test func aFailedMakeIsOneDiagnosticNamingTheDownloadThatFailed() throws {
        let (folder, targets) = try Self.planned()
        let processes = FakeProcesses(folder: folder)
        processes.makeStatus = 2
        processes.makeOutput = "  WGET    libmusl: https://example.org/musl-1.2.3.tar.gz\ntar: /b/libmusl/musl-1.2.3.tar.gz: Cannot open: No such file or directory\n"
        var settings = BuildSettings()
        settings.build = true
        let console = Console(buffered: true, collectsDiagnostics: true)
        #expect(throws: DriverError.failure) {
            try BuildPhase(settings: settings, console: console, processes: processes, environment: [:])
                .buildAndRun(targets, output: folder, applicationArguments: [], manifest: folder.appendingPathComponent("kraft.yaml"),
                             workspace: folder.appendingPathComponent(".unikraft"))
        }
        let reported = console.diagnostics.diagnostics
        #expect(reported.map(\.id) == ["build-failed"])
        #expect(reported.first?.message.hasPrefix("make failed for target 'qemu-x86_64' (exit status 2); the build could not download 'https://example.org/musl-1.2.3.tar.gz' (libmusl)") == true,
                "\(reported)")
    }

    @Test func runBootsTheFirstTargetThroughLaunchShAndExitsWithTheGuestsStatus() throws {
        let (folder, targets) = try Self.planned()
        let script = folder.appendingPathComponent("launch.sh")
        try "#!/bin/sh\n".write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        let processes = FakeProcesses(folder: folder)
        processes.guestStatus = 3
        var settings = BuildSettings()
        settings.run = true
        settings.accelerator = .tcg
        #expect(throws: DriverError.exit(3)) {
            try BuildPhase(settings: settings, console: Console(buffered: true), processes: processes, environment: [:])
                .buildAndRun(targets, output: folder, applicationArguments: ["a b"], manifest: folder.appendingPathComponent("kraft.yaml"),
                             workspace: folder.appendingPathComponent(".unikraft"))
        }
        #expect(processes.calls.filter { $0.0 == "make" }.count == 2)
        #expect(processes.calls.last?.0 == script.path)
        #expect(processes.calls.last?.1 == ["--tcg", "qemu-x86_64", "--", "a b"])
    }
}
