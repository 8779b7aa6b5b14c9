import Testing
import Manifest
import Diagnostics
@testable import Planner

/// The one rule for a library's enable symbol without a tree, and the catalog it covers.
@Suite struct LibrarySymbolsTests {
    @Test(arguments: [
        ("musl", "CONFIG_LIBMUSL"), ("libcxx", "CONFIG_LIBCXX"), ("compiler-rt", "CONFIG_LIBCOMPILER_RT"),
        ("intel-intrinsics", "CONFIG_LIBINTEL_INTRINSICS"), ("newlib", "CONFIG_LIBNEWLIBC"), ("my.lib", "CONFIG_LIBMY_LIB"),
        ("libuuid", "CONFIG_LIBUUID"), ("lib", "CONFIG_LIB"),
    ])
    func theRuleAndItsException(_ name: String, _ symbol: String) {
        #expect(LibrarySymbols.enableSymbol(ofLibrary: name) == symbol)
    }

    /// The catalog lists each library once, in the default library order (so a setup whose
    /// libraries are guessed from its configuration gets no `library-order` of its own).
    @Test func theCatalogIsInTheDefaultOrder() {
        let catalog = LibrarySymbols.catalog
        #expect(Set(catalog).count == catalog.count)
        #expect(LibraryOrder.defaultOrder(catalog, name: { $0 }, path: { ".unikraft/libs/" + $0 }) == catalog)
        #expect(Set(catalog.map(LibrarySymbols.enableSymbol)).count == catalog.count, "two catalog libraries share an enable symbol")
    }

    /// Without a tree the planner's seed enables each listed library by the rule; a catalog
    /// library is not warned about, another one is (with a tree known, its symbol is a guess).
    @Test func theSeedUsesTheRule() {
        var seeds = SeedBuilder(file: "kraft.yaml", librarySymbols: [:])
        let at = SourceRange(at: SourcePosition(line: 1, column: 1))
        for name in LibrarySymbols.catalog {
            #expect(seeds.librarySymbol(Located(name, at: at), treeKnown: true) == LibrarySymbols.enableSymbol(ofLibrary: name))
        }
        #expect(seeds.diagnostics.isEmpty)
        #expect(seeds.librarySymbol(Located("my-own", at: at), treeKnown: true) == "CONFIG_LIBMY_OWN")
        #expect(seeds.diagnostics.map(\.id) == ["library-symbol"])
    }
}
