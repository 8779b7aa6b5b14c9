import Foundation
import TestSupport
import Testing

/// What a new user's first commands expect of a command-line tool: `--version`, "did you
/// mean" for a mistyped command, a dry run that fails where the real run fails, and a
/// `--check` whose suggested command really regenerates the files.
@Suite(.tags(.slow)) struct CLIConventionTests {
    typealias CLI = CommandLineTests

    @Test func versionPrintsOneVersionNumber() throws {
        let r = try CLI.run(["--version"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.range(of: #"^[0-9]+\.[0-9]+\.[0-9]+\n$"#, options: .regularExpression) != nil, "\(r.stdout)")
    }

    @Test(arguments: [("valdate", "validate"), ("shwo", "show"), ("imprt", "import"), ("explian", "explain")])
    func mistypedCommandIsAUsageErrorWithDidYouMean(_ typed: String, _ meant: String) throws {
        let folder = try CLI.temporaryFolder([:])
        let r = try CLI.run([typed], in: folder)
        #expect(r.status == 2)
        #expect(r.stderr.contains("unknown command '\(typed)'; did you mean '\(meant)'?"), "\(r.stderr)")
    }

    /// The word is shown as it was typed, its control characters escaped: the message stays one line.
    @Test func mistypedCommandWithALineBreakStaysOneLine() throws {
        let folder = try CLI.temporaryFolder([:])
        let r = try CLI.run(["val\ndate"], in: folder)
        #expect(r.status == 2)
        #expect(r.stderr == "manifestc: error: unknown command 'val\\u{A}date'; did you mean 'validate'?\n", "\(r.stderr)")
    }

    /// A missing file that is no command's near miss, or one named after `emit`, stays a missing file.
    @Test func missingFileIsStillAMissingFile() throws {
        let folder = try CLI.temporaryFolder([:])
        let far = try CLI.run(["kraft.yml"], in: folder)
        #expect(far.status == 2)
        #expect(far.stderr.contains("cannot read 'kraft.yml': no such file or folder"), "\(far.stderr)")
        let named = try CLI.run(["emit", "valdate"], in: folder)
        #expect(named.status == 2)
        #expect(named.stderr.contains("cannot read 'valdate'"), "\(named.stderr)")
    }

    /// `--dry-run` exits as the real run would: 1 when it would refuse a file, writing nothing.
    @Test func dryRunFailsWhereTheRealRunRefuses() throws {
        let folder = try CLI.temporaryFolder(["kraft.yaml": EmitCommandTests.manifest, "Makefile": "# my own Makefile\nall:\n"])
        let dry = try CLI.run(["kraft.yaml", "--dry-run"], in: folder)
        let real = try CLI.run(["kraft.yaml"], in: folder)
        #expect(real.status == 1)
        #expect(dry.status == real.status, "\(dry.stdout)\(dry.stderr)")
        #expect(dry.stdout.contains("refuse   (manifestc did not write it) Makefile"), "\(dry.stdout)")
        #expect(dry.stderr.contains("1 file would be refused"), "\(dry.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("launch.sh").path))
        let clean = try CLI.temporaryFolder(["kraft.yaml": EmitCommandTests.manifest])
        #expect(try CLI.run(["kraft.yaml", "--dry-run"], in: clean).status == 0)
    }

    /// After `-o DIR` (and other options), the command `--check` suggests is run as a shell
    /// would run it: it must regenerate exactly what `--check` compared.
    @Test func checkSuggestsACommandThatRegenerates() throws {
        let folder = try CLI.temporaryFolder(["kraft.yaml": EmitCommandTests.manifest])
        let options = ["--output-dir", "out dir/it's", "--emit", "makefile,launch", "--target", "fc/x86_64"]
        #expect(try CLI.run(["kraft.yaml"] + options, in: folder).status == 0)
        try EmitCommandTests.manifest.replacingOccurrences(of: "hello", with: "bye").write(to: folder.appendingPathComponent("kraft.yaml"), atomically: true, encoding: .utf8)
        let stale = try CLI.run(["kraft.yaml", "--check"] + options, in: folder)
        #expect(stale.status == 1)
        let marker = try #require(stale.stderr.range(of: "run '"), "\(stale.stderr)")
        let end = try #require(stale.stderr.range(of: "' to regenerate", range: marker.upperBound..<stale.stderr.endIndex))
        let command = String(stale.stderr[marker.upperBound..<end.lowerBound])
        #expect(command.hasPrefix("manifestc kraft.yaml "), "\(command)")
        let bin = CLI.executable.deletingLastPathComponent().path
        let path = bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let regenerated = try Subprocess.run("/bin/bash", ["-c", command], in: folder, environment: ["PATH": path])
        #expect(regenerated.status == 0, "\(command): \(regenerated.stderr)")
        let again = try CLI.run(["kraft.yaml", "--check"] + options, in: folder)
        #expect(again.status == 0, "\(command): \(again.stdout)\(again.stderr)")
    }
}
