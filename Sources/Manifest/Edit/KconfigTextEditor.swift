import Diagnostics

/// One change to a manifest's kconfig.
public struct KconfigChange: Sendable, Equatable {
    /// The symbol with its `CONFIG_` prefix.
    public var symbol: String
    /// The value as it follows `CONFIG_X=` in a seed (`y`, `0x1000`, `"fs0"`); nil to unset.
    public var value: String?

    public init(symbol: String, value: String?) {
        self.symbol = symbol
        self.value = value
    }
}

/// Edits a manifest's kconfig in place as text: the bytes and their located YAML nodes in,
/// new bytes out. Only the entries changed are touched; comments, blank lines, key order,
/// quoting, indentation and line breaks stay as they were. An entry added and then removed
/// gives back the original bytes. Aliases, anchors and tags on what would change are refused
/// with a located error (an edit there would change other places, or could not be made as text).
public struct KconfigTextEditor: Sendable {
    public let file: String

    public init(file: String) {
        self.file = file
    }

    public struct Result: Sendable {
        /// The new bytes; nil when an error stopped the edit.
        public var bytes: [UInt8]?
        public var diagnostics: [Diagnostic]
    }

    /// Applies `changes` in order to the kconfig of target `target` (its index in `targets`), or
    /// of every target when nil.
    ///
    /// Where a value goes: for one target, its own entry when it has one, else (when the manifest
    /// has only that target) an entry of the `unikraft` section, else a new entry in the target's
    /// section; for every target, each entry that sets the symbol (the `unikraft` section's, a
    /// library's, a target's), else a new entry in the `unikraft` section (or the only target's).
    /// A new entry follows the section's form; a new section takes the form the manifest's other
    /// sections use (map form when it has none).
    public func apply(_ changes: [KconfigChange], to bytes: [UInt8], target: Int?) -> Result {
        var current = bytes
        for change in changes {
            // Every target: each entry that sets the symbol, one edit (and one reading) at a time.
            var places: [Place] = target.map { [.target($0)] } ?? [.placement]
            while let place = places.first {
                places.removeFirst()
                let (text, problems) = EditableText.read(current, file: file)
                guard let text else { return Result(bytes: nil, diagnostics: problems) }
                switch edit(change, text, place: place) {
                case .success(let (next, more)):
                    current = next
                    places += more
                case .failure(let problem):
                    return Result(bytes: nil, diagnostics: [problem.diagnostic])
                }
            }
        }
        return Result(bytes: current, diagnostics: [])
    }

    /// Where one edit goes.
    enum Place: Equatable {
        /// Target `i`'s value (`--target`).
        case target(Int)
        /// Every target: find the entries (or the section for a new one).
        case placement
        /// The entry of the `unikraft` section, of library `i`, or of target `i`, in every-target mode.
        case unikraftEntry, libraryEntry(Int), targetEntry(Int)
    }

    /// The index in `targets` of the target item written at `range`.
    public static func targetIndex(at range: SourceRange, bytes: [UInt8], file: String) -> Int? {
        guard let text = EditableText.read(bytes, file: file).0 else { return nil }
        return KconfigSection.sections(of: text.root).targets.firstIndex { $0.node.range == range }
    }

    /// Where each of `symbols` is set for target `target` (nil: the `unikraft` section), the
    /// target's own entry first: for diagnostics about the values just written.
    public static func locations(of symbols: Set<String>, in bytes: [UInt8], file: String, target: Int?) -> [String: SourceLocation] {
        guard let text = EditableText.read(bytes, file: file).0 else { return [:] }
        let sections = KconfigSection.sections(of: text.root)
        let targets = sections.targets
        let own = target.flatMap { $0 < targets.count ? targets[$0].section : nil }
        let only = targets.count == 1 ? targets[0].section : nil
        var found: [String: SourceLocation] = [:]
        for symbol in symbols {
            if let entry = ([own, only] + targets.map(\.section) + sections.libraries + [sections.unikraft?.section]).lazy.compactMap({ $0?.entry(symbol) }).first {
                found[symbol] = text.location(entry.first)
            }
        }
        return found
    }

    struct Problem: Error {
        var diagnostic: Diagnostic
    }

    private func refuse(_ id: String, _ message: String, _ at: SourceLocation?, _ notes: [DiagnosticNote] = []) -> Problem {
        Problem(diagnostic: .error(id, message, at: at, notes: notes))
    }

