import Foundation
import Manifest
import Testing
import TestSupport
import Kconfig
@testable import Planner

@Suite struct UnikraftTreeTests {
    @Test func versionFileMissing() {
        let (_, d) = UnikraftTree(base: "/nowhere").load(fileSystem: InMemoryKconfigFileSystem())
        #expect(d.map(\.id) == ["unikraft-version", "kconfig-file-missing"])
    }

    /// A miniature 0.17-style tree in memory.
    static var files: [String: String] {
        [
            "/uk/version.mk": "UK_VERSION = 0\nUK_SUBVERSION = 17\nUK_EXTRAVERSION = 0\nUK_CODENAME = Calypso\n",
            "/uk/Config.uk": """
            mainmenu "Unikraft/$(UK_FULLVERSION) Configuration"
            config UK_FULLVERSION
            \tstring
            \tdefault "$(UK_FULLVERSION)"
            config NO_APP
            \tdef_bool $(shell,test $(UK_BASE) = $(UK_APP) && echo y || echo n)
            menu "Library Configuration"
            \tsource "$(shell,$(UK_BASE)/support/build/config-submenu.sh -q -o '$(KCONFIG_DIR)/libs.uk' -r '$(KCONFIG_LIB_BASE)' -l '$(KCONFIG_LIB_BASE)' -c '$(KCONFIG_ELIB_DIRS)' -e '$(KCONFIG_EXCLUDEDIRS)')"
            endmenu
            if !NO_APP
            \tsource "$(shell,$(UK_BASE)/support/build/config-submenu.sh -q -o '$(KCONFIG_DIR)/app.uk' -t "Application Options" -l '$(KCONFIG_EAPP_DIR)' -e '$(KCONFIG_EXCLUDEDIRS)')"
            endif
            config UK_NAME
            \tstring "Image name"
            \tdefault "$(UK_NAME)"

            """,
            "/uk/lib/Config.uk": "config LIB_GLOBAL\n\tbool\n\tdefault y\n",
            "/uk/lib/zeta/Config.uk": "config LIBZETA\n\tbool \"zeta\"\n",
            "/uk/lib/alpha/Config.uk": "config LIBALPHA\n\tbool \"alpha\"\n",
            "/uk/lib/nokconfig/Makefile.uk": "",
            "/ext/musl/Config.uk": "config LIBMUSL\n\tbool \"musl\"\n",
            "/ext/skipped/Config.uk": "config SKIPPED\n\tbool \"skipped\"\n",
            "/apps/hello/Config.uk": "config APP_OPT\n\tbool \"app option\"\n\tdefault y\n",
        ]
    }

    static let tree = UnikraftTree(base: "/uk", libraries: ["/ext/musl/", "/ext/skipped"], excludes: ["/ext/skipped"],
                                   app: "/apps/hello", buildDirectory: "/build", name: "hello", hostArch: "aarch64",
                                   gitRevision: "484ff209a5265bc4b2366041f149534922d0e5c8")

    @Test func environmentFollowsTheMakefile() {
        let fs = InMemoryKconfigFileSystem(files: Self.files)
        let (env, _, d) = Self.tree.environment(fileSystem: fs)
        #expect(d.isEmpty)
        #expect(env["UK_FULLVERSION"] == "0.17.0~484ff209")
        #expect(env["UK_CODENAME"] == "Calypso")
        #expect(env["HOST_ARCH"] == "arm64")
        #expect(env["UK_ARCH"] == "arm64")
        #expect(env["UK_NAME"] == "hello")
        #expect(env["KCONFIG_DIR"] == "/build/kconfig")
        #expect(env["KCONFIG_ELIB_DIRS"] == "/ext/musl/:/ext/skipped")
        #expect(env["KCONFIG_EXCLUDEDIRS"] == ":/ext/skipped")
        #expect(env["KCONFIG_EAPP_DIR"] == "/apps/hello")
        var modified = Self.tree
        modified.gitModified = true
        modified.arch = "x86_64"
        #expect(modified.environment(fileSystem: fs).environment["UK_FULLVERSION"] == "0.17.0~484ff209-custom")
        #expect(modified.environment(fileSystem: fs).environment["UK_ARCH"] == "x86_64")
    }

