import Testing
@testable import Kconfig

@Suite struct ConfigReaderTests {
    @Test func readsWhatConfWritesAndWarnsOnGarbage() {
        let text = "#\n# comment\nCONFIG_A=y\r\n# CONFIG_B is not set\nCONFIG_C=\"x\"\nCONFIG_D\n  CONFIG_E=y\ngarbage\n\n"
        let (assignments, d) = ConfigReader.read(text, file: "seed")
        #expect(assignments.map(\.line) == ["CONFIG_A=y", "# CONFIG_B is not set", "CONFIG_C=\"x\""])
        #expect(assignments.map { $0.location!.description } == ["seed:3:10", "seed:4:3", "seed:5:10"])
        #expect(places(d) == ["seed:6:1 config-malformed", "seed:7:1 config-unexpected", "seed:8:1 config-unexpected"])
    }
}

@Suite struct EvaluationDiagnosticTests {
    static let tree = """
    mainmenu "t"
    config DEP
    \tbool "dep"
    config TARGET
    \tbool "target"
    \tdepends on DEP
    config SEL
    \tbool "sel"
    \tdefault y
    \tselect TARGET
    config N
    \tint "n"
    \trange 1 10
    \tdefault 5
    config S
    \tstring "s"
    config H
    \tbool
    \tdefault y
    """

    @Test func invalidSeedValuesAreLocatedWarnings() {
        let (tree, _) = load(Self.tree + "\n")
        let seed = "CONFIG_SEL=Y\nCONFIG_N=042\nCONFIG_N=11\nCONFIG_S=bare\nCONFIG_UNKNOWN=y\n# CONFIG_H is not set\n"
        let (config, d) = tree.evaluate(seed: ConfigReader.read(seed, file: "seed").assignments)
        #expect(places(d) == [
            "seed:1:12 kconfig-seed-value",
            "seed:2:10 kconfig-seed-value",
            "seed:4:10 kconfig-seed-value",
            "/t/Kconfig:4:1 kconfig-unmet-dependency",
            "seed:3:10 kconfig-seed-range",
            "seed:6:3 kconfig-seed-ignored",
        ])
        #expect(config.value(of: "N")?.value == "5")
        #expect(config.value(of: "H")?.value == "y")
        let unmet = d.first { $0.id == "kconfig-unmet-dependency" }!
        #expect(unmet.notes.map { $0.location!.description } == ["/t/Kconfig:10:2"])
    }

    @Test func explanations() throws {
        let (tree, _) = load(Self.tree + "\nconfig IMPLIER\n\tbool\n\tdefault y\n\timply IMPLIED\nconfig IMPLIED\n\tbool \"implied\"\n")
        let (config, _) = tree.evaluate(seed: ConfigReader.read("CONFIG_N=7\n", file: "seed").assignments)
        let n = try #require(config.value(of: "N"))
        #expect(n.value == "7" && n.isWritten)
        #expect(n.explanation.map(\.description) == ["seed:1:10: set by the seed"])
        let target = try #require(config.value(of: "TARGET"))
        #expect(target.value == "y")
        #expect(target.explanation.map(\.description) == ["/t/Kconfig:10:2: selected by 'SEL'"])
        #expect(config.value(of: "IMPLIED")?.explanation.map(\.description) == ["/t/Kconfig:23:2: implied by 'IMPLIER'"])
        #expect(config.value(of: "SEL")?.explanation.first?.kind == .defaultValue)
        #expect(config.value(of: "DEP")?.explanation.first?.kind == .noValue)
        #expect(config.value(of: "MISSING") == nil)
    }

    @Test func symbolLookup() throws {
        let (tree, _) = load(Self.tree + "\n")
        let n = try #require(tree.symbol(named: "N"))
        #expect(n.type == .int)
        #expect(n.prompt == "n")
        #expect(n.definedAt.map(\.description) == ["/t/Kconfig:11:1"])
        #expect(n.ranges.map { "\($0.low)..\($0.high)" } == ["1..10"])
        #expect(tree.symbol(named: "H")?.prompt == nil)
        #expect(tree.symbol(named: "NOPE") == nil)
        #expect(tree.suggestion(for: "TARGT") == "TARGET")
        #expect(tree.symbolNames == ["DEP", "TARGET", "SEL", "N", "S", "H"])
    }

    @Test func valueSpellingChecks() throws {
        let (tree, _) = load(Self.tree + "\nconfig X\n\thex \"x\"\n\trange 0x10 0x20\n")
        let n = try #require(tree.symbol(named: "N"))
        #expect(n.problem(with: "5") == nil)
        #expect(n.problem(with: "042") == "value '042' is invalid for int 'N'; use a decimal number without leading zeros")
        #expect(n.problem(with: "11") == "value '11' for 'N' is outside its range 1..10")
        #expect(tree.symbol(named: "X")?.problem(with: "0x18") == nil)
        #expect(tree.symbol(named: "X")?.problem(with: "0x30") == "value '0x30' for 'X' is outside its range 0x10..0x20")
        #expect(tree.symbol(named: "S")?.problem(with: "bare") == "value bare for string 'S' must be a double-quoted string, like \"bare\"")
        #expect(tree.symbol(named: "SEL")?.problem(with: "Y") == "value 'Y' is invalid for bool 'SEL'; use 'y' or 'n'")
        #expect(tree.symbol(named: "SEL")?.problem(with: "y") == nil)
    }

    @Test func assignmentHelpersQuote() {
        #expect(KconfigAssignment.string("S", "a\"b\\c").line == "CONFIG_S=\"a\\\"b\\\\c\"")
        #expect(KconfigAssignment.bool("B", false).line == "# CONFIG_B is not set")
    }
}