    // MARK: - Choosing the place

    private func edit(_ change: KconfigChange, _ text: EditableText, place: Place) -> Swift.Result<([UInt8], [Place]), Problem> {
        let sections = KconfigSection.sections(of: text.root)
        let targets = sections.targets
        let shared = sections.unikraft?.section
        let symbol = change.symbol
        do {
            switch place {
            case .unikraftEntry:
                return .success((try replace(shared!.entry(symbol)!, in: shared!, change.value!, text), []))
            case .libraryEntry(let i):
                return .success((try replace(sections.libraries[i].entry(symbol)!, in: sections.libraries[i], change.value!, text), []))
            case .targetEntry(let i):
                return .success((try replace(targets[i].section!.entry(symbol)!, in: targets[i].section!, change.value!, text), []))
            case .target(let target):
                guard target < targets.count else {
                    throw refuse("edit-no-target", "the manifest has no target \(target + 1) in its 'targets' list", text.location(text.root))
                }
                let own = targets[target].section
                guard let value = change.value else {
                    return .success((try unset(symbol, text, sections: [own].compactMap { $0 }, shared: shared, sharedAllowed: targets.count <= 1), []))
                }
                if let own, let entry = own.entry(symbol) { return .success((try replace(entry, in: own, value, text), [])) }
                let setByLibrary = sections.libraries.contains { $0.entry(symbol) != nil }
                if targets.count <= 1, !setByLibrary, let shared, let entry = shared.entry(symbol) {
                    return .success((try replace(entry, in: shared, value, text), []))
                }
                let form = Self.form(sections)
                if let own, own.value != nil, own.isList != nil { return .success((try add(symbol, value, to: own, text, list: form), [])) }
                if targets.count <= 1, !setByLibrary, let shared, shared.value != nil, shared.isList != nil {
                    return .success((try add(symbol, value, to: shared, text, list: form), []))
                }
                guard let own else {
                    throw refuse("edit-target-shorthand", "target \(target + 1) is written as a shorthand; to give it kconfig options, write it as a map ('platform', 'architecture', 'kconfig')",
                                 text.location(targets[target].node))
                }
                return .success((try add(symbol, value, to: own, text, list: form), []))
            case .placement:
                guard let value = change.value else {
                    return .success((try unset(symbol, text, sections: sections.libraries + targets.compactMap(\.section), shared: shared, sharedAllowed: true), []))
                }
                var entries: [Place] = shared?.entry(symbol) != nil ? [.unikraftEntry] : []
                entries += sections.libraries.indices.filter { sections.libraries[$0].entry(symbol) != nil }.map(Place.libraryEntry)
                entries += targets.indices.filter { targets[$0].section?.entry(symbol) != nil }.map(Place.targetEntry)
                if !entries.isEmpty { return .success((text.bytes, entries)) }
                let form = Self.form(sections)
                if let shared, shared.value != nil, shared.isList != nil { return .success((try add(symbol, value, to: shared, text, list: form), [])) }
                if targets.count == 1, let only = targets[0].section, only.value != nil, only.isList != nil {
                    return .success((try add(symbol, value, to: only, text, list: form), []))
                }
                guard let unikraft = sections.unikraft else {
                    throw refuse("edit-no-section", "the manifest has no 'unikraft' section to hold '\(symbol)'; add one, or name a target with --target",
                                 text.location(text.root))
                }
                guard let shared else {
                    throw refuse("edit-unikraft-shorthand", "'unikraft' is written as a single value; to give it kconfig options, write it as a map ('version', 'kconfig'), or name a target with --target",
                                 text.location(unikraft.node))
                }
                return .success((try add(symbol, value, to: shared, text, list: form), []))
            }
        } catch let problem as Problem {
            return .failure(problem)
        } catch {
            return .failure(refuse("edit-internal", "\(error)", nil))
        }
    }

    /// The form of the manifest's existing sections (list or map), map form when it has none.
    private static func form(_ sections: KconfigSection.Sections) -> Bool {
        ([sections.unikraft?.section] + sections.libraries + sections.targets.map(\.section)).lazy.compactMap { $0?.isList }.first ?? false
    }

    // MARK: - Replacing a value

