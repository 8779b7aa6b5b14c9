import Foundation
import Manifest
import Planner
import Testing
import TestSupport
import Diagnostics
@testable import Import
@testable import Emitters

/// Every folder of `../shared/corpus/manual`, imported and emitted again: the targets,
/// libraries (in `L=` order), memory, kernel arguments and volumes come back. The
/// corpus keeps no Makefiles; a Makefile in the folder's style is written from the facts
/// of its `SETUPS.md`. Skipped when the corpus is absent.
@Suite(.enabled(if: ImportCorpus.available)) struct ImportCorpusTests {
    static var corpus: URL { ImportCorpus.folder }
    static var setups: [Setup] { ImportCorpus.setups }
    typealias Setup = ImportCorpus.Setup

    /// A Makefile in the setup's style, from its facts.
    static func makefile(_ setup: Setup) -> String {
        if setup.style == "tutorial" {
            let libs = setup.entries.map { "$(UK_LIBS)/\($0)" }.joined(separator: ":")
            return "UK_ROOT ?= $(PWD)/../../unikraft\nUK_LIBS ?= $(PWD)/../../libs\nLIBS := \(libs)\n\nall:\n\t@$(MAKE) -C $(UK_ROOT) A=$(PWD) L=$(LIBS)\n\n$(MAKECMDGOALS):\n\t@$(MAKE) -C $(UK_ROOT) A=$(PWD) L=$(LIBS) $(MAKECMDGOALS)\n"
        }
        let libs = setup.entries.map { $0 == "(the app folder itself)" ? "$(PWD)" : "$(LIBS_BASE)/\($0)" }.joined(separator: ":")
        return "UK_ROOT ?= $(PWD)/workdir/unikraft\nUK_BUILD ?= $(PWD)/workdir/build\nUK_APP ?= $(PWD)\nLIBS_BASE = $(PWD)/workdir/libs\nUK_LIBS ?= \(libs)\n\n.PHONY: all\n\nall:\n\t@$(MAKE) -C $(UK_ROOT) L=$(UK_LIBS) A=$(UK_APP) O=$(UK_BUILD)\n\n$(MAKECMDGOALS):\n\t@$(MAKE) -C $(UK_ROOT) L=$(UK_LIBS) A=$(UK_APP) O=$(UK_BUILD) $(MAKECMDGOALS)\n"
    }

    /// The folder's files (top level and `.scripts/defconfig`), and its sub-folders.
    static func files(_ folder: URL) -> ([SetupFile], [String]) {
        let fm = FileManager.default
        var files: [SetupFile] = []
        var folders: [String] = []
        for name in ((try? fm.contentsOfDirectory(atPath: folder.path)) ?? []).sorted() {
            var isDirectory: ObjCBool = false
            _ = fm.fileExists(atPath: folder.appendingPathComponent(name).path, isDirectory: &isDirectory)
            if isDirectory.boolValue { folders.append(name); continue }
            if let text = try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8) { files.append(SetupFile(path: name, text: text)) }
        }
        for name in ((try? fm.contentsOfDirectory(atPath: folder.appendingPathComponent(".scripts/defconfig").path)) ?? []).sorted() {
            if let text = try? String(contentsOf: folder.appendingPathComponent(".scripts/defconfig/" + name), encoding: .utf8) {
                files.append(SetupFile(path: ".scripts/defconfig/" + name, text: text))
            }
        }
        return (files, folders)
    }

    /// A command line's meaning: parameters (fstab, env, addresses, others) and arguments.
    static func meaning(_ text: String) -> String {
        guard case .success(let words) = KernelArguments.tokenize(text) else { return "unreadable" }
        let k = KernelArguments.read(words) { RunFacts.target(ofImage: $0) != nil }
        let addresses = k.addresses.map { a in String(a.reversed().drop { $0 == ":" }.reversed()) }
        return "fstab \(k.fstab) env \(k.environment) ip \(addresses) params \(k.parameters) args \(k.arguments)"
    }

    struct Outcome {
        var setup: ImportedSetup
        var diagnostics: [Diagnostic]
        var plan: Plan
        var emitted: [String: String]
        var original: [String: String]
    }

    static func importAndEmit(_ setup: Setup) throws -> Outcome {
        let folder = corpus.appendingPathComponent(setup.folder)
        var (files, folders) = files(folder)
        let original = Dictionary(uniqueKeysWithValues: files.map { ($0.path, $0.text) })
        files.append(SetupFile(path: "Makefile", text: makefile(setup)))
        var importer = SetupImporter(ImportInput(folderName: folder.lastPathComponent, files: files, subfolders: folders))
        let imported = importer.run()
        let text = ImportedManifestWriter.render(imported).text
        let loaded = ManifestLoader().load(Array(text.utf8), file: "kraft.yaml")
        #expect(!loaded.hasErrors, "\(setup.folder): \(loaded.diagnostics)\n\(text)")
        let manifest = try #require(loaded.manifest)
        let (plan, planDiagnostics) = Planning.plan(manifest)
        #expect(!planDiagnostics.contains { $0.severity == .error }, "\(setup.folder): \(planDiagnostics)")
        let emitted = Dictionary(uniqueKeysWithValues: Artifact.emit(Set(Artifact.allCases), plan: plan).map { ($0.path, $0.contents) })
        return Outcome(setup: imported, diagnostics: importer.diagnostics, plan: plan, emitted: emitted, original: original)
    }

    @Test(arguments: ImportCorpus.setups.filter { $0.folder != "behind-sol/09-a-new-source-file" })
    func importThenEmitGivesTheSetupBack(_ setup: Setup) throws {
        let outcome = try Self.importAndEmit(setup)
        let plan = outcome.plan

        // Targets: one per defconfig, and per Firecracker or Xen file.
        var expected = Set<String>()
        for path in outcome.original.keys {
            let named = SetupImporter.target(ofFileName: path)
            if path.hasPrefix(".scripts/defconfig/") || path.hasSuffix(".json") || path.hasSuffix(".cfg"), let p = named.platform, let a = named.architecture {
                expected.insert("\(p.rawValue)/\(a.rawValue)")
            }
        }
        if setup.folder.hasPrefix("behind-sol/06") { expected = ["qemu/x86_64"] }
        #expect(Set(plan.targets.map { "\($0.platform.rawValue)/\($0.architecture.rawValue)" }) == expected, "\(setup.folder)")

        // Libraries, in L= order.
        let libraries = setup.entries.filter { $0 != "(the app folder itself)" }.map { PlanEnvironment.libraryName(ofFolder: $0) }
        // Exactly the L= order: the manifest states it (x-manifestc.library-order) when the default rule would differ.
        #expect(plan.libraries.map(\.name) == libraries, "\(setup.folder)")
        let makefile = try #require(outcome.emitted["Makefile"])
        #expect(makefile.contains("LIBS := " + plan.libraries.map { "$(UK_LIBS)/lib-\($0.name)" }.joined(separator: ":")) || libraries.isEmpty, "\(setup.folder)")
        // python3-hello puts compiler-rt last, nginx and redis put lwip after their own library: not KraftKit's order.
        #expect((outcome.setup.libraryOrder != nil) == ["python3-hello", "nginx", "redis"].contains(setup.folder), "\(setup.folder)")

        // Memory and kernel arguments, per Firecracker and Xen file; differences the import reported are expected.
        let reported = Set(outcome.diagnostics.filter { $0.id == "import-cmdline-differs" }.compactMap { $0.location?.file })
        for (path, text) in outcome.original {
            guard let platform = SetupImporter.target(ofFileName: path).platform, let arch = SetupImporter.target(ofFileName: path).architecture,
                  path.hasSuffix(".json") || path.hasSuffix(".cfg") else { continue }
            let id = "\(platform.rawValue)-\(arch.rawValue)"
            let facts: RunFacts? = path.hasSuffix(".json") ? FirecrackerConfigReader.read(text, file: path).facts : XenConfigReader.read(text, file: path).facts
            let emittedPath = path.hasSuffix(".json") ? "\(id).json" : "\(id).cfg"
            let emittedText = try #require(outcome.emitted[emittedPath], "\(setup.folder): \(emittedPath)")
            let again: RunFacts? = path.hasSuffix(".json") ? FirecrackerConfigReader.read(emittedText, file: emittedPath).facts : XenConfigReader.read(emittedText, file: emittedPath).facts
            #expect(again?.memoryMiB?.value == facts?.memoryMiB?.value, "\(setup.folder)/\(path): memory")
            if !reported.contains(path), let words = facts?.commandLine {
                let before = Self.meaning(words.map(KernelCommandLine.quote).joined(separator: " "))
                let after = Self.meaning(again?.commandLine?.map(KernelCommandLine.quote).joined(separator: " ") ?? "")
                #expect(before == after, "\(setup.folder)/\(path): kernel arguments")
            }
            let initrd = facts?.initrd.map { $0.hasPrefix("./") ? String($0.dropFirst(2)) : $0 }
            #expect(again?.initrd.map { $0.hasPrefix("./") ? String($0.dropFirst(2)) : $0 } == initrd, "\(setup.folder)/\(path): initrd")
        }
        // Differences are never silent: at most one reading per folder was not kept, and each is a warning.
        #expect(reported.allSatisfy { outcome.original[$0] != nil })

        // Volumes: the tutorial's 9p root, guest_fs with tag fs0.
        let shares = plan.targets.flatMap(\.run.shares)
        if setup.folder.hasPrefix("behind-sol/06") {
            #expect(shares.map(\.hostPath) == ["./guest_fs"] && shares.map(\.tag) == ["fs0"])
            let launch = try #require(outcome.emitted["launch.sh"])
            #expect(launch.contains("shares=(./guest_fs)") && launch.contains("share_tags=(fs0)"))
        } else {
            #expect(shares.isEmpty, "\(setup.folder)")
        }
    }

    /// The tutorial's second folder has nothing but a kraft.yaml: no configuration and no
    /// launch setting, so there is no target to import, which is an error, not a crash.
    @Test func aFolderWithoutASetupIsAnError() throws {
        let setup = try #require(Self.setups.first { $0.folder == "behind-sol/09-a-new-source-file" })
        let folder = Self.corpus.appendingPathComponent(setup.folder)
        var (files, _) = Self.files(folder)
        files.append(SetupFile(path: "Makefile", text: Self.makefile(setup)))
        var importer = SetupImporter(ImportInput(folderName: "09", files: files))
        let imported = importer.run()
        #expect(imported.libraries.map(\.name) == ["newlib"])
        #expect(importer.diagnostics.map(\.id) == ["import-no-targets"])
    }
}

/// Where the corpus of manual setups is, and the facts of its SETUPS.md.
enum ImportCorpus {
    static var folder: URL {
        if let c = ProcessInfo.processInfo.environment["MANIFESTC_CORPUS"] { return URL(fileURLWithPath: c).appendingPathComponent("manual") }
        return TestPaths.repository.deletingLastPathComponent().appendingPathComponent("shared/corpus/manual")
    }

    static var available: Bool { FileManager.default.fileExists(atPath: folder.appendingPathComponent("SETUPS.md").path) }

    struct Setup: Sendable, CustomStringConvertible {
        var folder: String
        var style: String
        /// `L=` entries as SETUPS.md lists them (`(the app folder itself)` included).
        var entries: [String]
        var description: String { folder }
    }

    /// The table rows of SETUPS.md.
    static var setups: [Setup] {
        guard let text = try? String(contentsOf: folder.appendingPathComponent("SETUPS.md"), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line -> Setup? in
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 5, cells[1].hasPrefix("`") else { return nil }
            let entries = cells[3] == "(none)" ? [] : cells[3].components(separatedBy: ", ")
            return Setup(folder: cells[1].trimmingCharacters(in: CharacterSet(charactersIn: "`")), style: cells[2], entries: entries)
        }
    }

}
