import Foundation
import Testing

import TestSupport


@testable import Driver


/// A download that fails inside Unikraft's build is named with its URL and the reason, not only
/// as tar's "Cannot open" (issue 12, item 8e).
@Suite(.tags(.slow)) struct FetchFailureTests {
    /// What Unikraft's `fetch` does (support/build/Makefile.rules): print `WGET lib: URL`, run
    /// `wget -q`, remove what it left on failure, then unpack (which fails on the missing file).
    static let makefile = """
        all:
        \t@mkdir -p $(O)/libmusl
        \t@printf '  %-7s %s\\n' 'WGET' 'libmusl: http://127.0.0.1:9/musl-1.2.3.tar.gz' && wget -q --tries=1 -O $(O)/libmusl/musl-1.2.3.tar.gz http://127.0.0.1:9/musl-1.2.3.tar.gz || rm -f $(O)/libmusl/musl-1.2.3.tar.gz
        \t@printf '  %-7s %s\\n' 'UNTAR' 'libmusl: musl-1.2.3.tar.gz' && tar -xzf $(O)/libmusl/musl-1.2.3.tar.gz -C $(O)/libmusl

        """

    @Test func anOfflineDownloadNamesItsURL() throws {
        let fake = try FakeUnikraft(manifest: BuildRunTests.manifest(unikraft: "unikraft:\n  source: ./uk\n", libraries: ""))
        try FakeUnikraft.sh("cp -r ../uk ./uk", in: fake.app)
        try Self.makefile.write(to: fake.app.appendingPathComponent("uk/Makefile"), atomically: true, encoding: .utf8)
        let r = try fake.manifestc(["kraft.yaml", "--build"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("make failed for target 'linuxu-x86_64' (exit status 2); the build could not download 'http://127.0.0.1:9/musl-1.2.3.tar.gz' (libmusl): "), "\(r.stderr)")
        // wget installed: it fails quietly; wget missing: the report says so.
        #expect(r.stderr.contains("wget left no file") || r.stderr.contains("wget is not installed"), "\(r.stderr)")
        #expect(r.stderr.contains("put the file at '\(fake.app.path)/build/linuxu-x86_64/libmusl/musl-1.2.3.tar.gz'") || r.stderr.contains("wget is not installed"), "\(r.stderr)")
    }

    @Test func verboseCommandLinesRetryURLsAndChecksumsAreRead() {
        let verbose = """
            wget -q --show-progress --progress=bar -O /b/liblwip/2.1.2.zip https://example.org/lwip-2.1.2.zip || rm /b/liblwip/2.1.2.zip
            unzip: cannot find or open /b/liblwip/2.1.2.zip
            /bin/bash: line 1: /b/liblwip/2.1.2.zip: No such file or directory
            """
        #expect(FetchFailure.failures(in: verbose) == [.init(library: "liblwip", urls: ["https://example.org/lwip-2.1.2.zip"], archive: "/b/liblwip/2.1.2.zip",
                                                            reason: "wget left no file, and runs quietly (-q) in Unikraft's build: no network, the host unreachable, or the file gone")])
        let retry = """
              WGET    libnewlibc: https://a.example/newlib.tar.gz [retry-with: https://b.example/newlib.tar.gz]
              SHA256  libnewlibc: newlib.tar.gz
            /b/libnewlibc/newlib.tar.gz: SHA256 checksum validation failed
            """
        let failure = FetchFailure.failures(in: retry)
        #expect(failure.map(\.urls) == [["https://a.example/newlib.tar.gz", "https://b.example/newlib.tar.gz"]])
        #expect(failure.first?.reason.hasPrefix("the file downloaded does not have the checksum") == true)
        // A download that succeeded is not reported.
        #expect(FetchFailure.failures(in: "  WGET    libmusl: https://x/musl.tar.gz\n  UNTAR   libmusl: musl.tar.gz\n  CC      libmusl: a.o\n").isEmpty)
    }
}
