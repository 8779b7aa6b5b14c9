import Foundation
import Testing
import TestSupport

/// Planning finds the manifest's own local tree (issue 12, item 3) and reads its git facts; a
/// tree the input chose must not make git run a command of its configuration (a clean filter,
/// an fsmonitor hook) when the command only plans.
@Suite(.tags(.security, .slow)) struct SecurityTreeGitTests {
    @Test func aLocalTreesGitFilterAndFsmonitorNeverRunWhilePlanning() throws {
        let fake = try FakeUnikraft(manifest: BuildRunTests.manifest(unikraft: "unikraft:\n  source: ./uk\n", libraries: ""))
        let canary = fake.root.appendingPathComponent("canary")
        try FakeUnikraft.sh("""
            cp -r ../uk ./uk && cd uk
            git config filter.evil.clean 'touch \(canary.path)-filter; cat'
            git config core.fsmonitor 'touch \(canary.path)-fsmonitor; true'
            echo '* filter=evil' > .gitattributes
            touch -d '2001-01-01' Config.uk Makefile version.mk
            """, in: fake.app)
        for arguments in [["kraft.yaml", "--emit", "all"], ["kraft.yaml", "--check"], ["plan"], ["explain", "LIBUKDEBUG_PRINTK_INFO"]] {
            let r = try fake.manifestc(arguments, environment: ["UK_ROOT": ""])
            #expect(r.stderr.contains("using the Unikraft tree at './uk'"), "\(arguments): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: canary.path + "-filter"), "\(arguments)")
            #expect(!FileManager.default.fileExists(atPath: canary.path + "-fsmonitor"), "\(arguments)")
        }
    }
}
