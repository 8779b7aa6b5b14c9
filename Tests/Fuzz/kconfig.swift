// libFuzzer target `kconfig`: the Kconfig engine on a small in-memory tree.
//
// The input is split at each line `%%` ("\n%%\n"): the parts are, in order,
// `/t/Kconfig` (the root), `/t/sub/Kconfig`, `/t/lib/one/Config.uk`, the seed
// (`.config` text), and any further parts `/t/more/1.uk`, `/t/more/2.uk`, ... so that
// `source "sub/Kconfig"`, `source "lib/*/Config.uk"` and `osource "more/*.uk"` reach
// them. The tree is loaded, evaluated with the seed, written as a `.config`, read
// back, and every symbol explained, as `manifestc plan` and `explain` do.
// Built and run by scripts/fuzz.sh; scripts/fuzz.sh makes its seed corpus from the
// Kconfig fixtures in this layout.
import Manifest
import Planner
import Diagnostics
import Kconfig

private let paths = ["/t/Kconfig", "/t/sub/Kconfig", "/t/lib/one/Config.uk"]
private let environment = ["UK_BASE": "/t", "SRCARCH": "x86", "ARCH": "x86_64", "UK_NAME": "fuzz"]
private let shell = TableShellResolver(["echo y": "y\n", "echo from shell": "from shell\n", "uname -m": "x86_64\n"])

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzKconfig(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let sections = fuzzSections(fuzzBytes(data, size), separator: Array("\n%%\n".utf8))
    var fs = InMemoryKconfigFileSystem()
    var seedText = ""
    for (i, section) in sections.enumerated() {
        switch i {
        case 0..<3: fs.files[paths[i]] = section
        case 3: seedText = String(decoding: section, as: UTF8.self)
        default: fs.files["/t/more/\(i - 3).uk"] = section
        }
    }
    let (tree, loadDiagnostics) = KconfigTree.load(root: "/t/Kconfig", fileSystem: fs, environment: environment, shell: shell)
    let (seed, seedDiagnostics) = ConfigReader.read(seedText, file: "/t/seed")
    let (configuration, evalDiagnostics) = tree.evaluate(seed: seed)
    let text = ConfigWriter.write(configuration)

    // conf reads its own output back to the same configuration (`make oldconfig` changes
    // nothing). Only for trees without errors: conf stops on those, and a tree parsed
    // with errors (a choice never closed, say) has no configuration to compare with.
    if !loadDiagnostics.contains(where: { $0.severity == .error }) {
        let (again, _) = ConfigReader.read(text, file: "/t/.config")
        let textAgain = ConfigWriter.write(tree.evaluate(seed: again).configuration)
        fuzzCheck(textAgain == text, "the written .config does not read back to itself:\n--- first\n\(text)\n--- again\n\(textAgain)")
    }

    for name in tree.symbolNames.prefix(64) {
        _ = configuration.explain(name)
        _ = tree.suggestion(for: name + "X")
    }
    let diagnostics = loadDiagnostics + seedDiagnostics + evalDiagnostics
    var sources: [String: SourceText] = ["/t/seed": SourceText(file: "/t/seed", text: seedText)]
    for (path, bytes) in fs.files { sources[path] = SourceText(file: path, bytes: bytes) }
    _ = DiagnosticRenderer(sources: sources).render(diagnostics)
    return 0
}
