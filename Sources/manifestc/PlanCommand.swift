import ArgumentParser
import Emitters
import Foundation
import Manifest
import Planner

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Print the full .config of one target, as Unikraft's 'make defconfig' would write it.",
        discussion: """
            The manifest's kconfig is type-checked against the real symbols of the tree: unknown \
            symbols are warnings with a "did you mean"; values of the wrong type, out of range, or \
            that the dependencies make impossible are errors at the manifest's line. Without a tree \
            (--uk-root or UK_ROOT), the seed is printed instead.

            Examples:
              manifestc plan --uk-root ~/unikraft --target qemu/x86_64
              manifestc plan kraft.yaml --uk-root ../unikraft --lib ../libs/lib-musl -o .config
            """
    )

    @Argument(help: manifestArgumentHelp)
    var file: String?

    @OptionGroup var input: InputOptions
    @OptionGroup var planning: PlanningOptions

    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("Write the configuration to this file instead of printing it.", valueName: "file"))
    var output: String?

    func run() throws {
        let reader = ManifestInput(options: input)
        let path = try ManifestInput.locate(file)
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL
        let prepared = try planning.plan(path, output: folder, reader: reader)
        let built = prepared.plan.targets.filter { !$0.prebuilt }
        guard built.count == 1, let target = built.first else {
            let names = built.map(\.id)
            throw ValidationError(names.isEmpty ? "the manifest has no target to configure"
                                  : "the manifest has \(names.count) targets (\(names.joined(separator: ", "))); choose one with --target")
        }
        let text = target.fullConfig ?? ConfigEmitter.seedText(target)
        if target.fullConfig == nil {
            FileHandle.standardError.write(Data("manifestc: no Unikraft tree given (--uk-root or UK_ROOT): this is only the seed\n".utf8))
        }
        guard let output else {
            print(text, terminator: "")
            return
        }
        let url = URL(fileURLWithPath: output).standardizedFileURL
        let writer = OutputWriter(folder: url.deletingLastPathComponent(), force: true)
        do {
            try writer.write(EmittedFile(path: url.lastPathComponent, contents: text))
        } catch {
            FileHandle.standardError.write(Data("manifestc: error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Say why Kconfig symbols have their values in a target's configuration.",
        discussion: """
            For each symbol: its value and type, where it is defined, and every step that decided \
            the value (the manifest's line, a default, a select or imply, a choice, a range), each \
            with file:line. For an option that is off, it names the other symbols to turn on so \
            that it can be set. Needs a Unikraft tree (--uk-root or UK_ROOT).

            Examples:
              manifestc explain CONFIG_LIBVFSCORE --uk-root ~/unikraft
              manifestc explain LIBUK9P LIBVFSCORE_AUTOMOUNT_UP --manifest app/kraft.yaml --target qemu/arm64 --uk-root ../unikraft
            """
    )

    @Argument(help: ArgumentHelp("Symbols, with or without 'CONFIG_'.", valueName: "symbol"))
    var symbols: [String]

    @Option(name: .customLong("manifest"), help: manifestArgumentHelp)
    var file: String?

    @OptionGroup var input: InputOptions
    @OptionGroup var planning: PlanningOptions

    func validate() throws {
        if symbols.isEmpty { throw ValidationError("name at least one symbol, such as CONFIG_LIBVFSCORE") }
    }

    func run() throws {
        let reader = ManifestInput(options: input)
        let path = try ManifestInput.locate(file)
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL
        guard planning.hasTree else {
            throw ValidationError("explain needs a Unikraft tree: give --uk-root DIR (or set UK_ROOT)")
        }
        let prepared = try planning.plan(path, output: folder, reader: reader)
        let built = prepared.plan.targets.filter { !$0.prebuilt }
        guard built.count == 1, let target = built.first, let configuration = prepared.configurations[target.id] else {
            throw ValidationError("choose one target with --target (the manifest has: \(built.map(\.id).joined(separator: ", ")))")
        }
        var failed = false
        for raw in symbols {
            let name = raw.hasPrefix("CONFIG_") ? String(raw.dropFirst("CONFIG_".count)) : raw
            guard let explanation = configuration.explain(name) else {
                let hint = prepared.tree?.suggestion(for: name).map { "; did you mean 'CONFIG_\($0)'?" } ?? ""
                FileHandle.standardError.write(Data("manifestc: error: 'CONFIG_\(name)' is not a symbol of this tree\(hint)\n".utf8))
                failed = true
                continue
            }
            print(Self.render(explanation, target: target))
        }
        if failed { throw ExitCode.failure }
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
