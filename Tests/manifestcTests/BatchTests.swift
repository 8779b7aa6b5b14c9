import Foundation
import Testing
import TestSupport

/// Several manifests in one run: discovery, concurrency, the summary, failures kept apart;
/// `--format json`; `manifestc ci`.
@Suite(.tags(.slow)) struct BatchTests {
    typealias CLI = CommandLineTests

    static func manifest(_ name: String, targets: String = "[qemu/x86_64, qemu/arm64]") -> String {
        "spec: v0.6\nname: \(name)\ntargets: \(targets)\ncmd: [hello]\n"
    }

    /// A tree of six good manifests and one broken one in the middle.
    static func tree() throws -> URL {
        var files: [String: String] = [:]
        for i in 1...6 { files["apps/app\(i)/\(i % 2 == 0 ? "Kraftfile" : "kraft.yaml")"] = manifest("app\(i)") }
        files["apps/app3b/Kraftfile"] = "spec: v0.6\ntargets:\n  - firecraker/x86_64\n"
        files["apps/app1/.unikraft/apps/x/Kraftfile"] = manifest("hidden")  // hidden folders are not searched
        return try CLI.temporaryFolder(files)
    }

    @Test func aFolderIsSearchedAndOneFailureStopsNoOther() throws {
        let folder = try Self.tree()
        let r = try CLI.run(["apps", "--color", "never"], in: folder)
        #expect(r.status == 1)
        // Every good manifest was written, completely.
        for i in 1...6 {
            let app = folder.appendingPathComponent("apps/app\(i)")
            for name in ["Makefile", "launch.sh", ".config.qemu-arm64", ".manifestc-outputs"] {
                #expect(FileManager.default.fileExists(atPath: app.appendingPathComponent(name).path), "app\(i)/\(name)")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("apps/app3b/Makefile").path))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("apps/app1/.unikraft/apps/x/Makefile").path))
        // The diagnostics of the broken one, once, with its own path.
        #expect(r.stderr.contains("apps/app3b/Kraftfile:3:5: error: unknown platform 'firecraker'"))
        // The table: input order, one row per manifest, then the totals.
        let rows = r.stdout.split(separator: "\n").filter { $0.hasPrefix("apps/") }.map { String($0.split(separator: " ")[0]) }
        #expect(rows == ["apps/app1/kraft.yaml", "apps/app2/Kraftfile", "apps/app3/kraft.yaml", "apps/app3b/Kraftfile",
                         "apps/app4/Kraftfile", "apps/app5/kraft.yaml", "apps/app6/Kraftfile"])
        #expect(r.stdout.contains("manifest "))
        #expect(r.stdout.contains("qemu-x86_64, qemu-arm64  ok"))
        #expect(r.stdout.range(of: #"apps/app3b/Kraftfile +- +failed"#, options: .regularExpression) != nil)
        #expect(r.stdout.contains("7 manifests: 6 ok, 1 failed in "))
        // Each manifest's lines are together, in input order.
        let written = r.stdout.split(separator: "\n").filter { $0.contains(" files, ") }.map { String($0.split(separator: ":")[0]) }
        #expect(written == (1...6).map { folder.appendingPathComponent("apps/app\($0)").standardizedFileURL.path })
        // What the batch wrote is what each manifest alone writes.
        for i in 1...6 {
            let alone = try CLI.run(["apps/app\(i)/\(i % 2 == 0 ? "Kraftfile" : "kraft.yaml")", "--check"], in: folder)
            #expect(alone.status == 0, "app\(i): \(alone.stdout)\(alone.stderr)")
        }
    }

    @Test func checkOverATreeIsTheGate() throws {
        let folder = try Self.tree()
        try FileManager.default.removeItem(at: folder.appendingPathComponent("apps/app3b"))
        #expect(try CLI.run(["apps"], in: folder).status == 0)
        let clean = try CLI.run(["apps", "--check"], in: folder)
        #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
        #expect(clean.stdout.contains("6 manifests: 6 ok, 0 failed"))
        try Self.manifest("changed").write(to: folder.appendingPathComponent("apps/app5/kraft.yaml"), atomically: true, encoding: .utf8)
        let stale = try CLI.run(["apps", "--check"], in: folder)
        #expect(stale.status == 1)
        #expect(stale.stdout.contains("--- a/Makefile"))
        #expect(stale.stdout.range(of: #"apps/app5/kraft.yaml +qemu-x86_64, qemu-arm64 +stale"#, options: .regularExpression) != nil)
        #expect(stale.stdout.contains("6 manifests: 5 ok, 1 stale, 0 failed"))
        #expect(stale.stderr.contains("run 'manifestc apps/app5/kraft.yaml' to regenerate"))
    }

    @Test func aFileAndAFolderTogetherAndBoundedConcurrency() throws {
        let folder = try Self.tree()
        try FileManager.default.removeItem(at: folder.appendingPathComponent("apps/app3b"))
        let r = try CLI.run(["apps/app2/Kraftfile", "apps", "--concurrency", "1", "--dry-run"], in: folder)
        #expect(r.status == 0, "\(r.stderr)")
        // app2 given twice: compiled once, in the first place it was named.
        let rows = r.stdout.split(separator: "\n").filter { $0.hasPrefix("apps/") }.map { String($0.split(separator: " ")[0]) }
        #expect(rows.first == "apps/app2/Kraftfile")
        #expect(rows.count == 6)
        // The same output, apart from the times, whatever the concurrency.
        func withoutTimes(_ text: String) -> String {
            text.replacingOccurrences(of: #" *\d+(\.\d+)? (ms|s)"#, with: " T", options: .regularExpression)
        }
        let wide = try CLI.run(["apps/app2/Kraftfile", "apps", "--concurrency", "8", "--dry-run"], in: folder)
        #expect(withoutTimes(wide.stdout) == withoutTimes(r.stdout))
    }

    @Test func twoManifestsInOneFolderAreAUsageError() throws {
        let folder = try CLI.temporaryFolder(["a/Kraftfile.one": Self.manifest("one"), "a/Kraftfile.two": Self.manifest("two")])
        let r = try CLI.run(["a/Kraftfile.one", "a/Kraftfile.two"], in: folder)
        #expect(r.status == 2)
        #expect(r.stderr.contains("are in the same folder"))
        #expect(try CLI.run(["a/Kraftfile.one", "a/Kraftfile.two", "-o", "out"], in: folder).status == 2)
    }

    @Test func jsonSummaryHasTheDocumentedShape() throws {
        let folder = try Self.tree()
        let r = try CLI.run(["apps", "--format", "json"], in: folder)
        #expect(r.status == 1)
        #expect(r.stderr.isEmpty, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["version"] as? Int == 1)
        #expect(object["command"] as? String == "emit")
        #expect(object["ok"] as? Bool == false)
        let manifests = try #require(object["manifests"] as? [[String: Any]])
        #expect(manifests.count == 7)
        let broken = try #require(manifests.first { $0["manifest"] as? String == "apps/app3b/Kraftfile" })
        #expect(broken["result"] as? String == "failed")
        let diagnostics = try #require(broken["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.first?["id"] as? String == "unknown-platform")
        #expect(diagnostics.first?["line"] as? Int == 3)
        let good = try #require(manifests.first)
        #expect(Set(good.keys) == ["manifest", "folder", "targets", "result", "files", "written", "milliseconds", "stdout", "stderr", "diagnostics"])
        #expect(good["targets"] as? [String] == ["qemu-x86_64", "qemu-arm64"])
        #expect(good["result"] as? String == "ok")
    }

    @Test func validateAndPlanPrintJSON() throws {
        let folder = try Self.tree()
        let v = try CLI.run(["validate", "apps", "--format", "json"], in: folder)
        #expect(v.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(v.stdout.utf8)) as? [String: Any])
        #expect(object["version"] as? Int == 1 && object["command"] as? String == "validate" && object["valid"] as? Bool == false)
        let manifests = try #require(object["manifests"] as? [[String: Any]])
        #expect(manifests.count == 7)
        #expect(manifests[0]["spec"] as? String == "0.6")
        #expect((manifests[0]["targets"] as? [[String: Any]])?.first?["platform"] as? String == "qemu")
        #expect((object["diagnostics"] as? [[String: Any]])?.first?["id"] as? String == "unknown-platform")

        let p = try CLI.run(["plan", "apps/app1/kraft.yaml", "--target", "qemu/arm64", "--format", "json"], in: folder)
        #expect(p.status == 0, "\(p.stderr)")
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(p.stdout.utf8)) as? [String: Any])
        #expect(plan["command"] as? String == "plan" && plan["target"] as? String == "qemu-arm64" && plan["full"] as? Bool == false)
        #expect((plan["symbols"] as? [String: String])?["CONFIG_ARCH_ARM_64"] == "y")
        #expect((plan["config"] as? String)?.contains("CONFIG_ARCH_ARM_64=y") == true)
        let broken = try CLI.run(["plan", "apps/app3b/Kraftfile", "--format", "json"], in: folder)
        #expect(broken.status == 1)
        #expect(broken.stdout.contains("\"unknown-platform\""))
    }

    @Test func ciWritesAPipelineThatCheckCovers() throws {
        let folder = try Self.tree()
        try FileManager.default.removeItem(at: folder.appendingPathComponent("apps/app3b"))
        for i in 1...6 { try CLI.writeLock(for: folder.appendingPathComponent("apps/app\(i)/\(i % 2 == 0 ? "Kraftfile" : "kraft.yaml")")) }
        let r = try CLI.run(["ci", "--provider", "github", "apps"], in: folder)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("6 manifests, 12 build jobs"))
        let workflow = try String(contentsOf: folder.appendingPathComponent(".github/workflows/manifestc.yml"), encoding: .utf8)
        #expect(workflow.hasPrefix("# Generated by manifestc from the manifests in apps; edits are detected. sha256="))
        #expect(workflow.contains("run: 'manifestc apps --check'"))
        #expect(try CLI.run(["ci", "--provider", "github", "apps", "--check"], in: folder).status == 0)
        // A new target makes it stale; --check shows the diff.
        try Self.manifest("app1", targets: "[qemu/x86_64, qemu/arm64, fc/x86_64]").write(
            to: folder.appendingPathComponent("apps/app1/kraft.yaml"), atomically: true, encoding: .utf8)
        let stale = try CLI.run(["ci", "--provider", "github", "apps", "--check"], in: folder)
        #expect(stale.status == 1)
        #expect(stale.stdout.contains("+            target: fc-x86_64"))
        // GitLab's, next to it; an edited file is not overwritten.
        #expect(try CLI.run(["ci", "--provider", "gitlab", "apps"], in: folder).status == 0)
        let gitlab = folder.appendingPathComponent(".gitlab-ci.yml")
        try (try String(contentsOf: gitlab, encoding: .utf8) + "extra: {}\n").write(to: gitlab, atomically: true, encoding: .utf8)
        let refused = try CLI.run(["ci", "--provider", "gitlab", "apps"], in: folder)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("edited after manifestc generated it"))
        // A broken manifest: nothing written.
        let other = try Self.tree()
        let failed = try CLI.run(["ci", "--provider", "github", "apps", "--color", "never"], in: other)
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("apps/app3b/Kraftfile:3:5: error"))
        #expect(!FileManager.default.fileExists(atPath: other.appendingPathComponent(".github").path))
    }
}