    private func replace(_ entry: KconfigSection.Entry, in section: KconfigSection, _ value: String, _ text: EditableText) throws -> [UInt8] {
        let node = entry.last
        try editable(node, text, what: "the entry of '\(entry.symbol)'")
        let scalar = node.scalar
        if scalar?.style == .literal || scalar?.style == .folded {
            throw refuse("edit-block-scalar", "the value of '\(entry.symbol)' is a block scalar ('|' or '>'); write it on one line to edit it", text.location(node))
        }
        let style = scalar?.style ?? .plain
        let written = section.isList == true
            ? YAMLScalarWriter.scalar(entry.spelling + "=" + value, preferred: style)
            : YAMLScalarWriter.scalar(value, preferred: style)
        let range = text.offset(node.range.start)..<text.offset(node.range.end)
        // `CONFIG_X:` with nothing after it: the value goes after the colon and a space.
        return text.replacing(range, with: range.isEmpty ? " " + written : written)
    }

    // MARK: - Adding an entry

    private func entryText(_ symbol: String, _ value: String, list: Bool, style: ScalarStyle) -> String {
        list ? YAMLScalarWriter.scalar(symbol + "=" + value, preferred: style)
            : YAMLScalarWriter.scalar(symbol, preferred: .plain) + ": " + YAMLScalarWriter.scalar(value, preferred: style)
    }

    private func add(_ symbol: String, _ value: String, to section: KconfigSection, _ text: EditableText, list defaultForm: Bool) throws -> [UInt8] {
        guard let node = section.value, let list = section.isList else {
            return try create(symbol, value, in: section, text, list: defaultForm)
        }
        try editable(node, text, what: "the kconfig of \(section.name)")
        let last = section.entries.last
        let entry = entryText(symbol, value, list: list, style: Self.chosenStyle(section.entries.map(\.last)))
        if text.isFlow(node) {
            guard let last else {
                // Just after the opening bracket.
                let at = text.offset(node.range.start) + 1
                return text.replacing(at..<at, with: entry)
            }
            let at = text.offset(last.last.range.end)
            return text.replacing(at..<at, with: ", " + entry)
        }
        guard let last else {
            throw refuse("edit-kconfig-shape", "the kconfig of \(section.name) has no entry to follow", text.location(node))
        }
        let prefix = text.prefix(of: last.first)
        let allowed: Set<Character> = list ? [" ", "-"] : [" "]
        guard prefix.allSatisfy(allowed.contains) else {
            throw refuse("edit-kconfig-shape", "the entries of the kconfig of \(section.name) do not start their lines; put each on a line of its own to edit them",
                         text.location(last.first))
        }
        let at = text.contentEnd(ofLine: text.lastLine(of: last.last))
        return text.replacing(at..<at, with: text.lineBreak + prefix + entry)
    }

    /// The quoting the file chose for values: that of the last one that could have been plain
    /// (a value quoted because of what it holds says nothing about the next one).
    static func chosenStyle(_ values: [YAMLNode]) -> ScalarStyle {
        guard let scalar = values.lazy.compactMap(\.scalar).last(where: { YAMLScalarWriter.isPlainSafe($0.text) }) else { return .plain }
        return scalar.style == .singleQuoted || scalar.style == .doubleQuoted ? scalar.style : .plain
    }

    /// A new `kconfig:` key with one entry, after the owner's last line.
    private func create(_ symbol: String, _ value: String, in section: KconfigSection, _ text: EditableText, list: Bool) throws -> [UInt8] {
        let owner = section.owner
        try editable(owner, text, what: section.name)
        if let key = section.key, let value = section.value, value.scalar?.resolved != .null {
            throw refuse("edit-kconfig-shape", "the kconfig of \(section.name) is neither a list nor a map", text.location(value), [DiagnosticNote("its key", at: text.location(key))])
        }
        guard !text.isFlow(owner), let firstKey = owner.mapping?.first?.key else {
            throw refuse("edit-flow-owner", "\(section.name) is written in flow style ('{…}'); write it as a block map to add kconfig options to it", text.location(owner))
        }
        let indent = String(repeating: " ", count: firstKey.range.start.column - 1)
        let entry = (list ? "- " : "") + entryText(symbol, value, list: list, style: .plain)
        if let key = section.key {
            // `kconfig:` with no value: the entry goes on the line after it.
            let at = text.contentEnd(ofLine: key.range.end.line)
            return text.replacing(at..<at, with: text.lineBreak + indent + "  " + entry)
        }
        let at = text.contentEnd(ofLine: text.lastLine(of: owner))
        return text.replacing(at..<at, with: text.lineBreak + indent + "kconfig:" + text.lineBreak + indent + "  " + entry)
    }

