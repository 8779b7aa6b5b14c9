import Foundation
import TestSupport
import Testing

/// Shell completions and the man page are generated from the command-line definition:
/// check that what they are generated from covers the commands and options.
@Suite(.tags(.slow)) struct ShellIntegrationTests {
    typealias CLI = CommandLineTests

    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScriptsKnowEveryCommand(_ shell: String) throws {
        let r = try CLI.run(["--generate-completion-script", shell])
        #expect(r.status == 0, "\(r.stderr)")
        for word in ["validate", "explain", "ci", "provider", "github", "gitlab", "format", "check", "set", "unset", "diff", "menuconfig", "with-deps", "to-uk-root"] {
            #expect(r.stdout.contains(word), "\(shell): \(word)")
        }
    }

    /// What swift-argument-parser's GenerateManual plugin reads (`swift package generate-manual`
    /// runs the tool with this flag): every subcommand with its discussion.
    @Test func theManualsSourceHasEveryCommand() throws {
        let r = try CLI.run(["--experimental-dump-help"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let command = try #require(object["command"] as? [String: Any])
        let names = (command["subcommands"] as? [[String: Any]] ?? []).compactMap { $0["commandName"] as? String }
        #expect(Set(["emit", "validate", "show", "plan", "explain", "ci", "set", "unset", "diff", "menuconfig"]).isSubset(of: Set(names)), "\(names)")
    }

    /// bash completes as a user types: the completion script sourced into bash with
    /// bash-completion loaded (as a login shell has it), `_manifestc` called with the words
    /// typed so far, the candidates read back.
    static func bashCandidates(_ words: [String]) throws -> [String] {
        let loader = "/usr/share/bash-completion/bash_completion"
        try #require(FileManager.default.fileExists(atPath: loader), "bash-completion is missing: run scripts/setup.sh")
        let script = try CLI.run(["--generate-completion-script", "bash"])
        try #require(script.status == 0, "\(script.stderr)")
        let folder = try CLI.temporaryFolder(["manifestc.bash": script.stdout])
        defer { try? FileManager.default.removeItem(at: folder) }
        let driver = """
            source \(loader)
            source "$1"; shift
            COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}; COMPREPLY=()
            _manifestc manifestc "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let r = try Subprocess.run("/bin/bash", ["-c", driver, "bash", folder.appendingPathComponent("manifestc.bash").path] + words, in: folder)
        try #require(r.status == 0, "\(r.stderr)")
        return r.stdout.split(separator: "\n").map(String.init)
    }

    @Test(arguments: [
        (["manifestc", "--em"], ["--emit"], [String]()),
        (["manifestc", "--emit", ""], ["all", "config", "launch", "firecracker", "xen"], ["validate", "--help"]),
        (["manifestc", "--emit", "qe"], ["qemu-guest"], ["--emit"]),
        (["manifestc", "kraft.yaml", "--dry"], ["--dry-run"], []),
        (["manifestc", "val"], ["validate"], []),
        (["manifestc", ""], ["validate", "emit", "ci"], []),
        (["manifestc", "validate", "--str"], ["--strict"], []),
        (["manifestc", "men"], ["menuconfig"], []),
        (["manifestc", "set", "--with"], ["--with-deps"], []),
        (["manifestc", "diff", "--format", ""], ["text", "json", "markdown"], []),
        (["manifestc", "kraft.yaml", "--color", ""], ["auto", "always", "never"], ["validate"]),
    ])
    func bashCompletesTheDefaultCommand(_ words: [String], _ expected: [String], _ unexpected: [String]) throws {
        let candidates = try Self.bashCandidates(words)
        for word in expected { #expect(candidates.contains(word), "\(words): \(candidates)") }
        for word in unexpected { #expect(!candidates.contains(word), "\(words): \(candidates)") }
    }

    /// The man page as scripts/install.sh makes it (the GenerateManual plugin's tool, then
    /// scripts/manpage.sed) renders without a single warning (`man manifestc` printed 22
    /// "mdoc warning: Empty input line").
    @Test func theManPageRendersWithoutWarnings() throws {
        let tool = CLI.repository.appendingPathComponent(".build/debug/generate-manual-tool").path
        try #require(FileManager.default.isExecutableFile(atPath: tool), "run 'swift package generate-manual --configuration debug' once (scripts/test.sh does): it builds \(tool)")
        let groff = "/usr/bin/groff"
        try #require(FileManager.default.isExecutableFile(atPath: groff), "groff is missing: run scripts/setup.sh")
        let folder = try CLI.temporaryFolder([:])
        defer { try? FileManager.default.removeItem(at: folder) }
        let generated = try Subprocess.run(tool, [CLI.executable.path, "--date", "2026-01-01", "--output-directory", folder.path])
        try #require(generated.status == 0, "\(generated.stderr)")
        let page = folder.appendingPathComponent("manifestc.1").path
        let fixed = try Subprocess.run("/bin/sed", ["-f", CLI.repository.appendingPathComponent("scripts/manpage.sed").path, page])
        try #require(fixed.status == 0, "\(fixed.stderr)")
        #expect(fixed.stdout.contains(".Sh DESCRIPTION") && fixed.stdout.contains("validate"))
        try fixed.stdout.write(toFile: page, atomically: true, encoding: .utf8)
        let rendered = try Subprocess.run(groff, ["-mandoc", "-ww", "-z", page])
        #expect(rendered.status == 0)
        #expect(rendered.stderr.isEmpty, "\(rendered.stderr)")
    }
}
