import Manifest

/// Everything parsed from a Kconfig tree; immutable once loaded.
final class KconfigStorage: @unchecked Sendable {
    let symbols: SymbolTable
    let root: MenuNode
    let mainMenu: String
    let files: [String]

    init(symbols: SymbolTable, root: MenuNode, mainMenu: String, files: [String]) {
        self.symbols = symbols
        self.root = root
        self.mainMenu = mainMenu
        self.files = files
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
    /// - Returns: the tree, and the problems found. With errors, the tree holds what could be parsed.
    public static func load(
        root: String,
        sourceTree: String? = nil,
        fileSystem: any KconfigFileSystem,
        environment: [String: String] = [:],
        shell: any KconfigShellResolver = NoShellResolver()
    ) -> (tree: KconfigTree, diagnostics: [Diagnostic]) {
        withLargeStack { loadOnThisThread(root: root, sourceTree: sourceTree, fileSystem: fileSystem, environment: environment, shell: shell) }
    }

    private static func loadOnThisThread(
        root: String, sourceTree: String?, fileSystem: any KconfigFileSystem,
        environment: [String: String], shell: any KconfigShellResolver
    ) -> (tree: KconfigTree, diagnostics: [Diagnostic]) {
        let overlay = InMemoryKconfigFileSystem(files: [:], fallback: fileSystem)
        let preprocessor = KconfigPreprocessor(environment: environment, shell: shell, fileSystem: overlay)
        let tree = sourceTree ?? root.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let parser = KconfigParser(preprocessor: preprocessor, sourceTree: tree, rootFile: root)
        parser.parseFile(root, into: parser.root, includedFrom: nil)
        var finalizer = KconfigFinalizer(parser: parser)
        let finalized = finalizer.run()
        let all: [Diagnostic] = preprocessor.diagnostics.all + parser.diagnostics.all + finalized
        let storage = KconfigStorage(symbols: parser.symbols, root: parser.root,
                                     mainMenu: parser.mainMenu ?? "Main menu", files: parser.filesRead)
        return (KconfigTree(storage: storage), all)
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
            return (KconfigConfiguration(evaluator: evaluator), evaluator.diagnostics.all)
        }
    }

    /// The names of every defined symbol, in definition order.
    public var symbolNames: [String] {
        storage.symbols.symbols.filter { !$0.isConstant && !$0.isChoice && $0.hasDefinition }.map(\.name)
    }

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

/// What a tree says about one symbol: for type-checking values and for explanations.
public struct KconfigSymbolInfo: Sendable, Hashable {
    /// The name without `CONFIG_`.
    public var name: String
    public var type: KconfigType
    /// The first prompt, or `nil` for a symbol users cannot set.
    public var prompt: String?
    /// Every `config`/`menuconfig` line that defines it.
    public var definedAt: [SourceLocation]
    /// The `range` lines as written (bounds as symbol names or numbers).
    public var ranges: [KconfigRange]
    /// Whether it is a member of a `choice`.
    public var isChoiceMember: Bool
    public var help: String?

    init(symbol s: KSymbol, table: SymbolTable) {
        name = s.name
        type = s.type
        prompt = s.prompts.first?.text
        definedAt = s.definitions
        ranges = s.ranges.map { KconfigRange(low: table.symbols[$0.low].name, high: table.symbols[$0.high].name, location: $0.location) }
        isChoiceMember = s.choice != nil
        help = s.help
    }
}

/// A `range low high` of an int or hex symbol.
public struct KconfigRange: Sendable, Hashable {
    public var low: String
    public var high: String
    public var location: SourceLocation
}

/// One seed line: `CONFIG_NAME=value` or `# CONFIG_NAME is not set`.
public struct KconfigAssignment: Sendable, Hashable {
    public enum Value: Sendable, Hashable {
        /// `# CONFIG_X is not set`.
        case notSet
        /// The text after `=`, exactly as in a `.config` (strings keep their quotes).
        case raw(String)
    }

    /// The symbol name without `CONFIG_`.
    public var name: String
    public var value: Value
    /// Where the line is, for diagnostics.
    public var location: SourceLocation?

    public init(name: String, value: Value, location: SourceLocation? = nil) {
        self.name = name
        self.value = value
        self.location = location
    }

    /// `CONFIG_NAME=y` or `# CONFIG_NAME is not set`.
    public static func bool(_ name: String, _ on: Bool, at location: SourceLocation? = nil) -> KconfigAssignment {
        KconfigAssignment(name: name, value: on ? .raw("y") : .notSet, location: location)
    }

    /// `CONFIG_NAME="text"` with `\` and `"` escaped.
    public static func string(_ name: String, _ text: String, at location: SourceLocation? = nil) -> KconfigAssignment {
        KconfigAssignment(name: name, value: .raw(ConfigWriter.quote(text)), location: location)
    }

    /// The line as it appears in a `.config`.
    public var line: String {
        switch value {
        case .notSet: "# CONFIG_\(name) is not set"
        case .raw(let text): "CONFIG_\(name)=\(text)"
        }
    }
}

/// One step of why a symbol has its value.
public struct KconfigDecision: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case user, defaultValue = "default", selected, implied, choice, range, noValue = "none"
    }

    public var kind: Kind
    public var message: String
    /// The seed line or Kconfig line responsible.
    public var location: SourceLocation?

    init(_ kind: Kind, _ message: String, at location: SourceLocation?) {
        self.kind = kind
        self.message = message
        self.location = location
    }

    public var description: String {
        location.map { "\($0): \(message)" } ?? message
    }
}

/// The value of one symbol after evaluation.
public struct KconfigValue: Sendable, Hashable {
    public var name: String
    public var type: KconfigType
    /// `y`/`n` for booleans, the text for strings (unescaped), the spelling for int/hex.
    public var value: String
    /// Whether conf writes it into `.config`.
    public var isWritten: Bool
    /// Why it has this value, most decisive step last.
    public var explanation: [KconfigDecision]
}

/// The full configuration of a tree for one seed.
public struct KconfigConfiguration: Sendable {
    let evaluator: KconfigEvaluator

    /// The `mainmenu` title.
    public var mainMenu: String { evaluator.storage.mainMenu }

    /// The value of symbol `name` (without `CONFIG_`), or `nil` when it is not defined.
    public func value(of name: String) -> KconfigValue? {
        guard let id = evaluator.storage.symbols.byName[name] else { return nil }
        let s = evaluator.storage.symbols.symbols[id]
        guard s.hasDefinition, !s.isChoice else { return nil }
        return KconfigValue(name: s.name, type: s.type,
                            value: s.type.isBoolean ? evaluator.tri[id].letter : evaluator.val[id],
                            isWritten: evaluator.write[id] && s.type != .unknown,
                            explanation: evaluator.reasons[id])
    }

    /// Every defined symbol's value, in definition order.
    public var values: [KconfigValue] {
        evaluator.storage.symbols.symbols.compactMap { s in
            s.isConstant || s.isChoice || !s.hasDefinition ? nil : value(of: s.name)
        }
    }
}