    // MARK: - Removing entries

    private func unset(_ symbol: String, _ text: EditableText, sections: [KconfigSection], shared: KconfigSection?, sharedAllowed: Bool) throws -> [UInt8] {
        var ranges: [Range<Int>] = []
        if let shared, let entry = shared.entry(symbol), !sharedAllowed {
            throw refuse("edit-shared-setting", "'\(symbol)' is set in the 'unikraft' section, for every target; unset it without --target, or set it to 'n' for this target",
                         text.location(entry.first))
        }
        for section in sections + (sharedAllowed ? [shared].compactMap { $0 } : []) {
            for entry in section.entries where entry.symbol == symbol {
                let range = try removal(entry, in: section, text)
                if !ranges.contains(range) { ranges.append(range) }
            }
        }
        guard !ranges.isEmpty else {
            throw refuse("edit-not-set", "'\(symbol)' is not set in the manifest's kconfig\(sections.count == 1 ? " for " + sections[0].name : "")", nil)
        }
        var out = text.bytes
        for range in ranges.sorted(by: { $0.lowerBound > $1.lowerBound }) { out.removeSubrange(range) }
        return out
    }

    /// The bytes to remove for `entry`: its lines (the whole `kconfig:` key when it is the only
    /// entry and nothing else is written between them), or its part of a flow collection.
    private func removal(_ entry: KconfigSection.Entry, in section: KconfigSection, _ text: EditableText) throws -> Range<Int> {
        guard let node = section.value else { throw refuse("edit-internal", "no kconfig section", nil) }
        try editable(node, text, what: "the kconfig of \(section.name)")
        try editable(entry.first, text, what: "the entry of '\(entry.symbol)'")
        try editable(entry.last, text, what: "the entry of '\(entry.symbol)'")
        if text.isFlow(node) {
            let index = section.entries.firstIndex { $0.first.range == entry.first.range }!
            if index > 0 {
                return text.offset(section.entries[index - 1].last.range.end)..<text.offset(entry.last.range.end)
            }
            if section.entries.count > 1 {
                return text.offset(entry.first.range.start)..<text.offset(section.entries[1].first.range.start)
            }
            return text.offset(entry.first.range.start)..<text.offset(entry.last.range.end)
        }
        let prefix = text.prefix(of: entry.first)
        let suffix = text.suffix(of: entry.last).drop { $0 == " " || $0 == "\t" }
        let list = section.isList == true
        guard prefix.allSatisfy({ $0 == " " || (list && $0 == "-") }), suffix.isEmpty || suffix.hasPrefix("#"), entry.first.range.start.line > 1 else {
            throw refuse("edit-kconfig-shape", "the entry of '\(entry.symbol)' shares its line with other text; put it on a line of its own to remove it",
                         text.location(entry.first))
        }
        let end = text.contentEnd(ofLine: text.lastLine(of: entry.last))
        if section.entries.count == 1, let key = section.key, key.range.start.line > 1,
           text.prefix(of: key).allSatisfy({ $0 == " " }),
           String(decoding: text.bytes[text.offset(key.range.end)..<text.offset(entry.first.range.start)], as: UTF8.self)
               .allSatisfy({ $0 == ":" || $0 == " " || $0 == "-" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) {
            return text.contentEnd(ofLine: key.range.start.line - 1)..<end
        }
        return text.contentEnd(ofLine: entry.first.range.start.line - 1)..<end
    }

    // MARK: - What cannot be edited as text

    /// Refuses a node that is an alias, carries an anchor (other places use it) or a tag.
    private func editable(_ node: YAMLNode, _ text: EditableText, what: String) throws {
        switch text.firstByte(of: node) {
        case UInt8(ascii: "*"):
            throw refuse("edit-alias", "\(what) is an alias ('*…') of a value written elsewhere; edit the anchor ('&…') it names, or write the value here", text.location(node))
        case UInt8(ascii: "&"):
            throw refuse("edit-anchor", "\(what) carries an anchor ('&…'), so other places use it too; edit it by hand, or write the aliases out", text.location(node))
        case UInt8(ascii: "!"):
            throw refuse("edit-tag", "\(what) carries a tag ('!…'); remove the tag to edit it", text.location(node))
        default:
            return
        }
    }
}
