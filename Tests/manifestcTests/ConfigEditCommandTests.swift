import Foundation
import Testing
import TestSupport

/// `manifestc set`, `unset` and `diff` on real-shaped manifests and a small tree with depends,
/// select, imply, strings and ranges (issue 17).
@Suite(.tags(.slow)) struct ConfigEditCommandTests {
    typealias CLI = CommandLineTests

    static let configUK = FakeUnikraft.configUK + """
        config LIBVFSCORE
        \tbool "vfscore"
        config LIBVFSCORE_ROOTFS
        \tstring "root file system"
        \tdefault "ramfs"
        \tdepends on LIBVFSCORE
        config LIBVFSCORE_AUTOMOUNT_UP
        \tbool "automount"
        \tdepends on LIBVFSCORE
        config LIBUKNETDEV
        \tbool "netdev"
        config LIBUK9P
        \tbool "9p"
        \tselect LIBVFSCORE
        \timply LIBUKNETDEV
        config STACK_PAGES
        \tint "stack pages"
        \tdefault 4
        \trange 1 64

        """

    static let listForm = """
        spec: v0.6
        name: hello   # the app

        unikraft:
          version: 0.16.3
          kconfig:
            # info messages on
            - CONFIG_LIBUKDEBUG_PRINTK_INFO=y

        targets:
          - qemu/x86_64

        """

    static let mapForm = """
        spec: v0.6\r
        name: hello\r
        unikraft: 0.16.3\r
        targets:\r
          - platform: qemu   # the default\r
            architecture: x86_64\r
            kconfig:\r
              CONFIG_LIBUKDEBUG_PRINTK_INFO: 'y'\r
          - platform: fc\r
            architecture: x86_64\r

        """

    /// A temporary folder with the tree (`uk`) and the app (`app/kraft.yaml`).
    struct Fixture {
        let root: URL
        var app: URL { root.appendingPathComponent("app") }
        var manifest: URL { app.appendingPathComponent("kraft.yaml") }
        var tree: String { root.appendingPathComponent("uk").path }

        init(_ manifest: String) throws {
            root = try CLI.temporaryFolder([
                "uk/Config.uk": ConfigEditCommandTests.configUK, "uk/Makefile": FakeUnikraft.makefile,
                "uk/version.mk": "UK_VERSION = 0\nUK_SUBVERSION = 16\nUK_EXTRAVERSION = 3\nUK_CODENAME = Fake\n",
                "app/kraft.yaml": manifest, "app/Makefile.uk": "",
            ])
        }

        @discardableResult
        func run(_ arguments: [String]) throws -> ProcessOutput {
            try CLI.run(arguments + ["--uk-root", tree], in: app, environment: ["UK_ROOT": ""])
        }

        var bytes: Data { (try? Data(contentsOf: manifest)) ?? Data() }

        func plan(_ extra: [String] = []) throws -> String {
            let r = try run(["plan"] + extra)
            #expect(r.status == 0, "\(r.stderr)")
            return r.stdout
        }
    }

    @Test func setWritesWhatPlanReadsBackAndUnsetGivesTheBytesBack() throws {
        let fixture = try Fixture(Self.listForm)
        let hostile = #"a #b: 'c' "d" $HOME \e"#
        let set = try fixture.run(["set", "LIBVFSCORE=y", "LIBVFSCORE_ROOTFS=\(hostile)", "CONFIG_STACK_PAGES=8"])
        #expect(set.status == 0, "\(set.stderr)")
        #expect(set.stdout.contains("+    - CONFIG_LIBVFSCORE=y\n"), "\(set.stdout)")
        let text = String(decoding: fixture.bytes, as: UTF8.self)
        // Three lines added after the last entry; every other byte as it was.
        let added = text.split(separator: "\n", omittingEmptySubsequences: false).filter { $0.contains("LIBVFSCORE") || $0.contains("STACK_PAGES") }
        #expect(added == ["    - CONFIG_LIBVFSCORE=y", #"    - 'CONFIG_LIBVFSCORE_ROOTFS="a #b: ''c'' \"d\" $$HOME \\e"'"#, "    - CONFIG_STACK_PAGES=8"], "\(text)")
        #expect(text.split(separator: "\n", omittingEmptySubsequences: false).filter { !added.contains($0) }.joined(separator: "\n") == Self.listForm)
        let plan = try fixture.plan()
        #expect(plan.contains("CONFIG_LIBVFSCORE=y\n"))
        #expect(plan.contains(#"CONFIG_LIBVFSCORE_ROOTFS="a #b: 'c' \"d\" $HOME \\e""# + "\n"), "\(plan)")
        #expect(plan.contains("CONFIG_STACK_PAGES=8\n"))
        // Setting again what is already set changes nothing.
        let again = try fixture.run(["set", "STACK_PAGES=8"])
        #expect(again.status == 0 && again.stderr.contains("nothing to change"), "\(again.stderr)")

        let unset = try fixture.run(["unset", "CONFIG_STACK_PAGES", "LIBVFSCORE_ROOTFS", "LIBVFSCORE"])
        #expect(unset.status == 0, "\(unset.stderr)")
        #expect(fixture.bytes == Data(Self.listForm.utf8))
    }

    @Test func mapFormWithCRLFOnANamedTarget() throws {
        let fixture = try Fixture(Self.mapForm)
        let set = try fixture.run(["set", "LIBUKNETDEV=y", "--target", "qemu/x86_64"])
        #expect(set.status == 0, "\(set.stderr)")
        #expect(String(decoding: fixture.bytes, as: UTF8.self).contains("CONFIG_LIBUKDEBUG_PRINTK_INFO: 'y'\r\n      CONFIG_LIBUKNETDEV: 'y'\r\n"))
        #expect(try fixture.plan(["--target", "qemu/x86_64"]).contains("CONFIG_LIBUKNETDEV=y\n"))
        #expect(try fixture.plan(["--target", "fc/x86_64"]).contains("# CONFIG_LIBUKNETDEV is not set\n"))
        // The other target has no kconfig: one is made for it, and removed again.
        #expect(try fixture.run(["set", "STACK_PAGES=2", "--target", "fc/x86_64"]).status == 0)
        #expect(try fixture.plan(["--target", "fc/x86_64"]).contains("CONFIG_STACK_PAGES=2\n"))
        #expect(try fixture.run(["unset", "STACK_PAGES", "--target", "fc/x86_64"]).status == 0)
        #expect(try fixture.run(["unset", "LIBUKNETDEV", "--target", "qemu/x86_64"]).status == 0)
        #expect(fixture.bytes == Data(Self.mapForm.utf8))
        // Without a target, 'unikraft: 0.16.3' cannot hold options: a located error.
        let shared = try fixture.run(["set", "LIBUKNETDEV=y"])
        #expect(shared.status == 1)
        #expect(shared.stderr.contains("kraft.yaml:3:11: error: 'unikraft' is written as a single value"), "\(shared.stderr)")
        #expect(fixture.bytes == Data(Self.mapForm.utf8))
    }

    @Test func refusesWhatTheTreeRefusesAndWritesNothing() throws {
        let fixture = try Fixture(Self.listForm)
        let unknown = try fixture.run(["set", "LIBVFSCOR=y"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("'CONFIG_LIBVFSCOR' is not a symbol of this Unikraft tree and its libraries; did you mean 'CONFIG_LIBVFSCORE'?"), "\(unknown.stderr)")
        let range = try fixture.run(["set", "STACK_PAGES=100"])
        #expect(range.status == 2)
        #expect(range.stderr.contains("outside its range 1..64"), "\(range.stderr)")
        let type = try fixture.run(["set", "LIBVFSCORE=maybe"])
        #expect(type.status == 2 && type.stderr.contains("invalid for bool"), "\(type.stderr)")
        let target = try fixture.run(["set", "PLAT_KVM=n"])
        #expect(target.status == 2 && target.stderr.contains("change them in 'targets'"), "\(target.stderr)")

        let unmet = try fixture.run(["set", "LIBVFSCORE_AUTOMOUNT_UP=y"])
        #expect(unmet.status == 1)
        #expect(unmet.stderr.contains("kraft.yaml:9:7: error: 'CONFIG_LIBVFSCORE_AUTOMOUNT_UP=y' cannot take effect"), "\(unmet.stderr)")
        #expect(unmet.stderr.contains("to turn it on, also enable: CONFIG_LIBVFSCORE"), "\(unmet.stderr)")
        #expect(fixture.bytes == Data(Self.listForm.utf8))

        let deps = try fixture.run(["set", "LIBVFSCORE_AUTOMOUNT_UP=y", "--with-deps"])
        #expect(deps.status == 0, "\(deps.stderr)")
        #expect(deps.stderr.contains("also turning on what they need: CONFIG_LIBVFSCORE"), "\(deps.stderr)")
        let plan = try fixture.plan()
        #expect(plan.contains("CONFIG_LIBVFSCORE_AUTOMOUNT_UP=y\n") && plan.contains("CONFIG_LIBVFSCORE=y\n"))
    }

    @Test func refusesAnAliasWithItsPlace() throws {
        let manifest = """
            spec: v0.6
            name: hello
            unikraft:
              version: 0.16.3
              kconfig: &shared
                - CONFIG_LIBUKDEBUG_PRINTK_INFO=y
            targets:
              - platform: qemu
                architecture: x86_64
                kconfig: *shared

            """
        let fixture = try Fixture(manifest)
        let r = try fixture.run(["set", "LIBUKNETDEV=y", "--target", "qemu/x86_64"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("kraft.yaml:10:14: error: the kconfig of target 1 is an alias"), "\(r.stderr)")
        #expect(fixture.bytes == Data(manifest.utf8))
    }

    /// menuconfig with its interactive step replaced by the edit a person makes in it (turn 9p on,
    /// info messages off, more stack pages): the manifest gets the smallest change (not what 9p
    /// selects and implies), the same bytes `set` writes for it, and plan reads it back.
    @Test func menuconfigWritesTheChangeAPersonMakes() throws {
        let fixture = try Fixture(Self.listForm)
        let edit = #"sed -i -e 's/^# CONFIG_LIBUK9P is not set$/CONFIG_LIBUK9P=y/' -e 's/^CONFIG_LIBUKDEBUG_PRINTK_INFO=y$/# CONFIG_LIBUKDEBUG_PRINTK_INFO is not set/' -e 's/^CONFIG_STACK_PAGES=4$/CONFIG_STACK_PAGES=8/' "$KCONFIG_CONFIG""#
        func menuconfig(_ extra: [String]) throws -> ProcessOutput {
            try CLI.run(["menuconfig", "--uk-root", fixture.tree, "--edit-with", edit] + extra, in: fixture.app, environment: ["UK_ROOT": ""])
        }
        // Without a terminal and without --yes: shown, not written.
        let asked = try menuconfig([])
        #expect(asked.status == 0, "\(asked.stderr)")
        #expect(asked.stdout.contains("+    - CONFIG_LIBUK9P=y\n"), "\(asked.stdout)")
        #expect(asked.stderr.contains("run again with --yes"), "\(asked.stderr)")
        #expect(fixture.bytes == Data(Self.listForm.utf8))

        let r = try menuconfig(["--yes"])
        #expect(r.status == 0, "\(r.stderr)")
        let byMenuconfig = fixture.bytes
        let text = String(decoding: byMenuconfig, as: UTF8.self)
        #expect(text.contains("    - CONFIG_LIBUKDEBUG_PRINTK_INFO=n\n    - CONFIG_LIBUK9P=y\n    - CONFIG_STACK_PAGES=8\n\ntargets:"), "\(text)")
        #expect(!text.contains("LIBVFSCORE") && !text.contains("LIBUKNETDEV"), "\(text)")
        let plan = try fixture.plan()
        #expect(plan.contains("CONFIG_LIBUK9P=y\n") && plan.contains("# CONFIG_LIBUKDEBUG_PRINTK_INFO is not set\n") && plan.contains("CONFIG_STACK_PAGES=8\n"))

        // By hand, with set: the same bytes.
        try Self.listForm.write(to: fixture.manifest, atomically: true, encoding: .utf8)
        #expect(try fixture.run(["set", "LIBUKDEBUG_PRINTK_INFO=n", "LIBUK9P=y", "STACK_PAGES=8"]).status == 0)
        #expect(fixture.bytes == byMenuconfig)

        // The manifest edited elsewhere while menuconfig is open: not overwritten.
        try Self.listForm.write(to: fixture.manifest, atomically: true, encoding: .utf8)
        let meanwhile = edit + #" && printf '# edited meanwhile\n' >> kraft.yaml"#
        let raced = try CLI.run(["menuconfig", "--uk-root", fixture.tree, "--yes", "--edit-with", meanwhile], in: fixture.app, environment: ["UK_ROOT": ""])
        #expect(raced.status == 1)
        #expect(raced.stderr.contains("changed since manifestc read it; nothing was written"), "\(raced.stderr)")
        #expect(fixture.bytes == Data((Self.listForm + "# edited meanwhile\n").utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.app.path).sorted() == ["Makefile.uk", "kraft.yaml"])
        try byMenuconfig.write(to: fixture.manifest)

        // Nothing changed in menuconfig: nothing to write.
        let same = try CLI.run(["menuconfig", "--uk-root", fixture.tree, "--yes", "--edit-with", "true"], in: fixture.app, environment: ["UK_ROOT": ""])
        #expect(same.status == 0 && same.stderr.contains("nothing to change"), "\(same.stderr)")
        #expect(fixture.bytes == byMenuconfig)
    }

    /// One manifest line, and the diff shows what it selects and implies, each traced to the line.
    @Test func diffShowsSelectedAndImpliedSymbolsWithTheLine() throws {
        let fixture = try Fixture(Self.listForm)
        try FakeUnikraft.sh("git init -q . && git add kraft.yaml && git commit -qm one", in: fixture.app)
        let empty = try fixture.run(["diff"])
        #expect(empty.status == 0, "\(empty.stderr)")
        #expect(empty.stdout == "no configuration change from kraft.yaml at HEAD to the working copy\n")

        #expect(try fixture.run(["set", "LIBUK9P=y"]).status == 0)
        let text = try fixture.run(["diff"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("target qemu-x86_64: 5 symbols change"), "\(text.stdout)")
        #expect(text.stdout.contains("  CONFIG_LIBUK9P: n -> y  (set at kraft.yaml:9)\n"), "\(text.stdout)")
        #expect(text.stdout.contains("  CONFIG_LIBVFSCORE: n -> y  (selected by 'LIBUK9P', from kraft.yaml:9)\n"), "\(text.stdout)")
        #expect(text.stdout.contains("  CONFIG_LIBUKNETDEV: n -> y  (implied by 'LIBUK9P', from kraft.yaml:9)\n"), "\(text.stdout)")
        // Not traced through a select: a default whose dependency came on. The only manifest line changed is responsible.
        #expect(text.stdout.contains("  CONFIG_LIBVFSCORE_ROOTFS: (absent) -> \"ramfs\"  (default, from kraft.yaml:9)\n"), "\(text.stdout)")

        let json = try fixture.run(["diff", "HEAD", "--format", "json"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let targets = try #require(document["targets"] as? [[String: Any]])
        let changes = try #require(targets.first?["changes"] as? [[String: Any]])
        let vfscore = try #require(changes.first { $0["symbol"] as? String == "CONFIG_LIBVFSCORE" })
        #expect(vfscore["cause"] as? String == "dependency")
        #expect((vfscore["line"] as? [String: Any])?["line"] as? Int == 9)

        let markdown = try fixture.run(["diff", "--format", "markdown"])
        #expect(markdown.stdout.contains("| `CONFIG_LIBUKNETDEV` | `n` | `y` | `implied by 'LIBUK9P', from kraft.yaml:9` |\n"), "\(markdown.stdout)")

        // Two lines changed: a default is no longer put on one of them; a select still is.
        #expect(try fixture.run(["set", "STACK_PAGES=8"]).status == 0)
        let two = try fixture.run(["diff"])
        #expect(two.stdout.contains("  CONFIG_LIBVFSCORE_ROOTFS: (absent) -> \"ramfs\"  (default)\n"), "\(two.stdout)")
        #expect(two.stdout.contains("  CONFIG_LIBVFSCORE: n -> y  (selected by 'LIBUK9P', from kraft.yaml:9)\n"), "\(two.stdout)")
        #expect(two.stdout.contains("  CONFIG_STACK_PAGES: 4 -> 8  (set at kraft.yaml:10)\n"), "\(two.stdout)")

        // Against a revision that does not exist: git's words, no crash.
        let missing = try fixture.run(["diff", "no-such-branch"])
        #expect(missing.status == 2 && missing.stderr.contains("cannot read 'kraft.yaml' at 'no-such-branch'"), "\(missing.stderr)")
    }
}

/// `diff --to-uk-root` between the real Unikraft 0.16.3 and 0.17.0: the random-number library's
/// rename and the linuxu platform's removal show for a real manifest.
@Suite(.tags(.realTree, .slow)) struct ConfigDiffRealTreeTests {
    @Test func renamedAndRemovedSymbolsBetween0163And0170() throws {
        guard let trees = TestPaths.realTrees,
              FileManager.default.fileExists(atPath: trees + "/releases/0.16.3/unikraft/Config.uk"),
              FileManager.default.fileExists(atPath: trees + "/releases/0.17.0/unikraft/Config.uk") else { return }
        let manifest = """
            spec: v0.6
            name: helloworld
            unikraft:
              version: 0.16.3
              kconfig:
                - CONFIG_LIBUKSWRAND=y
            targets:
              - qemu/x86_64

            """
        let app = try CommandLineTests.temporaryFolder(["kraft.yaml": manifest])
        try FakeUnikraft.sh("git init -q . && git add kraft.yaml && git commit -qm one", in: app)
        let r = try CommandLineTests.run(["diff", "--format", "json", "--uk-root", trees + "/releases/0.16.3/unikraft",
                                          "--to-uk-root", trees + "/releases/0.17.0/unikraft"], in: app, environment: ["UK_ROOT": ""])
        #expect(r.status == 0, "\(r.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let changes = try #require((document["targets"] as? [[String: Any]])?.first?["changes"] as? [[String: Any]])
        func change(_ symbol: String) -> [String: Any]? { changes.first { $0["symbol"] as? String == symbol } }
        #expect(change("CONFIG_LIBUKSWRAND")?["cause"] as? String == "renamed")
        #expect(change("CONFIG_LIBUKSWRAND")?["reason"] as? String == "CONFIG_LIBUKRANDOM")
        #expect((change("CONFIG_LIBUKSWRAND")?["line"] as? [String: Any])?["line"] as? Int == 6)
        #expect(change("CONFIG_PLAT_LINUXU")?["cause"] as? String == "vanished")
        #expect(change("CONFIG_LIBUKBOOT_NOALLOC")?["cause"] as? String == "vanished")
        #expect(change("CONFIG_LIBUKRANDOM")?["cause"] as? String == "introduced")
        #expect(change("CONFIG_UK_FULLVERSION")?["new"] as? String == "\"0.17.0\"")
    }
}

/// menuconfig on the real Unikraft 0.17.0, the interactive step replaced by the edit a person
/// makes (9p on, the message level from info to critical) followed by Unikraft's own conf
/// (`make olddefconfig`) on it, as menuconfig saves it: the manifest gets 9p and the new level,
/// the old level set to 'n' in place, and nothing 9p selects.
@Suite(.tags(.realTree, .slow)) struct MenuconfigRealTreeTests {
    @Test func theChangeMadeInConfIsWrittenBack() throws {
        guard let trees = TestPaths.realTrees, FileManager.default.fileExists(atPath: trees + "/releases/0.17.0/unikraft/Config.uk"),
              ["/usr/bin/make", "/usr/bin/flex", "/usr/bin/bison", "/usr/bin/gcc"].allSatisfy(FileManager.default.isExecutableFile(atPath:)) else { return }
        let tree = trees + "/releases/0.17.0/unikraft"
        let manifest = """
            spec: v0.6
            name: helloworld
            unikraft:
              version: 0.17.0
              kconfig:
                CONFIG_LIBUKDEBUG_PRINTK_INFO: y   # chatty
            targets:
              - qemu/x86_64

            """
        let app = try CommandLineTests.temporaryFolder(["kraft.yaml": manifest, "Makefile.uk": "", "main.c": "int main(void) { return 0; }\n"])
        defer { try? FileManager.default.removeItem(at: app) }
        let edit = #"sed -i -e 's/^# CONFIG_LIBUK9P is not set$/CONFIG_LIBUK9P=y/' -e 's/^CONFIG_LIBUKDEBUG_PRINTK_INFO=y$/# CONFIG_LIBUKDEBUG_PRINTK_INFO is not set/' -e 's/^# CONFIG_LIBUKDEBUG_PRINTK_CRIT is not set$/CONFIG_LIBUKDEBUG_PRINTK_CRIT=y/' "$KCONFIG_CONFIG""#
            + " && make -s -C '\(tree)' A='\(app.path)' O=\"$(dirname \"$KCONFIG_CONFIG\")/build\" C=\"$KCONFIG_CONFIG\" N=helloworld olddefconfig >/dev/null"
        let r = try CommandLineTests.run(["menuconfig", "--uk-root", tree, "--yes", "--edit-with", edit], in: app, environment: ["UK_ROOT": ""])
        #expect(r.status == 0, "\(r.stderr)")
        let written = try String(contentsOf: app.appendingPathComponent("kraft.yaml"), encoding: .utf8)
        #expect(written == manifest.replacingOccurrences(of: "    CONFIG_LIBUKDEBUG_PRINTK_INFO: y   # chatty\n",
                                                         with: "    CONFIG_LIBUKDEBUG_PRINTK_INFO: n   # chatty\n    CONFIG_LIBUK9P: y\n    CONFIG_LIBUKDEBUG_PRINTK_CRIT: y\n"), "\(written)")
        let plan = try CommandLineTests.run(["plan", "--uk-root", tree], in: app, environment: ["UK_ROOT": ""])
        #expect(plan.stdout.contains("CONFIG_LIBUK9P=y\n") && plan.stdout.contains("CONFIG_LIBUKDEBUG_PRINTK_CRIT=y\n") && plan.stdout.contains("# CONFIG_LIBUKDEBUG_PRINTK_INFO is not set\n"), "\(plan.stdout)")
    }
}
