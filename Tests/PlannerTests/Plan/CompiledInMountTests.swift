import Foundation
import Manifest
import TestSupport
import Testing
import Diagnostics
import Kconfig
@testable import Planner

/// Unikraft 0.17's compiled-in mount table (`CONFIG_LIBVFSCORE_AUTOMOUNT_CI`) mounts the shared
/// folders it names: no `volume-mount` warning for those, one for a folder it does not mount
/// (issue 12, item 8c).
@Suite struct CompiledInMountTests {
    static let files = [
        "/uk/version.mk": "UK_VERSION = 0\nUK_SUBVERSION = 17\nUK_EXTRAVERSION = 0\nUK_CODENAME = Test\n",
        "/uk/Config.uk": """
            mainmenu "Unikraft/$(UK_FULLVERSION) Configuration"
            config ARCH_X86_64
            \tbool "x86_64"
            config PLAT_KVM
            \tbool "KVM"
            config LIBVFSCORE_AUTOMOUNT_UP
            \tbool "user-provided table"
            config LIBVFSCORE_AUTOMOUNT_ROOTFS
            \tbool "root file system"
            menuconfig LIBVFSCORE_AUTOMOUNT_CI
            \tbool "compiled-in table"
            if LIBVFSCORE_AUTOMOUNT_CI
            \tchoice LIBVFSCORE_AUTOMOUNT_CI_CONF
            \tprompt "Configuration"
            \tdefault LIBVFSCORE_AUTOMOUNT_CI_CUSTOM
            \tconfig LIBVFSCORE_AUTOMOUNT_CI_9PFS
            \tbool "9PFS"
            \tconfig LIBVFSCORE_AUTOMOUNT_CI_CUSTOM
            \tbool "Custom"
            \tendchoice
            \tif LIBVFSCORE_AUTOMOUNT_CI_9PFS
            \t\tconfig LIBVFSCORE_AUTOMOUNT_CI_9PFS_TAG
            \t\tstring "9pfs tag"
            \t\tdefault "fs0"
            \tendif
            \tconfig LIBVFSCORE_AUTOMOUNT_CI0_DEV_ARG
            \tstring
            \tdefault LIBVFSCORE_AUTOMOUNT_CI_9PFS_TAG if LIBVFSCORE_AUTOMOUNT_CI_9PFS
            \tconfig LIBVFSCORE_AUTOMOUNT_CI0_MP_ARG
            \tstring
            \tdefault "/" if LIBVFSCORE_AUTOMOUNT_CI_9PFS
            \tconfig LIBVFSCORE_AUTOMOUNT_CI0_DRIVER_ARG
            \tstring
            \tdefault "9pfs" if LIBVFSCORE_AUTOMOUNT_CI_9PFS
            endif

            """,
    ]

    static let kconfig = "unikraft:\n  kconfig:\n    CONFIG_LIBVFSCORE_AUTOMOUNT_CI: 'y'\n    CONFIG_LIBVFSCORE_AUTOMOUNT_CI_9PFS: 'y'\n"

    static func mountDiagnostics(_ volumes: String, tree: PlanEnvironment, vfscore: String = "") throws -> [Diagnostic] {
        let m = try manifest("spec: v0.6\nname: app\n\(kconfig)\(vfscore)targets: [qemu/x86_64]\nvolumes:\n\(volumes)")
        // The miniature tree has no 9p client; 'volume-no-9p' is another test's.
        return Planning.plan(m, environment: tree).diagnostics.filter { $0.id.hasPrefix("volume-") && $0.id != "volume-no-9p" }
    }

    static var miniature: PlanEnvironment {
        PlanEnvironment(unikraft: UnikraftTree(base: "/uk", app: "/app", hostArch: "x86_64"), fileSystem: InMemoryKconfigFileSystem(files: files))
    }

    @Test func aFolderTheTableMountsIsNotWarnedAbout() throws {
        #expect(try Self.mountDiagnostics("  - ./fs:/\n", tree: Self.miniature).isEmpty)
    }

    @Test func aFolderTheTableDoesNotMountIsNamed() throws {
        let d = try Self.mountDiagnostics("  - ./fs:/\n  - ./data:/data\n", tree: Self.miniature)
        #expect(d.map(\.message) == ["the compiled-in mount table ('CONFIG_LIBVFSCORE_AUTOMOUNT_CI') mounts fs0 at '/' over 9p, not the folder './data' shared as fs1 at '/data'"])
        #expect(d.first?.location?.range.start == SourcePosition(line: 9, column: 5))
    }

    static var tree017: String? {
        ProcessInfo.processInfo.environment["MANIFESTC_UNIKRAFT_TREES"].map { $0 + "/unikraft-0.17" }
            .flatMap { FileManager.default.fileExists(atPath: $0 + "/Config.uk") ? $0 : nil }
    }

    @Test(.tags(.realTree), .enabled(if: tree017 != nil, "set MANIFESTC_UNIKRAFT_TREES to a folder with unikraft-0.17"))
    func theReal017TableMountsItsTag() throws {
        let base = try #require(Self.tree017)
        let environment = PlanEnvironment(unikraft: UnikraftTree(base: base, app: base, hostArch: "x86_64"), fileSystem: DiskKconfigFileSystem())
        let vfscore = "    CONFIG_LIBVFSCORE: 'y'\n"
        #expect(try Self.mountDiagnostics("  - ./fs:/\n", tree: environment, vfscore: vfscore).isEmpty)
        #expect(try Self.mountDiagnostics("  - ./fs:/\n  - ./data:/data\n", tree: environment, vfscore: vfscore).map(\.id) == ["volume-mount"])
    }
}
