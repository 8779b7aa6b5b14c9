import Testing
import Manifest
import Planner
import Import

/// Import and the planner read a library's enable symbol by the same rule (`LibrarySymbols`):
/// a configuration enabling a catalog library's symbol imports that library, and the planner's
/// seed for the imported manifest enables the same symbol.
@Suite struct ImportLibrarySymbolTests {
    @Test(arguments: LibrarySymbols.catalog)
    func aCatalogLibraryComesBackAsTheSameSymbol(_ name: String) throws {
        let symbol = LibrarySymbols.enableSymbol(ofLibrary: name)
        let config = "CONFIG_ARCH_X86_64=y\nCONFIG_PLAT_KVM=y\nCONFIG_KVM_VMM_QEMU=y\n\(symbol)=y\n"
        var importer = SetupImporter(ImportInput(folderName: "app", files: [SetupFile(path: "defconfig.qemu-x86_64", text: config)]))
        let setup = importer.run()
        #expect(setup.libraries.map(\.name) == [name], "\(importer.diagnostics)")
        #expect(setup.libraryOrder == nil, "a single guessed library is in the default order")
        let (text, _) = ImportedManifestWriter.render(setup, spec: .v0_6)
        let plan = Planning.plan(try ImportRoundTripTests.load(text)).plan
        let seed = try #require(plan.targets.first?.seed)
        #expect(seed.contains { $0.symbol == symbol && $0.value == "y" }, "\(text)")
        #expect(!seed.contains { $0.symbol != symbol && $0.symbol.hasPrefix("CONFIG_LIB") }, "\(text)")
    }

    /// Several guessed libraries come in catalog order, which is the default order: no
    /// `library-order` is written for them.
    @Test func guessedLibrariesNeedNoOrderOfTheirOwn() {
        let config = "CONFIG_ARCH_X86_64=y\nCONFIG_PLAT_KVM=y\nCONFIG_LIBREDIS=y\nCONFIG_LIBNGINX=y\nCONFIG_LIBMUSL=y\n"
        var importer = SetupImporter(ImportInput(folderName: "app", files: [SetupFile(path: "defconfig.qemu-x86_64", text: config)]))
        let setup = importer.run()
        #expect(setup.libraries.map(\.name) == ["musl", "nginx", "redis"])
        #expect(setup.libraryOrder == nil)
    }
}
