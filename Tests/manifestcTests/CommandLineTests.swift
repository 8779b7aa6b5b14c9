import Foundation
import Testing
import TestSupport

/// End-to-end tests of the `manifestc` executable: exit codes, discovery, output.
@Suite(.tags(.slow)) struct CommandLineTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The built executable, next to the test bundle.
    static var executable: URL {
        let candidates = [
            Bundle.main.bundleURL.appendingPathComponent("manifestc"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("manifestc"),
            repository.appendingPathComponent(".build/debug/manifestc"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[2]
    }

    @discardableResult
    static func run(_ arguments: [String], in folder: URL? = nil, environment: [String: String] = [:]) throws -> ProcessOutput {
        try Subprocess.run(executable.path, arguments, in: folder, environment: environment)
    }

    static func temporaryFolder(_ files: [String: String]) throws -> URL {
        try TestSupport.temporaryFolder(files)
    }

    @Test func validExampleExitsZero() throws {
        let r = try Self.run(["validate", Self.repository.appendingPathComponent("examples/helloworld/kraft.yaml").path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("valid, spec v0.6, 2 targets"))
        #expect(r.stderr.isEmpty)
    }

    @Test func errorsExitOneWithLocatedDiagnostics() throws {
        let folder = try Self.temporaryFolder(["kraft.yaml": "spec: v0.6\ntargets:\n  - firecraker/x86_64\n  - qemu/amd64\n"])
        let r = try Self.run(["validate", "--color", "never"], in: folder)
        #expect(r.status == 1)
        #expect(r.stderr.contains("kraft.yaml:3:5: error: unknown platform 'firecraker'; did you mean 'firecracker'? [unknown-platform]"))
        #expect(r.stderr.contains("kraft.yaml:4:10: warning: 'amd64' is not Unikraft's name for this architecture; write 'x86_64' [architecture-alias]"))
        #expect(r.stdout.isEmpty)
    }

    @Test func usageErrorsExitTwo() throws {
        #expect(try Self.run(["validate", "--no-such-option"]).status == 2)
        #expect(try Self.run(["show", "--format", "xml", "x.yaml"]).status == 2)
    }

    /// A command line is parsed by the command it names; one that does not parse is answered by the
    /// root parse, with the command's full name in the usage line and the root's suggestions.
    @Test func aLineThatDoesNotParseIsAnsweredAsTheRootAnswersIt() throws {
        let plan = try Self.run(["plan", "--nope"])
        #expect(plan.status == 2)
        #expect(plan.stderr.contains("Unknown option '--nope'") && plan.stderr.contains("Usage: manifestc plan"), "\(plan.stderr)")
        let emit = try Self.run(["--emitt", "all"])
        #expect(emit.status == 2)
        #expect(emit.stderr.contains("Usage: manifestc emit") && emit.stderr.contains("Did you mean '--emit'?"), "\(emit.stderr)")
        let help = try Self.run(["plan", "--help"])
        #expect(help.status == 0 && help.stdout.contains("USAGE: manifestc plan"), "\(help.stdout)")
    }

    @Test func helpListsExamples() throws {
        let r = try Self.run(["validate", "--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("Examples:"))
        #expect(r.stdout.contains("--diagnostics-format"))
    }

    @Test func discoveryFindsTheManifestInAParentFolder() throws {
        let folder = try Self.temporaryFolder(["Kraftfile": "spec: v0.6\nname: found\n", "src/deep/.keep": ""])
        let r = try Self.run(["show"], in: folder.appendingPathComponent("src/deep"))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("\"name\": \"found\""))
    }

    @Test func severalManifestsInOneFolderIsAUsageError() throws {
        let folder = try Self.temporaryFolder(["Kraftfile": "spec: v0.6\n", "kraft.yaml": "spec: v0.6\n"])
        let r = try Self.run(["validate"], in: folder)
        #expect(r.status == 2)
        #expect(r.stderr.contains("Kraftfile, kraft.yaml"))
    }

    @Test func missingManifestIsAUsageError() throws {
        let folder = try Self.temporaryFolder([:])
        let r = try Self.run(["validate", "nope.yaml"], in: folder)
        #expect(r.status == 2)
        #expect(r.stderr.contains("no such file"))
    }

    @Test func envFileAndProcessEnvironment() throws {
        let folder = try Self.temporaryFolder([
            "kraft.yaml": "spec: v0.6\nname: ${APP}\noutdir: ${OUT}\n",
            "vars.env": "APP=from-file\nOUT=file-out\n",
            ".env": "APP=from-dotenv\nOUT=dotenv-out\n",
        ])
        let withFile = try Self.run(["show", "--env-file", "vars.env", "--allow-env", "OUT"], in: folder, environment: ["OUT": "process-out"])
        #expect(withFile.stdout.contains("\"name\": \"from-file\""))
        #expect(withFile.stdout.contains("\"outdir\": \"process-out\""))
        let withDotenv = try Self.run(["show"], in: folder)
        #expect(withDotenv.stdout.contains("\"name\": \"from-dotenv\""))
    }

    @Test func strictTurnsUnknownKeysIntoErrors() throws {
        let folder = try Self.temporaryFolder(["kraft.yaml": "spec: v0.6\nnmae: x\n"])
        #expect(try Self.run(["validate"], in: folder).status == 0)
        #expect(try Self.run(["validate", "--strict"], in: folder).status == 1)
    }

    @Test func jsonDiagnosticsParse() throws {
        let folder = try Self.temporaryFolder(["kraft.yaml": "spec: v0.9\n"])
        let r = try Self.run(["validate", "--diagnostics-format", "json"], in: folder)
        #expect(r.status == 1)
        let object = try JSONSerialization.jsonObject(with: Data(r.stderr.utf8)) as? [String: Any]
        let diagnostics = try #require(object?["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.first?["id"] as? String == "spec-unsupported")
        #expect(diagnostics.first?["line"] as? Int == 1)
        #expect(diagnostics.first?["column"] as? Int == 7)
    }

    @Test func showIsTheSameForSpecZeroFiveAndZeroSix() throws {
        let fixtures = Self.repository.appendingPathComponent("Tests/ManifestTests/Fixtures/equivalent")
        for format in ["json", "yaml"] {
            let a = try Self.run(["show", "--format", format, fixtures.appendingPathComponent("9pfs-v0.5.yaml").path])
            let b = try Self.run(["show", "--format", format, fixtures.appendingPathComponent("9pfs-v0.6.yaml").path])
            #expect(a.status == 0 && b.status == 0)
            #expect(!a.stdout.isEmpty)
            #expect(a.stdout == b.stdout)
        }
    }
}
