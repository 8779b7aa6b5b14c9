import Testing
import Diagnostics
@testable import Manifest

/// Every limit has a test that hits it and checks the diagnostic: where, what, and how to raise it.
@Suite struct LimitTests {
    func load(_ text: String, _ limits: Limits) -> ManifestLoader.Result {
        ManifestLoader(limits: limits).load(Array(text.utf8), file: "kraft.yaml")
    }

    func expectOne(_ result: ManifestLoader.Result, _ summary: String, raise name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(summaries(result.diagnostics) == [summary], sourceLocation: sourceLocation)
        #expect(result.diagnostics.first?.notes.contains { $0.message.contains("'--limit \(name)=N'") } == true, sourceLocation: sourceLocation)
    }

    @Test func inputBytes() {
        expectOne(load("spec: v0.6\nname: x\n", Limits(maxBytes: 10)), "error 1:1 limit-input-size", raise: "input-bytes")
    }

    @Test func depth() {
        expectOne(load("spec: v0.6\nx: [[[[1]]]]\n", Limits(maxDepth: 3)), "error 2:6 limit-nesting-depth", raise: "depth")
    }

    @Test func nodes() {
        expectOne(load("spec: v0.6\na: &a [1, 2, 3]\nb: [*a, *a, *a]\n", Limits(maxNodes: 12)), "error 3:9 limit-alias-expansion", raise: "nodes")
    }

    @Test func scalarBytes() {
        expectOne(load("spec: v0.6\nname: \(String(repeating: "x", count: 40))\n", Limits(maxScalarBytes: 32)), "error 2:7 limit-scalar-size", raise: "scalar-bytes")
    }

    @Test func targets() {
        expectOne(load("spec: v0.6\ntargets: [qemu/x86_64, fc/x86_64, xen/x86_64]\n", Limits(maxTargets: 2)), "error 2:10 limit-count", raise: "targets")
    }

    @Test func libraries() {
        expectOne(load("spec: v0.6\nlibraries:\n  a: stable\n  b: stable\n", Limits(maxLibraries: 1)), "error 3:3 limit-count", raise: "libraries")
    }

    @Test func volumes() {
        expectOne(load("spec: v0.6\nvolumes: [./a:/a, ./b:/b]\n", Limits(maxVolumes: 1)), "error 2:10 limit-count", raise: "volumes")
    }

    @Test func kconfigOptions() {
        expectOne(load("spec: v0.6\nunikraft:\n  kconfig: [A=y, B=y, C=y]\n", Limits(maxKconfigOptions: 2)), "error 3:12 limit-count", raise: "kconfig-options")
    }

    @Test func defaultsAreGenerousForRealManifests() {
        #expect(!load("spec: v0.6\ntargets: [qemu/x86_64]\nunikraft:\n  kconfig: {A: y}\n", Limits()).hasErrors)
    }
}
