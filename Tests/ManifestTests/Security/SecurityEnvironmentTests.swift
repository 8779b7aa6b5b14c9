import Testing
import TestSupport
@testable import Manifest

/// Secrets of the process environment stay out of the manifest unless the command line
/// allows them (`--allow-env`), and aliases cannot multiply values past `expanded-bytes`.
@Suite(.tags(.security)) struct SecurityEnvironmentTests {
    func load(_ text: String, file: [String: String] = [:], process: [String: String], allow: [String] = [],
              limits: Limits = Limits()) -> ManifestLoader.Result {
        let (values, withheld) = EnvironmentPolicy(allowed: allow).environment(file: file, process: process)
        return ManifestLoader(limits: limits).load(Array(text.utf8), file: "kraft.yaml", environment: values, withheld: withheld)
    }

    @Test func aWithheldVariableIsALocatedErrorAndItsValueIsNeverUsed() throws {
        let result = load("spec: v0.6\nname: app\ncmd: [\"--token=${GITHUB_TOKEN}\"]\n", process: ["GITHUB_TOKEN": "ghp_secret"])
        #expect(summaries(result.diagnostics) == ["error 3:16 interpolation-env-not-allowed"])
        #expect(result.diagnostics.first?.message.contains("allow it with '--allow-env GITHUB_TOKEN'") == true)
        let cmd = try #require(result.manifest).cmd?.map(\.value) ?? []
        #expect(!cmd.joined().contains("ghp_secret"))
    }

    @Test func aWithheldRequiredVariableIsAnError() {
        let result = load("spec: v0.6\nname: ${NAME:?give a name}\n", process: ["NAME": "x"])
        #expect(summaries(result.diagnostics) == ["error 2:7 interpolation-env-not-allowed"])
    }

    @Test func aWithheldVariableWithADefaultGivesTheDefaultAndAWarning() throws {
        let result = load("spec: v0.6\nname: ${NAME:-app}\noutdir: ${OUT-out}\n", process: ["NAME": "s3cr3tvalue", "OUT": "s3cr3tvalue"])
        #expect(summaries(result.diagnostics) == ["warning 2:7 interpolation-env-not-allowed", "warning 3:9 interpolation-env-not-allowed"])
        let manifest = try #require(result.manifest)
        #expect(manifest.name?.value == "app")
        #expect(manifest.outdir?.value == "out")
        #expect(!result.diagnostics.contains { $0.message.contains("s3cr3tvalue") })
    }

    @Test func theEnvFileIsReadAndAnAllowedProcessVariableWinsOverIt() throws {
        let fromFile = load("spec: v0.6\nname: ${NAME}\n", file: ["NAME": "file"], process: ["NAME": "process"])
        #expect(fromFile.diagnostics.isEmpty)
        #expect(fromFile.manifest?.name?.value == "file")
        let allowed = load("spec: v0.6\nname: ${NAME}\n", file: ["NAME": "file"], process: ["NAME": "process"], allow: ["NAME"])
        #expect(allowed.manifest?.name?.value == "process")
    }

    @Test(arguments: [
        ("APP_*", "APP_NAME", true), ("APP_*", "APP_", true), ("APP_*", "XAPP_NAME", false), ("A?C", "ABC", true),
        ("A?C", "AC", false), ("*", "GITHUB_TOKEN", true), ("NAME", "NAME", true), ("NAME", "NAMES", false), ("*_ID", "RUN_ID", true),
    ])
    func allowPatternsMatchLikeFileNames(_ c: (String, String, Bool)) {
        #expect(EnvironmentPolicy(allowed: [c.0]).allows(c.1) == c.2)
    }

    @Test func kconfigOptionsRepeatedPerTargetCountAgainstTheExpandedBytesLimit() {
        let targets = (0..<10).map { "  - {plat: qemu, arch: x86_64, name: t\($0)}" }.joined(separator: "\n")
        let text = "spec: v0.6\nunikraft:\n  kconfig:\n    CONFIG_X: \"\(String(repeating: "y", count: 2000))\"\ntargets:\n\(targets)\n"
        let result = load(text, process: [:], limits: Limits(maxExpandedBytes: 10_000))
        #expect(summaries(result.diagnostics) == ["error 6:5 limit-expanded-size"])
        #expect(load(text, process: [:], limits: Limits(maxExpandedBytes: 30_000)).diagnostics.isEmpty)
    }

    @Test func aScalarAliasedManyTimesStopsAtTheExpandedBytesLimit() {
        let value = String(repeating: "x", count: 1000)
        let aliases = Array(repeating: "*a", count: 20).joined(separator: ", ")
        let text = "spec: v0.6\nname: app\nx-big: &a \"\(value)\"\ncmd: [\(aliases)]\n"
        let result = load(text, process: [:], limits: Limits(maxExpandedBytes: 10_000))
        // The anchor (1,000) and nine aliases fit; the tenth alias (at column 39) passes 10,000 bytes.
        #expect(summaries(result.diagnostics) == ["error 4:39 limit-expanded-size"])
        #expect(result.diagnostics.first?.notes.contains { $0.message.contains("'--limit expanded-bytes=N'") } == true)
        #expect(load(text, process: [:], limits: Limits(maxExpandedBytes: 30_000)).diagnostics.isEmpty)
    }
}