/// `--format json` of `explain` and `plan` against the miniature tree.
@Suite(.tags(.slow)) struct ExplainJSONTests {
    typealias CLI = CommandLineTests

    @Test func explainPrintsOneDocument() throws {
        let folder = try CLI.temporaryFolder(PlanAndExplainCommandTests.tree)
        let uk = folder.appendingPathComponent("uk").path
        let r = try CLI.run(["explain", "CONFIG_LIBBASE", "LIBFEATURE", "LIBBASF", "--manifest", "app/kraft.yaml", "--uk-root", uk,
                             "--target", "qemu/x86_64", "--format", "json"], in: folder)
        #expect(r.status == 1)  // LIBBASF is not a symbol
        #expect(r.stderr.isEmpty, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["version"] as? Int == 1 && object["command"] as? String == "explain" && object["target"] as? String == "qemu-x86_64")
        let symbols = try #require(object["symbols"] as? [[String: Any]])
        #expect(symbols.map { $0["symbol"] as? String } == ["CONFIG_LIBBASE", "CONFIG_LIBFEATURE"])
        #expect(symbols[0]["value"] as? String == "y" && symbols[0]["type"] as? String == "bool" && symbols[0]["prompt"] as? String == "base")
        let steps = try #require(symbols[0]["steps"] as? [[String: Any]])
        #expect(steps.contains { $0["file"] as? String == "app/kraft.yaml" && $0["line"] as? Int == 5 })
        #expect((symbols[0]["definedAt"] as? [[String: Any]])?.first?["line"] as? Int == 14)
        #expect(symbols[1]["value"] as? String == "n")
        #expect(symbols[1]["toEnable"] as? [String] == [])  // LIBBASE, its dependency, is on already
        let unknown = try #require(object["unknown"] as? [[String: Any]])
        #expect(unknown.first?["symbol"] as? String == "CONFIG_LIBBASF")
        #expect(unknown.first?["suggestion"] as? String == "CONFIG_LIBBASE")
    }

    @Test func planWithATreeIsFull() throws {
        let folder = try CLI.temporaryFolder(PlanAndExplainCommandTests.tree)
        let uk = folder.appendingPathComponent("uk").path
        let r = try CLI.run(["plan", "app/kraft.yaml", "--uk-root", uk, "--target", "qemu/arm64", "--format", "json"], in: folder)
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["full"] as? Bool == true)
        let symbols = try #require(object["symbols"] as? [String: String])
        #expect(symbols["CONFIG_LIBBASE"] == "y" && symbols["CONFIG_LIBFEATURE"] == "n" && symbols["CONFIG_ARCH_ARM_64"] == "y")
        #expect(try CLI.run(["plan", "app/kraft.yaml", "--format", "json", "-o", "x"], in: folder).status == 2)
    }
}
