import Foundation
import Testing
import TestSupport
@testable import Kconfig

/// Malformed input gives diagnostics, never a crash or a hang.
@Suite(.tags(.slow)) struct RobustnessTests {
    static let seed = UInt64(ProcessInfo.processInfo.environment["MANIFESTC_KCONFIG_SEED"] ?? "") ?? UInt64.random(in: 1...UInt64(UInt32.max))

    private func planAll(_ files: [String: String], root: String = "/t/Kconfig") {
        let (tree, _) = load(files, root: root)
        let (config, _) = tree.evaluate(seed: ConfigReader.read("CONFIG_A=y\nCONFIG_B=\"x\"\n", file: "seed").assignments)
        _ = ConfigWriter.write(config)
        _ = config.values
    }

    @Test func randomBytes() {
        var rng = SplitMix64(seed: Self.seed)
        let alphabet = Array("config menu endmenu if endif choice endchoice source \"$()'\\\n\t #&|!=<>-_abcXYZ019\u{0}\u{ff}é".utf8)
        for _ in 0..<300 {
            let n = Int.random(in: 0...400, using: &rng)
            let bytes = (0..<n).map { _ in
                Bool.random(using: &rng) ? alphabet.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
            }
            var fs = InMemoryKconfigFileSystem()
            fs.files["/t/Kconfig"] = bytes
            let (tree, _) = KconfigTree.load(root: "/t/Kconfig", fileSystem: fs)
            _ = ConfigWriter.write(tree.evaluate(seed: []).configuration)
        }
    }

    @Test func truncatedFixtures() throws {
        let root = FixtureTests.root
        for name in FixtureTests.names {
            let files = FixtureTests.files(under: root + "/" + name)
            guard let text = files["/case/Kconfig"] else { continue }
            let bytes = Array(text.utf8)
            for cut in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 40)) {
                var fs = InMemoryKconfigFileSystem(files: files)
                fs.files["/case/Kconfig"] = Array(bytes[..<cut])
                let (tree, _) = KconfigTree.load(root: "/case/Kconfig", fileSystem: fs, shell: FixtureTests.shell)
                _ = ConfigWriter.write(tree.evaluate(seed: []).configuration)
            }
        }
    }

    @Test func randomTreesWithLoopsAndMutations() {
        var rng = SplitMix64(seed: Self.seed)
        for i in 0..<200 {
            var generator = RandomKconfig(seed: Self.seed &+ UInt64(i))
            var lines = generator.generate().kconfig.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            // Shuffle some lines: breaks blocks and creates dependency loops.
            for _ in 0..<Int.random(in: 1...6, using: &rng) where lines.count > 2 {
                lines.swapAt(Int.random(in: 0..<lines.count, using: &rng), Int.random(in: 0..<lines.count, using: &rng))
            }
            planAll(["/t/Kconfig": lines.joined(separator: "\n")])
        }
    }

    @Test func selfReferences() {
        let text = """
        config A
        \tbool "a" if A
        \tdefault A
        \tselect A
        \timply A
        \tdepends on A
        config I
        \tint "i"
        \trange I I
        \tdefault I
        choice C
        \tprompt "c"
        \tdefault C1 if C2
        config C1
        \tbool "c1"
        \tdepends on C2
        config C2
        \tbool "c2"
        \tdepends on C1
        endchoice
        menu "m"
        \tvisible if M
        config M
        \tbool "m"
        endmenu
        X = $(X)$(X)
        config S
        \tstring
        \tdefault "$(X)"
        """
        let (tree, d) = load(text + "\n")
        #expect(d.contains { $0.id == "kconfig-recursive-dependency" })
        _ = ConfigWriter.write(tree.evaluate(seed: []).configuration)
    }

    @Test func deepMacroRecursion() {
        let (_, d) = load("A = $(A)x\nB = $(C)\nC = $(B)\nconfig S\n\tstring\n\tdefault \"$(B)\"\n")
        #expect(!d.isEmpty)
    }

    @Test func exponentialMacros() {
        // Each level doubles the text; the depth limit keeps it bounded.
        var text = "A0 := x\n"
        for i in 1...20 { text += "A\(i) := $(A\(i - 1))$(A\(i - 1))\n" }
        text += "config S\n\tstring\n\tdefault \"$(A20)\"\n"
        let (tree, d) = load(text)
        #expect(d.isEmpty)
        #expect(tree.evaluate(seed: []).configuration.value(of: "S")?.value.count == 1 << 20)
        var huge = "A0 := xxxxxxxx\n"
        for i in 1...60 { huge += "A\(i) := $(A\(i - 1))$(A\(i - 1))\n" }
        let (_, d2) = load(huge)
        #expect(d2.contains { $0.message.contains("the limit is \(KconfigPreprocessor.maxLength)") })
    }
}
