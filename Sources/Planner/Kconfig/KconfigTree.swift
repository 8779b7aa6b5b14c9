import Diagnostics

/// Everything parsed from a Kconfig tree; immutable once loaded.
final class KconfigStorage: @unchecked Sendable {
    let symbols: SymbolTable
    let root: MenuNode
    let mainMenu: String
    let files: [String]
    /// The names of every defined symbol, in definition order.
    let definedNames: [String]

    init(symbols: SymbolTable, root: MenuNode, mainMenu: String, files: [String]) {
        self.symbols = symbols
        self.root = root
        self.mainMenu = mainMenu
        self.files = files
        definedNames = symbols.symbols.filter { !$0.isConstant && !$0.isChoice && $0.hasDefinition }.map(\.name)
    }
}

/// A loaded Kconfig tree: the menu structure and every symbol, ready to evaluate seeds.
///
/// ```swift
/// let (tree, diagnostics) = KconfigTree.load(root: "/src/unikraft/Config.uk", fileSystem: fs, environment: env)
/// let (config, more) = tree.evaluate(seed: ConfigReader.read(seedText, file: "seed").assignments)
/// let text = ConfigWriter.write(config)
/// ```
public struct KconfigTree: Sendable {
    let storage: KconfigStorage

    /// The `mainmenu` title with its macros expanded ("Main menu" when there is none).
    public var mainMenu: String { storage.mainMenu }

    /// Every file read, in the order they were read.
    public var files: [String] { storage.files }

    /// Reads the tree rooted at `root`.
    ///
    /// - Parameters:
    ///   - root: path of the top Kconfig file.
    ///   - sourceTree: folder that relative `source` paths are resolved against; the root's folder when `nil`.
    ///   - fileSystem: where files are read from.
    ///   - environment: the variables `$(VAR)` falls back to (conf reads the process environment).
    ///   - shell: answers `$(shell,…)`; generated files it writes are read back through the same overlay.
    ///   - cache: where a tree loaded before from the same inputs is taken from, and this one kept
    ///     (when the shell resolver has a `cacheKey`).
    /// - Returns: the tree, and the problems found. With errors, the tree holds what could be parsed.
    public static func load(
        root: String,
        sourceTree: String? = nil,
        fileSystem: any KconfigFileSystem,
        environment: [String: String] = [:],
        environmentGaps: KconfigEnvironmentGaps? = nil,
        shell: any KconfigShellResolver = NoShellResolver(),
        cache: KconfigTreeCache? = nil
    ) -> (tree: KconfigTree, diagnostics: [Diagnostic]) {
        guard let cache, let key = cacheKey(root: root, sourceTree: sourceTree, shell: shell) else {
            let loaded = withLargeStack {
                loadOnThisThread(root: root, sourceTree: sourceTree, fileSystem: fileSystem, environment: environment,
                                 environmentGaps: environmentGaps, shell: shell)
            }
            return (loaded.tree, loaded.diagnostics)
        }
        if let hit = cache.lookup(key, environment: environment, gaps: environmentGaps, fileSystem: fileSystem) { return hit }
        let log = KconfigReadLog()
        let recording = RecordingKconfigFileSystem(base: fileSystem, log: log)
        let loaded = withLargeStack {
            loadOnThisThread(root: root, sourceTree: sourceTree, fileSystem: recording, environment: environment,
                             environmentGaps: environmentGaps, shell: shell)
        }
        let environmentReads = loaded.environmentRead.sorted().map {
            KconfigTreeCache.EnvironmentRead(name: $0, environment: environment, gaps: environmentGaps)
        }
        cache.store(KconfigTreeCache.Entry(key: key, environment: environmentReads, reads: log.reads,
                                           tree: loaded.tree, diagnostics: loaded.diagnostics))
        return (loaded.tree, loaded.diagnostics)
    }

    /// Starts reading the tree `load` would find in `cache` for the same root, source folder and
    /// shell (its decoding on another thread), so that the caller can work out the environment
    /// meanwhile; `load` then checks it and takes it.
    public static func prefetch(root: String, sourceTree: String? = nil, shell: any KconfigShellResolver, cache: KconfigTreeCache?) {
        guard let cache, let key = cacheKey(root: root, sourceTree: sourceTree, shell: shell) else { return }
        cache.prefetch(key)
    }

    /// The cache's key for a load; nil when the shell resolver has none (its answers cannot be told apart).
    private static func cacheKey(root: String, sourceTree: String?, shell: any KconfigShellResolver) -> KconfigTreeCache.Key? {
        shell.cacheKey.map { KconfigTreeCache.Key(root: root, sourceTree: sourceTree ?? "", shell: $0) }
    }

    private static func loadOnThisThread(
        root: String, sourceTree: String?, fileSystem: any KconfigFileSystem,
        environment: [String: String], environmentGaps: KconfigEnvironmentGaps?, shell: any KconfigShellResolver
    ) -> (tree: KconfigTree, diagnostics: [Diagnostic], environmentRead: Set<String>) {
        let overlay = InMemoryKconfigFileSystem(files: [:], fallback: fileSystem)
        let preprocessor = KconfigPreprocessor(environment: environment, environmentGaps: environmentGaps, shell: shell, fileSystem: overlay)
        let tree = sourceTree ?? root.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let parser = KconfigParser(preprocessor: preprocessor, sourceTree: tree, rootFile: root)
        parser.parseFile(root, into: parser.root, includedFrom: nil)
        var finalizer = KconfigFinalizer(parser: parser)
        let finalized = finalizer.run()
        let all: [Diagnostic] = preprocessor.diagnostics.all + parser.diagnostics.all + finalized
        let storage = KconfigStorage(symbols: parser.symbols, root: parser.root,
                                     mainMenu: parser.mainMenu ?? "Main menu", files: parser.filesRead)
        return (KconfigTree(storage: storage), all, preprocessor.usedEnvironment)
    }

    /// Evaluates the tree with `seed` as user values, as `conf --defconfig=<seed>` does.
    ///
    /// Unknown symbols in the seed are ignored silently (as conf does); invalid values
    /// produce warnings and are ignored; `select` with unmet dependencies produces warnings.
    public func evaluate(seed: [KconfigAssignment]) -> (configuration: KconfigConfiguration, diagnostics: [Diagnostic]) {
        let evaluator = KconfigEvaluator(storage: storage)
        return withLargeStack {
            evaluator.load(seed)
            evaluator.computeAll()
            evaluator.reportIgnoredUserValues()
            return (KconfigConfiguration(evaluator: evaluator), evaluator.diagnostics.all)
        }
    }

    /// The names of every defined symbol, in definition order.
    public var symbolNames: [String] { storage.definedNames }

    /// What the tree says about the symbol `name` (without `CONFIG_`), or `nil` when it is not defined.
    public func symbol(named name: String) -> KconfigSymbolInfo? {
        guard let id = storage.symbols.byName[name] else { return nil }
        let s = storage.symbols.symbols[id]
        guard s.hasDefinition else { return nil }
        return KconfigSymbolInfo(symbol: s, table: storage.symbols)
    }

    /// The defined symbol names closest to `name`, for "did you mean".
    public func suggestion(for name: String) -> String? {
        Suggestion.closest(to: name, among: symbolNames)
    }
}
