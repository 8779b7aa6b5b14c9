import Foundation
import Testing
import TestSupport

/// Faults while writing: a manifestc killed at a random moment leaves every file either
/// old or new (and a rerun cleans up and succeeds); two manifestc processes writing one
/// folder never interleave.
@Suite(.tags(.slow), .serialized) struct FaultTests {
    typealias CLI = CommandLineTests

    /// A manifest with many targets, so that writing takes long enough to be interrupted.
    static func manifest(_ argument: String, targets: Int = 40) -> String {
        let names = (0..<targets).map { "  - {plat: qemu, arch: x86_64, name: t\($0)}" }.joined(separator: "\n")
        return "spec: v0.6\nname: app\ntargets:\n\(names)\ncmd: [\"--\", \"\(argument)\"]\n"
    }

    /// The files of a folder, by name (the lock file left out).
    static func snapshot(_ folder: URL) throws -> [String: String] {
        var out: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name != ".manifestc.lock" && name != "kraft.yaml" {
            out[name] = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
        }
        return out
    }

    /// The files a manifest generates, made in a scratch folder.
    static func expected(_ text: String) throws -> [String: String] {
        let folder = try CLI.temporaryFolder(["kraft.yaml": text])
        let r = try CLI.run(["kraft.yaml"], in: folder)
        #expect(r.status == 0, "\(r.stderr)")
        return try snapshot(folder)
    }

    @Test func aKilledWriteLeavesOldOrNewFilesAndARerunSucceeds() throws {
        let old = try Self.expected(Self.manifest("old"))
        let new = try Self.expected(Self.manifest("new"))
        // Seeded, so a failing round can be replayed: MANIFESTC_TEST_SEED=<seed> repeats its kill moments.
        let seed = ProcessInfo.processInfo.environment["MANIFESTC_TEST_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 0...UInt64.max)
        var generator = SplitMix64(seed: seed)
        for round in 0..<6 {
            let folder = try CLI.temporaryFolder(["kraft.yaml": Self.manifest("old")])
            #expect(try CLI.run(["kraft.yaml"], in: folder).status == 0)
            try Self.manifest("new").write(to: folder.appendingPathComponent("kraft.yaml"), atomically: true, encoding: .utf8)

            let process = Process()
            process.executableURL = CLI.executable
            process.arguments = ["kraft.yaml"]
            process.currentDirectoryURL = folder
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            process.environment = ProcessInfo.processInfo.environment.merging(["MANIFESTC_TEST_WRITE_DELAY_US": "1000"]) { _, new in new }
            try process.run()
            usleep(UInt32.random(in: 0...200_000, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()

            for (name, contents) in try Self.snapshot(folder) where !name.contains(".manifestc-") {
                if name == ".manifestc-outputs" { continue }
                #expect(contents == old[name] || contents == new[name], "seed \(seed), round \(round): \(name) is neither the old nor the new version")
            }
            let rerun = try CLI.run(["kraft.yaml"], in: folder)
            #expect(rerun.status == 0, "seed \(seed), round \(round): \(rerun.stderr)")
            #expect(try Self.snapshot(folder) == new, "seed \(seed), round \(round): the rerun did not give the new files (or left temporaries)")
            #expect(try CLI.run(["--check"], in: folder).status == 0, "seed \(seed), round \(round)")
        }
    }

    /// What `<which>/kraft.yaml -o out` writes, made in a scratch folder of the same layout.
    static func expectedOut(_ which: String) throws -> [String: String] {
        let folder = try CLI.temporaryFolder(["\(which)/kraft.yaml": manifest(which)])
        #expect(try CLI.run(["\(which)/kraft.yaml", "-o", "out"], in: folder).status == 0)
        return try snapshot(folder.appendingPathComponent("out"))
    }

    @Test func concurrentWritersDoNotInterleave() throws {
        let a = try Self.expectedOut("a")
        let b = try Self.expectedOut("b")
        for round in 0..<3 {
            let folder = try CLI.temporaryFolder(["a/kraft.yaml": Self.manifest("a"), "b/kraft.yaml": Self.manifest("b")])
            let out = folder.appendingPathComponent("out")
            // The first writes slowly, the second fast: without the lock the second would overtake it.
            let processes = [("a", "3000"), ("b", "0")].map { which, delay -> Process in
                let p = Process()
                p.executableURL = CLI.executable
                p.arguments = ["\(which)/kraft.yaml", "-o", "out", "--force"]
                p.currentDirectoryURL = folder
                p.standardOutput = FileHandle.nullDevice
                p.standardError = FileHandle.nullDevice
                p.environment = ProcessInfo.processInfo.environment.merging(["MANIFESTC_TEST_WRITE_DELAY_US": delay]) { _, new in new }
                return p
            }
            try processes[0].run()
            usleep(50_000)  // the second starts while the first is writing
            try processes[1].run()
            for p in processes { p.waitUntilExit() }
            #expect(processes.allSatisfy { $0.terminationStatus == 0 }, "round \(round)")
            // Header lines name the source (a/kraft.yaml or b/kraft.yaml): compare the bodies.
            func bodies(_ files: [String: String]) -> [String: String] {
                files.filter { $0.key != ".manifestc-outputs" }.mapValues { $0.split(separator: "\n").filter { !$0.contains("Generated by manifestc") }.joined(separator: "\n") }
            }
            let result = bodies(try Self.snapshot(out))
            // All of one run or all of the other (which one wins depends on who takes the lock first).
            let fromA = bodies(a), fromB = bodies(b)
            let notA = fromA.keys.filter { result[$0] != fromA[$0] }.sorted()
            let notB = fromB.keys.filter { result[$0] != fromB[$0] }.sorted()
            #expect(notA.isEmpty || notB.isEmpty, "round \(round): the output mixes both runs: \(notA.count) files differ from the first's, \(notB.count) from the second's, e.g. \(notB.prefix(3))")
        }
    }
}
