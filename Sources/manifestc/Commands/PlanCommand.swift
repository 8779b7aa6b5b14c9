import ArgumentParser
import Driver
import Emitters
import FoundationEssentials
import Manifest
import Planner
import Diagnostics
import Kconfig

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        _superCommandName: "manifestc",
        abstract: "Print the full .config of one target, as Unikraft's 'make defconfig' would write it.",
        discussion: """
            The manifest's kconfig is type-checked against the real symbols of the tree: unknown \
            symbols are warnings with a "did you mean"; values of the wrong type, out of range, or \
            that the dependencies make impossible are errors at the manifest's line. The tree: \
            --uk-root (or UK_ROOT), the manifest's local 'unikraft: source:', or the workspace \
            kraft.lock pins; without one, the seed is printed instead.

            Examples:
              manifestc plan --uk-root ~/unikraft --target qemu/x86_64
              manifestc plan kraft.yaml --uk-root ../unikraft --lib ../libs/lib-musl -o .config
              manifestc plan --target qemu/x86_64 --format json

            --format json prints {"version": 1, "command": "plan", "manifest", "target", "full" (false \
            when it is only the seed), "config" (the text), "symbols": {"CONFIG_X": "value", …} ("n" for \
            'is not set'), "diagnostics": […]} on stdout; diagnostics are not printed on stderr.
            """
    )

    @Argument(help: manifestArgumentHelp)
    var file: String?

    @OptionGroup var input: InputOptions
    @OptionGroup var planning: PlanningOptions

    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("Write the configuration to this file instead of printing it (a file that already holds it is left untouched).", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("text (the .config) or json (see below).", valueName: "format"))
    var format: OutputFormat = .text

    func validate() throws {
        if format == .json && output != nil { throw ValidationError("--format json prints the document; it cannot be combined with --output") }
    }

    func run() throws {
        let settings = try input.settings()
        let console = Console(buffered: false, input: settings, collectsDiagnostics: format == .json)
        let phase = PlanPhase(input: settings, planning: planning.settings, console: console)
        if format == .json {
            do {
                try runJSON(phase)
            } catch DriverError.exit(let code) where code != 0 {
                console.out(DocumentValue.map([
                    ("version", .int(1)), ("command", .string("plan")), ("diagnostics", .list(console.diagnostics.diagnostics.map(\.document))),
                ]).json())
                throw DriverError.exit(code)
            }
            return
        }
        try runText(phase)
    }

    private func target(_ phase: PlanPhase) throws -> (path: String, target: TargetPlan, prepared: PlanPhase.Prepared) {
        let path = try ManifestInput.locate(file, allowed: input.allowOutside)
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL
        let prepared = try phase.plan(path, output: folder)
        let target = try prepared.onlyConfiguredTarget(
            several: { "the manifest has \($0.count) targets (\($0.joined(separator: ", "))); choose one with --target" },
            none: "the manifest has no target to configure")
        return (path, target, prepared)
    }

    private func runJSON(_ phase: PlanPhase) throws {
        let (path, target, prepared) = try target(phase)
        let text = target.fullConfig ?? ConfigEmitter.seedText(target)
        let symbols = PlanSymbols.document(target, configuration: prepared.configurations[target.id])
        phase.console.out(DocumentValue.map([
            ("version", .int(1)), ("command", .string("plan")), ("manifest", .string(path)), ("target", .string(target.id)),
            ("full", .bool(target.fullConfig != nil)), ("config", .string(text)), ("symbols", symbols), ("tree", prepared.treeDocument),
            ("diagnostics", .list(phase.console.diagnostics.diagnostics.map(\.document))),
        ]).json())
    }

    private func runText(_ phase: PlanPhase) throws {
        let (_, target, prepared) = try target(phase)
        let text = target.fullConfig ?? ConfigEmitter.seedText(target)
        for note in prepared.treeNotes { phase.console.say(note) }
        if target.fullConfig == nil {
            phase.console.say("no Unikraft tree found (--uk-root, UK_ROOT, the manifest's local unikraft source, or the workspace kraft.lock pins): this is only the seed")
        }
        guard let output else {
            phase.console.out(text)
            return
        }
        try OutputWriter.writeOne(text, to: URL(fileURLWithPath: output).standardizedFileURL, console: phase.console)
    }
}

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        _superCommandName: "manifestc",
        abstract: "Say why Kconfig symbols have their values in a target's configuration.",
        discussion: """
            For each symbol: its value and type, where it is defined, and every step that decided \
            the value (the manifest's line, a default, a select or imply, a choice, a range), each \
            with file:line. For an option that is off, it names the other symbols to turn on so \
            that it can be set. Needs a Unikraft tree: --uk-root (or UK_ROOT), the manifest's local \
            'unikraft: source:', or the workspace kraft.lock pins (after 'manifestc --build').

            Examples:
              manifestc explain CONFIG_LIBVFSCORE --uk-root ~/unikraft
              manifestc explain LIBUK9P LIBVFSCORE_AUTOMOUNT_UP --manifest app/kraft.yaml --target qemu/arm64 --uk-root ../unikraft
              manifestc explain CONFIG_LIBVFSCORE --uk-root ~/unikraft --format json

            --format json prints {"version": 1, "command": "explain", "manifest", "target", "symbols": \
            [{symbol, value, type, prompt, written, definedAt: [{file, line}], steps: [{kind, file, line, \
            message}], toEnable}], "unknown": [{symbol, suggestion, hint}], "diagnostics": […]} on stdout \
            (toEnable: the symbols to turn on, [] when none are needed, null when enabling others cannot \
            turn it on).
            """
    )

    @Argument(help: ArgumentHelp("Symbols, with or without 'CONFIG_'.", valueName: "symbol"))
    var symbols: [String]

    @Option(name: .customLong("manifest"), help: manifestArgumentHelp)
    var file: String?

    @OptionGroup var input: InputOptions
    @OptionGroup var planning: PlanningOptions

    @Option(help: ArgumentHelp("text, or json (see below).", valueName: "format"))
    var format: OutputFormat = .text

    func validate() throws {
        if symbols.isEmpty { throw ValidationError("name at least one symbol, such as CONFIG_LIBVFSCORE") }
    }

    func run() throws {
        let settings = try input.settings()
        let console = Console(buffered: false, input: settings, collectsDiagnostics: format == .json)
        let path = try ManifestInput.locate(file, allowed: input.allowOutside)
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL
        let prepared = try PlanPhase(input: settings, planning: planning.settings, console: console).plan(path, output: folder)
        if format == .text { for note in prepared.treeNotes { console.say(note) } }
        guard prepared.tree != nil else {
            throw DriverError.usage("explain needs a Unikraft tree and found none: give --uk-root DIR (or set UK_ROOT), name a local folder as the manifest's 'unikraft: source:', or fetch the tree kraft.lock pins with 'manifestc --build'")
        }
        let choose = { (ids: [String]) in "choose one target with --target (the manifest has: \(ids.joined(separator: ", ")))" }
        let target = try prepared.onlyConfiguredTarget(several: choose, none: choose([]))
        guard let configuration = prepared.configurations[target.id] else { throw DriverError.usage(choose([target.id])) }
        var explained: [DocumentValue] = []
        var unknown: [DocumentValue] = []
        for answer in ExplainPhase.explain(symbols, prepared: prepared, configuration: configuration) {
            switch answer {
            case .explained(let explanation):
                if format == .json { explained.append(Self.document(explanation)) } else { console.out(Self.render(explanation, target: target) + "\n") }
            case .unknown(let name, let suggestion, let hint):
                unknown.append(.map([("symbol", .string("CONFIG_\(name)")), ("suggestion", suggestion.map { .string("CONFIG_\($0)") } ?? .null),
                                     ("hint", hint.map(DocumentValue.string) ?? .null)]))
                console.diagnostics.report([ExplainPhase.unknownSymbol(name, suggestion: suggestion, hint: hint)])
            }
        }
        let failed = !unknown.isEmpty
        if format == .json {
            // The unknown symbols are listed under "unknown", not among the input's diagnostics.
            let diagnostics = console.diagnostics.diagnostics.filter { $0.id != ExplainPhase.unknownSymbolID }
            console.out(DocumentValue.map([
                ("version", .int(1)), ("command", .string("explain")), ("manifest", .string(path)), ("target", .string(target.id)),
                ("symbols", .list(explained)), ("unknown", .list(unknown)), ("tree", prepared.treeDocument),
                ("diagnostics", .list(diagnostics.map(\.document))),
            ]).json())
        }
        if failed { throw DriverError.failure }
    }

    /// One symbol in `--format json`.
    static func document(_ e: SymbolExplanation) -> DocumentValue {
        .map([
            ("symbol", .string("CONFIG_\(e.symbol.name)")),
            ("value", .string(e.value.value)),
            ("type", .string(e.symbol.type.rawValue)),
            ("prompt", e.symbol.prompt.map(DocumentValue.string) ?? .null),
            ("written", .bool(e.value.isWritten)),
            ("definedAt", .list(e.symbol.definedAt.map { .map([("file", .string($0.file)), ("line", .int($0.range.start.line))]) })),
            ("steps", .list(e.value.explanation.map { d in
                .map([("kind", .string(d.kind.rawValue)), ("file", d.location.map { .string($0.file) } ?? .null),
                      ("line", d.location.map { .int($0.range.start.line) } ?? .null), ("message", .string(d.message))])
            })),
            ("toEnable", e.toEnable.map { .list($0.map { .string("CONFIG_\($0)") }) } ?? .null),
        ])
    }

    static func render(_ e: SymbolExplanation, target: TargetPlan) -> String {
        let shown = e.value.type == .string ? "\"\(e.value.value)\"" : e.value.value
        var out = "CONFIG_\(e.symbol.name)=\(shown)  (\(e.symbol.type.rawValue)\(e.symbol.prompt.map { ", \"\($0)\"" } ?? ""); target \(target.id))\n"
        for place in e.symbol.definedAt { out += "  defined at \(place.file):\(place.range.start.line)\n" }
        if !e.value.isWritten { out += "  not written to .config (not visible)\n" }
        for decision in e.value.explanation {
            let place = decision.location.map { "\($0.file):\($0.range.start.line): " } ?? ""
            out += "  \(decision.kind.rawValue): \(place)\(decision.message)\n"
        }
        switch e.toEnable {
        case nil where e.value.value == "n":
            out += "  cannot be turned on by enabling other symbols (a dependency must be off, or a comparison or choice decides it)\n"
        case let needed? where !needed.isEmpty:
            out += "  to turn it on, also enable: \(needed.map { "CONFIG_\($0)" }.joined(separator: " "))\n"
        default:
            break
        }
        return out
    }
}
