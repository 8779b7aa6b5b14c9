import Foundation
import Testing

/// Shell completions and the man page are generated from the command-line definition:
/// check that what they are generated from covers the commands and options.
@Suite struct ShellIntegrationTests {
    typealias CLI = CommandLineTests

    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScriptsKnowEveryCommand(_ shell: String) throws {
        let r = try CLI.run(["--generate-completion-script", shell])
        #expect(r.status == 0, "\(r.stderr)")
        for word in ["validate", "explain", "ci", "provider", "github", "gitlab", "format", "check"] {
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
        #expect(Set(["emit", "validate", "show", "plan", "explain", "ci"]).isSubset(of: Set(names)), "\(names)")
    }
}
