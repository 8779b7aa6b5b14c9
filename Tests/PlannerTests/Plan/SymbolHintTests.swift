import Foundation
import Manifest
import TestSupport
import Testing
import Diagnostics
import Kconfig
@testable import Planner

/// An unknown symbol names the library that defines it, or its new (or old) name, before any
/// "did you mean" (issue 12, item 8a/8b).
@Suite struct SymbolHintTests {
    static let files = [
        "/uk/version.mk": "UK_VERSION = 0\nUK_SUBVERSION = 17\nUK_EXTRAVERSION = 0\nUK_CODENAME = Test\n",
        "/uk/Config.uk": """
            mainmenu "Unikraft/$(UK_FULLVERSION) Configuration"
            config ARCH_X86_64
            \tbool "x86_64"
            config PLAT_KVM
            \tbool "KVM"
            config LIBNOLIBC
            \tbool "nolibc"
            config LIBUKRANDOM
            \tbool "random"
            config LIBUKDEBUG_PRINTD
            \tbool "debug messages"

            """,
        "/ws/libs/lib-foo/Config.uk": "menuconfig LIBFOO\n\tbool \"foo\"\nconfig LIBFOO_EXTRA\n\tbool \"extra\"\n",
    ]

    static func warning(_ kconfig: String, libraries: String = "", other: [String: String] = [:]) throws -> Diagnostic {
        let m = try manifest("spec: v0.6\nname: app\n\(libraries)unikraft:\n  kconfig:\n    \(kconfig)\ntargets: [qemu/x86_64]\n")
        var environment = PlanEnvironment(unikraft: UnikraftTree(base: "/uk", app: "/app", hostArch: "x86_64"),
                                          fileSystem: InMemoryKconfigFileSystem(files: files))
        environment.otherLibraryFolders = other
        let diagnostics = Planning.plan(m, environment: environment).diagnostics
        return try #require(diagnostics.first { $0.id == "kconfig-unknown-symbol" && $0.location != nil }, "\(diagnostics)")
    }

    @Test func aSymbolOfAnUnlistedLibraryNamesTheLibraryNotANearName() throws {
        let d = try Self.warning("CONFIG_LIBNEWLIBC: 'y'")
        #expect(d.message == "'CONFIG_LIBNEWLIBC' is not a symbol of this Unikraft tree and its libraries; conf ignores it; it belongs to library 'newlib', which the manifest does not list; add it under 'libraries:' (for example 'newlib: stable')")
        #expect(!d.message.contains("did you mean"))
        let option = try Self.warning("CONFIG_LIBMUSL_LOCALE: 'y'")
        #expect(option.message.contains("it belongs to library 'musl', which the manifest does not list"), "\(option.message)")
    }

    @Test func aListedLibraryWithoutAFolderSaysWhereFoldersComeFrom() throws {
        let d = try Self.warning("CONFIG_LIBNEWLIBC_WANT_IO_C99_FORMATS: 'y'", libraries: "libraries:\n  newlib: stable\n")
        #expect(d.message.contains("it belongs to library 'newlib', whose folder was not found"), "\(d.message)")
    }

    @Test func aLibraryInTheWorkspaceIsReadForTheSymbolsItDefines() throws {
        let d = try Self.warning("CONFIG_LIBFOO_EXTRA: 'y'", other: ["foo": "/ws/libs/lib-foo"])
        #expect(d.message.contains("it belongs to library 'foo' (/ws/libs/lib-foo), which the manifest does not list; add it under 'libraries:' (for example 'foo: stable')"), "\(d.message)")
    }

    @Test func renamedAndMisnamedSymbolsSaySo() throws {
        #expect(try Self.warning("CONFIG_LIBUKSWRAND: 'n'").message.hasSuffix("; it was renamed to 'CONFIG_LIBUKRANDOM' in Unikraft 0.17.0"))
        #expect(try Self.warning("CONFIG_LIBUKDEBUG_PRINTK_DEBUG: 'y'").message.hasSuffix("; no Unikraft release has it; ukdebug's debug messages are 'CONFIG_LIBUKDEBUG_PRINTD'"))
        // A near name with no story keeps its "did you mean".
        #expect(try Self.warning("CONFIG_LIBNOLIB: 'y'").message.hasSuffix("; did you mean 'CONFIG_LIBNOLIBC'?"))
    }
}

/// Each rename of `SymbolHints` against the real release trees: the old name in the release
/// before, the new one from its release on (scripts/real-trees.sh lays them out).
@Suite(.tags(.realTree)) struct SymbolHintsRealTreeTests {
    static var releases: String? { ProcessInfo.processInfo.environment["MANIFESTC_UNIKRAFT_TREES"].map { $0 + "/releases" } }

    static func symbols(_ release: String) throws -> KconfigTree {
        let base = try #require(releases) + "/\(release)/unikraft"
        let (tree, _) = UnikraftTree(base: base, app: base, name: "app", hostArch: "x86_64").load(fileSystem: DiskKconfigFileSystem())
        return tree
    }

    static func releaseBefore(_ release: String) -> String? {
        let target = UnikraftVersion(parsing: release)!
        var best: (version: UnikraftVersion, name: String)?
        for name in (try? FileManager.default.contentsOfDirectory(atPath: releases ?? "")) ?? [] {
            guard let version = UnikraftVersion(parsing: name), version < target else { continue }
            if best == nil || best!.version < version { best = (version, name) }
        }
        return best?.name
    }

    static var available: Bool {
        guard let releases else { return false }
        return FileManager.default.fileExists(atPath: releases + "/0.17.0/unikraft/Config.uk")
    }

    @Test(.enabled(if: available, "lay out the release trees with scripts/real-trees.sh into $MANIFESTC_UNIKRAFT_TREES"), arguments: SymbolHints.renames)
    func eachRenameHappenedInItsRelease(_ rename: SymbolHints.Rename) throws {
        let before = try #require(Self.releaseBefore(rename.release))
        let old = try Self.symbols(before), new = try Self.symbols(rename.release)
        #expect(old.symbol(named: rename.old) != nil && old.symbol(named: rename.new) == nil, "\(before)")
        #expect(new.symbol(named: rename.new) != nil && new.symbol(named: rename.old) == nil, "\(rename.release)")
    }

    @Test(.enabled(if: available, "lay out the release trees with scripts/real-trees.sh into $MANIFESTC_UNIKRAFT_TREES"))
    func misnomersAreInNoReleaseAndTheirMeaningIsInEvery() throws {
        for release in ["0.13.1", "0.16.3", "0.17.0"] {
            let tree = try Self.symbols(release)
            for (wrong, meant) in SymbolHints.misnomers {
                #expect(tree.symbol(named: wrong) == nil, "\(release): \(wrong)")
                #expect(tree.symbol(named: meant.symbol) != nil, "\(release): \(meant.symbol)")
            }
        }
    }
}