    @Test func generatedSubmenus() throws {
        var fs = InMemoryKconfigFileSystem(files: Self.files)
        let resolver = Self.tree.shellResolver
        let out = resolver.run("/uk/support/build/config-submenu.sh -q -o '/build/kconfig/libs.uk' -r '/uk/lib' -l '/uk/lib' -c '/ext/musl/:/ext/skipped' -e ':/ext/skipped'", fileSystem: &fs)
        #expect(out == "/build/kconfig/libs.uk\n")
        #expect(fs.files["/build/kconfig/libs.uk"].map { String(decoding: $0, as: UTF8.self) } == """
            # Auto generated file. DO NOT EDIT
            # Skipped excluded "/ext/skipped"
            source "/uk/lib/alpha/Config.uk"
            source "/uk/lib/zeta/Config.uk"
            source "/uk/lib/Config.uk"
            source "/ext/musl/Config.uk"

            """)
        _ = resolver.run("/uk/support/build/config-submenu.sh -q -o '/build/kconfig/app.uk' -t \"Application Options\" -l '' -e ''", fileSystem: &fs)
        #expect(fs.files["/build/kconfig/app.uk"].map { String(decoding: $0, as: UTF8.self) } == "# Auto generated file. DO NOT EDIT\nmenu \"Application Options\"\nendmenu\n")
        #expect(resolver.run("test /a = /a && echo y || echo n", fileSystem: &fs) == "y\n")
        #expect(resolver.run("test /a = /b && echo y || echo n", fileSystem: &fs) == "n\n")
        #expect(resolver.run("gcc -dumpmachine | cut -d '-' -f1", fileSystem: &fs) == "aarch64\n")
        #expect(resolver.run("uname -a", fileSystem: &fs) == nil)
    }

    @Test func fullPlanOfTheMiniatureTree() {
        let fs = InMemoryKconfigFileSystem(files: Self.files)
        let (kconfig, d) = Self.tree.load(fileSystem: fs)
        #expect(d.isEmpty, "\(d)")
        let (config, _) = kconfig.evaluate(seed: [.bool("LIBMUSL", true)])
        #expect(ConfigWriter.write(config) == """
            #
            # Automatically generated file; DO NOT EDIT.
            # Unikraft/0.17.0~484ff209 Configuration
            #
            CONFIG_UK_FULLVERSION="0.17.0~484ff209"

            #
            # Library Configuration
            #
            # CONFIG_LIBALPHA is not set
            # CONFIG_LIBZETA is not set
            CONFIG_LIB_GLOBAL=y
            CONFIG_LIBMUSL=y
            # end of Library Configuration

            #
            # Application Options
            #
            CONFIG_APP_OPT=y
            # end of Application Options

            CONFIG_UK_NAME="hello"

            """)
    }

    /// Our submenu files against the real `config-submenu.sh` of a 0.17 checkout.
    @Test(.tags(.realTree, .slow), .enabled(if: RealTreeTests.available, "set MANIFESTC_UNIKRAFT_TREES to a folder of Unikraft checkouts"))
    func submenusMatchTheScript() throws {
        let trees = RealTreeTests.trees!
        let base = trees + "/unikraft-0.17"
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("manifestc-submenu-\(getpid())").path
        try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        let commands = [
            "\(base)/support/build/config-submenu.sh -q -o '\(tmp)/libs.uk' -r '\(base)/lib' -l '\(base)/lib' -c '\(trees)/lib-musl' -e ':\(base)/lib/ukdebug'",
            "\(base)/support/build/config-submenu.sh -q -o '\(tmp)/plats.uk' -r '\(base)/plat' -l '\(base)/plat' -c '' -e ''",
            "\(base)/support/build/config-submenu.sh -q -o '\(tmp)/drivers-virtio.uk' -r '\(base)/drivers/virtio' -l '\(base)/drivers/virtio' -e ''",
            "\(base)/support/build/config-submenu.sh -q -o '\(tmp)/app.uk' -t \"Application Options\" -l '\(trees)/app-helloworld' -e ''",
        ]
        for command in commands {
            let run = try Subprocess.run("/bin/bash", ["-c", "LC_ALL=C " + command]); let (status, output) = (run.status, run.stdout + run.stderr)
            #expect(status == 0)
            let path = output.trimmingCharacters(in: .whitespacesAndNewlines)
            let theirs = try String(contentsOfFile: path, encoding: .utf8)
            var fs = InMemoryKconfigFileSystem(files: [:], fallback: DiskKconfigFileSystem())
            let ours = UnikraftShellResolver(base: base, hostArch: "x86_64").run(command, fileSystem: &fs)
            #expect(ours == output)
            #expect(fs.files[path].map { String(decoding: $0, as: UTF8.self) } == theirs, "\(command)")
        }
    }
}
