import Emitters
import FoundationEssentials
import Glibc
import Manifest
import Planner
import Diagnostics

/// How the build and run phases go (`--build`, `--run`, `--jobs`, `--verbose`, `--timeout`, `--accel`).
package struct BuildSettings: Sendable {
    package var build = false
    package var run = false
    /// Parallel make jobs; default: the number of cores.
    package var jobs: Int?
    package var verbose = false
    /// Stop the guest after this many seconds (`--run`).
    package var timeout: Double?
    package var accelerator: Runner.Accelerator?
    /// Origins, the offline switch and the reproducibility check.
    package var hermetic = HermeticSettings()
    /// `--locked`: every origin must be pinned in kraft.lock already.
    package var locked = false

    package init() {}

    /// Whether make runs (`--fetch` runs only its fetch step).
    package var buildsOrRuns: Bool { build || run || hermetic.fetch }

    /// The artifacts a build and a run need, whatever `--emit` says.
    package var neededArtifacts: Set<Artifact> {
        var kinds: Set<Artifact> = []
        if buildsOrRuns { kinds.formUnion([.config, .makefile]) }
        if run { kinds.insert(.launch) }
        return kinds
    }
}

/// The build and run phases: make for each selected target, then launch.sh for the first.
package struct BuildPhase {
    let settings: BuildSettings
    let console: Console
    /// Starts make and launch.sh.
    let processes: any ProcessRunner
    let environment: [String: String]

    package init(settings: BuildSettings, console: Console, processes: any ProcessRunner = SystemProcessRunner(),
                 environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.settings = settings
        self.console = console
        self.processes = processes
        self.environment = environment
    }

    /// Builds the selected targets (and runs the first) after the files are written: origins
    /// fetched and pinned first, then make with a fixed time and mapped paths; each image's
    /// SHA-256 and bill of materials. Throws the exit code to leave with.
    package func buildAndRun(_ selected: [TargetPlan], output: URL, applicationArguments: [String], manifest: URL, workspace: URL) throws {
        guard settings.buildsOrRuns else { return }
        fflush(nil)
        var builder = Builder(folder: output, jobs: settings.jobs ?? ProcessInfo.processInfo.activeProcessorCount, verbose: settings.verbose,
                              environment: environment, console: console, processes: processes)
        var hermeticBuild: HermeticBuild?
        defer { hermeticBuild?.finish() }
        do {
            let targets = settings.run ? Array(selected.prefix(1)) : selected
            try builder.checkTools(targets)
            let hermetic = try HermeticBuild(manifest: manifest, output: output, workspace: workspace, options: settings.hermetic,
                                             locked: settings.locked, environment: builder.environment, console: console,
                                             processes: processes)
            hermeticBuild = hermetic
            try hermetic.fetchOrigins(targets, builder: builder, required: settings.hermetic.fetch)
            if settings.hermetic.fetch { return }
            builder.makeVariables = hermetic.makeVariables
            builder.environment = hermetic.environment(builder.environment)
            let images = try builder.build(targets)
            for (image, target) in zip(images, targets) {
                console.out("\(image.target): \(output.appendingPathComponent(image.path).path) (\(Self.bytes(image.bytes)), built in \(Builder.format(image.seconds)))\n")
                let digest = try HermeticBuild.digest(output.appendingPathComponent(image.path))
                let bom = try hermetic.writeBillOfMaterials(image, target: target, sha256: digest, toolchain: builder.toolchain(for: target), environment: builder.environment)
                console.out("\(image.target): sha256 \(digest); bill of materials \(bom.path)\n")
            }
            fflush(nil)
            if settings.hermetic.verifyReproducible {
                try hermetic.verifyReproducible(images, workspace: workspace, environment: environment)
            }
            guard settings.run, let target = targets.first else { return }
            let status = try Runner(folder: output, timeout: settings.timeout, accelerator: settings.accelerator, console: console, processes: processes)
                .run(target, arguments: applicationArguments.isEmpty ? nil : applicationArguments)
            if status != 0 { throw DriverError.exit(status) }
        } catch let failure as Builder.Failure {
            console.fail("build-failed", failure.description)
            throw Interrupts.pending ? DriverError.exit(Interrupts.exitStatus) : DriverError.failure
        } catch let failure as OriginSession.Failure {
            console.fail("origin-failed", failure.description)
            throw Interrupts.pending ? DriverError.exit(Interrupts.exitStatus) : DriverError.failure
        } catch let failure as HermeticBuild.Failure {
            console.fail("build-not-hermetic", failure.description)
            throw DriverError.failure
        } catch let failure as Runner.Failure {
            console.fail("run-failed", failure.description)
            throw DriverError.failure
        } catch let failure as Subprocess.LaunchError {
            console.fail("run-failed", failure.description)
            throw DriverError.failure
        }
    }

    static func bytes(_ n: Int) -> String {
        NumberText.grouped(n) + " bytes"
    }
}
