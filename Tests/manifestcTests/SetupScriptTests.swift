import Foundation
import TestSupport
import Testing

/// scripts/setup.sh on what a fresh machine has. (The whole Quick start on a fresh Debian,
/// debootstrapped with only the Swift toolchain, is checked by hand; see the lead's note.)
@Suite(.tags(.slow)) struct SetupScriptTests {
    typealias CLI = CommandLineTests

    /// A fresh Debian has a python3 without pip (and a pyenv python3 may come first on PATH):
    /// setup.sh must not depend on the first python3 on PATH having pip. Here that python3
    /// fails at everything; setup.sh still succeeds, and the tests' check-jsonschema is the
    /// project's own `.venv` one.
    @Test func setupNeedsNoPipFromThePython3OnPath() throws {
        let bin = try CLI.temporaryFolder(["python3": "#!/bin/sh\necho \"python3 (no pip): $*\" >&2\nexit 1\n"])
        defer { try? FileManager.default.removeItem(at: bin) }
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: bin.appendingPathComponent("python3").path)
        let path = bin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let r = try Subprocess.run("/bin/bash", [CLI.repository.appendingPathComponent("scripts/setup.sh").path], environment: ["PATH": path])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(!r.stderr.contains("python3 (no pip)"), "\(r.stderr)")
        let checker = CLI.repository.appendingPathComponent(".venv/bin/check-jsonschema").path
        let version = try Subprocess.run(checker, ["--version"])
        #expect(version.status == 0, "\(version.stderr)")
    }
}
