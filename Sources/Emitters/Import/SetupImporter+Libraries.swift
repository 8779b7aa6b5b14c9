import Manifest
import Planner
import Diagnostics
import Kconfig

extension SetupImporter {
    /// The libraries: the Makefile's `L=` order, else the configurations' enable symbols; the
    /// library order when it is not the default.
    mutating func findLibraries(_ setup: inout ImportedSetup, _ reading: Reading, sources: [[ConfigSource]], assignments: [String: String]) {
        if var makefile = reading.makefile {
            setup.app = foreignApp(&makefile, file: makefile.file)
            setup.libraries = libraries(from: &makefile, file: makefile.file, foreignApp: setup.app != nil)
            diagnostics += makefile.diagnostics.filter { !diagnostics.contains($0) }
            for name in Self.enabledCatalogLibraries(assignments) where !setup.libraries.contains(where: { $0.name == name }) {
                let symbol = LibrarySymbols.enableSymbol(ofLibrary: name)
                let at = sources.joined().lazy.compactMap { c in c.assignments.first { "CONFIG_" + $0.name == symbol }?.location }.first
                diagnostics.append(.warning("import-library-missing", "'\(symbol)=y' enables library '\(name)', which the Makefile's L= does not list; it stays a kconfig option (add the library to the manifest if the setup has it)", at: at))
            }
        } else {
            for name in Self.enabledCatalogLibraries(assignments) {
                setup.libraries.append(.init(name: name, folder: nil))
            }
            if !setup.libraries.isEmpty {
                setup.comment("libraries", "guessed from the configuration's enable symbols (no Makefile was found); check the L= order")
            }
        }
        // Written libraries come from their remote source: by default they sort by name after the leading ones.
        let names = setup.libraries.map(\.name)
        let byDefault = LibraryOrder.defaultOrder(setup.libraries, name: \.name) { $0.source.map { String($0.dropFirst(2)) } ?? ".unikraft/libs/" + $0.name }
        if byDefault.map(\.name) != names {
            setup.libraryOrder = names
            setup.comment("x-manifestc", "library-order: the setup's L= order (\(names.joined(separator: ", "))), which is not the default (libc and C++ runtimes first, the others by name); it decides the order of the libraries' options in .config")
        }
        if !setup.libraries.isEmpty { setup.comment("libraries", "versions guessed: a manual setup does not record which version of each library it uses") }
    }

    /// The catalog libraries whose enable symbol the configurations set to `y`, in catalog order.
    static func enabledCatalogLibraries(_ assignments: [String: String]) -> [String] {
        LibrarySymbols.catalog.filter { assignments[String(LibrarySymbols.enableSymbol(ofLibrary: $0).dropFirst("CONFIG_".count))] == "y" }
    }

    /// With another folder for the app, make is given no `N=`: `CONFIG_UK_DEFNAME` is that folder's
    /// name, which manifestc passes as `N=` when it is the manifest's name. An image name of the
    /// setup's own (`CONFIG_UK_NAME`) stays a kconfig option every target shares.
    func foreignAppName(_ setup: inout ImportedSetup) {
        guard let app = setup.app, let folder = app.split(separator: "/").last.map(String.init), Naming.normalize(folder) == folder, setup.name != folder else { return }
        let option = ImportedSetup.Option(symbol: "CONFIG_UK_NAME", value: ConfigWriter.quote(setup.name))
        setup.commonOptions.append(option)
        for i in setup.targets.indices { setup.targets[i].options.removeAll { $0.symbol == option.symbol } }
        setup.comment("name", "make's default name: the application folder's ('\(folder)'); the setup's image name '\(setup.name)' is kept as CONFIG_UK_NAME")
        setup.name = folder
    }

    /// The application folder make is given (`A=` of the recipe running Unikraft's make, else
    /// `UK_APP`), expanded, when it is set.
    private func app(of makefile: inout MakefileReader) -> String? {
        for recipe in makefile.recipes where recipe.text.contains("$(MAKE)") || recipe.text.contains("make ") {
            let words = recipe.text.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if let word = words.first(where: { $0.hasPrefix("A=") }) { return trimmed(makefile.expand(String(word.dropFirst(2)), at: recipe.location)) }
        }
        return makefile.value(of: "UK_APP").map(trimmed)
    }

    private func trimmed(_ path: String) -> String {
        var path = path.trimmingWhitespace()
        while path.hasSuffix("/") { path.removeLast() }
        return path
    }

    /// `x-manifestc.app` for an application folder inside the setup's folder, or nil (with a
    /// warning when the app is a folder the manifest cannot name).
    private mutating func foreignApp(_ makefile: inout MakefileReader, file: String) -> String? {
        guard let folder = app(of: &makefile), folder != MakefileReader.appFolder, folder != "." else { return nil }
        let prefix = MakefileReader.appFolder + "/"
        guard folder.hasPrefix(prefix), !folder.contains("$"), !folder.split(separator: "/").contains("..") else {
            diagnostics.append(.warning("import-app-folder", "make's application folder '\(folder.replacingOccurrences(MakefileReader.appFolder, with: "$(PWD)"))' is not a folder inside the setup; the setup's own folder is taken for the app",
                                        at: SourceLocation(file: file, line: 1, column: 1)))
            return nil
        }
        return "./" + folder.dropFirst(prefix.count)
    }

    private mutating func libraries(from makefile: inout MakefileReader, file: String, foreignApp: Bool) -> [ImportedSetup.Library] {
        var text: String?
        var location = SourceLocation(file: file, line: 1, column: 1)
        // The `L=` of a recipe running Unikraft's make, else the usual variables.
        for recipe in makefile.recipes where recipe.text.contains("$(MAKE)") || recipe.text.contains("make ") {
            let words = recipe.text.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if let word = words.first(where: { $0.hasPrefix("L=") }) {
                text = makefile.expand(String(word.dropFirst(2)), at: recipe.location)
                location = recipe.location
                break
            }
        }
        if text == nil {
            for variable in ["LIBS", "UK_LIBS", "L"] {
                if let value = makefile.value(of: variable) {
                    text = value
                    location = makefile.location(of: variable) ?? location
                    break
                }
            }
        }
        guard let text else { return [] }
        let appFolder = app(of: &makefile) ?? MakefileReader.appFolder
        var libraries: [ImportedSetup.Library] = []
        for part in text.split(whereSeparator: { $0 == ":" || $0 == " " || $0 == "\t" }).map(String.init) {
            var path = part
            while path.hasSuffix("/") { path.removeLast() }
            if path.isEmpty { continue }
            if foreignApp, path == MakefileReader.appFolder || path == "." {
                // The setup's own folder is a library of another app (catalog-core's elfloader apps).
                if !libraries.contains(where: { $0.source != nil }) { libraries.append(.init(name: Naming.normalize(input.folderName), folder: "$(PWD)", source: "./")) }
                continue
            }
            if path == MakefileReader.appFolder || path == appFolder || path == "." {
                diagnostics.append(.note("import-app-in-libs", "the application folder itself is in L= (its own Config.uk and Makefile.uk); it is the app, not a library", at: location))
                continue
            }
            if path.contains("$") {
                diagnostics.append(.warning("import-library-path", "'\(path)' in L= could not be expanded; it is left out", at: location))
                continue
            }
            let name = PlanEnvironment.libraryName(ofFolder: path)
            if libraries.contains(where: { $0.name == name }) { continue }
            libraries.append(.init(name: name, folder: path.replacingOccurrences(MakefileReader.appFolder, with: "$(PWD)")))
        }
        return libraries
    }
}
