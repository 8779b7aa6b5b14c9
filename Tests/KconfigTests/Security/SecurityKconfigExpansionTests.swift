import Testing
import TestSupport
import Diagnostics
@testable import Kconfig

/// Kconfig globs and macros are bounded by the work they do, not only by depth or size:
/// symlink loops, wide trees and doubling macros end with a located diagnostic.
@Suite(.tags(.security)) struct SecurityKconfigExpansionTests {
    /// A tree under `/t` whose folder `/t/a` holds `Config.uk`-less folders: with `loop`, every
    /// entry is a link back to `/t/a` (as `ln -s . x`); without, every folder has `width` new ones.
    struct Fan: KconfigFileSystem {
        var names: [String]
        var loop: Bool
        func contents(of path: String) -> [UInt8]? { path == "/t/Kconfig" ? Array(root.utf8) : nil }
        var root: String { "config FOO\n\tbool \"foo\"\n\tdefault y\nsource \"a/*/*/*/*/*/*/*/*/*/*/Config.uk\"\n" }
        func isDirectory(_ path: String) -> Bool { path == "/t" || path.hasPrefix("/t/a") }
        func entries(of path: String) -> [String] { path.hasPrefix("/t/a") ? names : [] }
        func resolve(_ path: String) -> String { loop && path.hasPrefix("/t/a") ? "/t/a" : path }
    }

    func globDiagnostics(_ fs: Fan) -> [Diagnostic] {
        KconfigTree.load(root: "/t/Kconfig", sourceTree: "/t", fileSystem: fs, environment: [:], shell: NoShellResolver()).diagnostics
    }

    @Test func aGlobThroughSymlinkLoopsDoesNotEnterThem() {
        let diagnostics = globDiagnostics(Fan(names: ["w", "x", "y", "z"], loop: true))
        #expect(diagnostics.map(\.id) == ["kconfig-glob-loop"])
        #expect(diagnostics.first?.location?.range.start.line == 4)
        #expect(diagnostics.first?.message.contains("reaches '/t/a/w', a symbolic link back into a folder it is in (and 3 more)") == true)
    }

    @Test func aGlobOverAWideTreeStopsAtItsEntryLimit() {
        let diagnostics = globDiagnostics(Fan(names: (0..<50).map { "d\($0)" }, loop: false))
        #expect(diagnostics.map(\.id) == ["kconfig-glob-limit"])
        #expect(diagnostics.first.map { "\($0.location!.range.start.line):\($0.location!.range.start.column)" } == "4:1")
    }

    @Test func kconfigMacrosThatDoubleStopAtTheirWorkLimit() {
        var lines = ["B0 :="]
        for i in 1...30 { lines.append("B\(i) = $(B\(i - 1))$(B\(i - 1))") }
        lines += ["config FOO", "\tstring \"foo\"", "\tdefault \"$(B30)\""]
        let (_, diagnostics) = load(["/t/Kconfig": lines.joined(separator: "\n") + "\n"])
        #expect(diagnostics.map(\.id) == ["kconfig-macro-work"])
        #expect(diagnostics.first?.location?.range.start.line == 34)
    }

    @Test func kconfigSimpleMacrosThatDoubleInSizeStopAtTheirWorkLimit() {
        var lines = ["B0 := xxxxxxxxxxxxxxxx"]
        for i in 1...40 { lines.append("B\(i) := $(B\(i - 1))$(B\(i - 1))") }
        let (_, diagnostics) = load(["/t/Kconfig": lines.joined(separator: "\n") + "\nconfig FOO\n\tbool \"foo\"\n"])
        #expect(diagnostics.map(\.id).contains("kconfig-macro-work"))
        #expect(!diagnostics.contains { $0.id == "kconfig-macro-work" && $0.location?.range.start.line ?? 0 > 30 })
    }
}
