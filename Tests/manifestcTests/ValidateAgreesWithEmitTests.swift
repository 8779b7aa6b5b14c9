import Foundation
import Testing
import TestSupport

/// Everything emit reports without a tree, validate reports (issue 12, item 7).
@Suite(.tags(.slow)) struct ValidateAgreesWithEmitTests {
    typealias CLI = CommandLineTests

    @Test func qemuAndKvmForOneArchitectureAreADuplicateInValidateToo() throws {
        let folder = try CLI.temporaryFolder(["kraft.yaml": "spec: v0.6\nname: app\ntargets:\n  - qemu/x86_64\n  - kvm/x86_64\n"])
        let validate = try CLI.run(["validate", "kraft.yaml"], in: folder)
        #expect(validate.status == 1, "\(validate.stdout)\(validate.stderr)")
        #expect(validate.stderr.contains("kraft.yaml:5:5: error: two targets are both called 'qemu-x86_64'; give them distinct 'name's [target-duplicate]"), "\(validate.stderr)")
        let emit = try CLI.run(["kraft.yaml", "--dry-run"], in: folder)
        #expect(emit.status == 1)
        #expect(emit.stderr.contains("kraft.yaml:5:5: error: two targets are both called 'qemu-x86_64'"), "\(emit.stderr)")
        let json = try CLI.run(["validate", "kraft.yaml", "--format", "json"], in: folder)
        #expect(json.stdout.contains("\"valid\": false"), "\(json.stdout)")
        #expect(json.stdout.contains("\"id\": \"target-duplicate\""), "\(json.stdout)")
    }

    @Test func aVolumeWhoseSourceIsMissingIsAWarningAtTheVolume() throws {
        let manifest = "spec: v0.6\nname: app\ntargets: [qemu/x86_64]\nvolumes:\n  - ./present:/\n  - ./absent:/data\n"
        let folder = try CLI.temporaryFolder(["kraft.yaml": manifest, "present/file": "x"])
        let validate = try CLI.run(["validate", "kraft.yaml"], in: folder)
        #expect(validate.status == 0, "\(validate.stderr)")
        #expect(validate.stderr.contains("kraft.yaml:6:5: warning: the volume's source folder './absent' does not exist, so the guest gets nothing there; create it or correct the path [volume-source-missing]"), "\(validate.stderr)")
        #expect(!validate.stderr.contains("'./present'"), "\(validate.stderr)")
        #expect(validate.stdout.contains("1 warning"), "\(validate.stdout)")
        let emit = try CLI.run(["kraft.yaml", "--dry-run"], in: folder)
        #expect(emit.stderr.contains("kraft.yaml:6:5: warning: the volume's source folder './absent' does not exist"), "\(emit.stderr)")
        // From another folder, with the output elsewhere: the path is the manifest's.
        let elsewhere = try CLI.run([folder.appendingPathComponent("kraft.yaml").path, "--dry-run", "-o", folder.appendingPathComponent("out").path])
        #expect(elsewhere.stderr.components(separatedBy: "[volume-source-missing]").count == 2, "\(elsewhere.stderr)")
    }

    @Test func theBundledExamplesStayValidWithoutWarnings() throws {
        for example in ["helloworld", "helloworld-linuxu", "9pfs", "httpreply", "hello-build"] {
            let r = try CLI.run(["validate", CLI.repository.appendingPathComponent("examples/\(example)/kraft.yaml").path])
            #expect(r.status == 0, "\(example): \(r.stderr)")
            #expect(r.stderr.isEmpty, "\(example): \(r.stderr)")
        }
    }
}
