import Diagnostics
import FoundationEssentials
import Planner

/// Runs a built target through the emitted `launch.sh`, passing the guest's exit
/// status through; `timeout` stops the guest (and everything launch.sh started).
package struct Runner {
    /// The folder holding launch.sh.
    let folder: URL
    let timeout: Double?
    /// QEMU's accelerator (`--accel`); nil lets launch.sh test whether KVM runs a guest.
    var accelerator: Accelerator? = nil
    /// Where the timeout message and the note after a failed run go.
    let console: Console
    /// Starts launch.sh.
    var processes: any ProcessRunner = SystemProcessRunner()

    package enum Accelerator: String, CaseIterable, Sendable {
        case kvm, tcg
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The exit status to leave with.
    func run(_ target: TargetPlan, arguments: [String]?) throws -> Int32 {
        let script = folder.appendingPathComponent("launch.sh")
        guard FileManager.default.isExecutableFile(atPath: script.path) else {
            throw Failure(description: "there is no executable '\(script.path)'; emit it with '--emit launch' (or 'all')")
        }
        guard accelerator == nil || target.platform == .qemu else {
            throw Failure(description: "--accel applies to QEMU targets; '\(target.id)' runs on \(target.platform.rawValue)")
        }
        var words = (accelerator.map { ["--\($0.rawValue)"] } ?? []) + [target.id]
        if let arguments { words += ["--"] + arguments }
        let result = try processes.run(script.path, words, in: folder, environment: nil, timeout: timeout, output: .inherit)
        if result.timedOut {
            console.say("stopped '\(target.id)' after \(Self.seconds(timeout ?? 0)) seconds (--timeout)")
            return 124
        }
        if result.interrupted { return Interrupts.exitStatus }
        if result.status != 0, let note = Self.tcgRandomNote(target, folder: folder) {
            console.diagnostics.report([.note("run-tcg-random", note, at: nil)])
        }
        return result.status
    }

    /// Unikraft ≥ 0.17 seeds its random number generator from RDRAND and RDSEED;
    /// QEMU's TCG has no RDSEED on x86_64, so without KVM the boot stops with
    /// "Could not initialize the HWRNG". Said after such a run fails.
    static func tcgRandomNote(_ target: TargetPlan, folder: URL) -> String? {
        guard target.platform == .qemu, target.architecture == .x86_64 else { return nil }
        let config = (try? String(contentsOf: folder.appendingPathComponent(target.configFile), encoding: .utf8))
            ?? target.fullConfig ?? ""
        guard config.contains("\nCONFIG_LIBUKRANDOM=y\n") else { return nil }
        return "'\(target.id)' has CONFIG_LIBUKRANDOM=y, which needs RDSEED: without KVM (QEMU's TCG has no RDSEED) the boot stops with "
            + "'Could not initialize the HWRNG'. To boot it under TCG, set CONFIG_LIBUKRANDOM: 'n' in the target's kconfig."
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
