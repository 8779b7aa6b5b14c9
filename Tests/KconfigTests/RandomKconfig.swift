import TestSupport

/// Generates random Kconfig trees and seeds that stay inside what every oracle agrees on:
/// expressions only mention symbols defined earlier, `select`/`imply` only target later bool
/// symbols (never choice members), and defaults of int/hex/string symbols are constants or
/// symbols of the same type. That keeps trees free of dependency loops.
struct RandomKconfig {
    enum Kind: CaseIterable { case bool, tristate, int, hex, string }

    var rng: SplitMix64
    private var lines: [String] = []
    private var defined: [(name: String, kind: Kind)] = []
    private var planned: [Kind] = []
    private var next = 0
    private var choiceCount = 0
    private var allMembers: [String] = []
    private var ranges: [String: (Int, Int)] = [:]

    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    private mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }
    private mutating func int(_ r: ClosedRange<Int>) -> Int { Int.random(in: r, using: &rng) }
    private mutating func int(_ r: Range<Int>) -> Int { Int.random(in: r, using: &rng) }

    /// A tree (one `Kconfig` file) and a seed for it.
    mutating func generate() -> (kconfig: String, seed: String) {
        let count = int(6...40)
        planned = (0..<count).map { _ in
            let r = int(0..<100)
            return r < 55 ? .bool : r < 63 ? .tristate : r < 77 ? .int : r < 87 ? .hex : .string
        }
        lines = ["mainmenu \"Random \(int(0...999)) Configuration\"", ""]
        while next < planned.count { block(depth: 0, budget: planned.count) }
        return (lines.joined(separator: "\n") + "\n", seed())
    }

    private mutating func emit(_ depth: Int, _ text: String) {
        lines.append(String(repeating: "\t", count: min(depth, 1)) + text)
    }

    private mutating func block(depth: Int, budget: Int) {
        var left = budget
        while left > 0 && next < planned.count {
            let r = int(0..<100)
            if r < 62 || depth > 3 {
                symbol(depth: depth)
                left -= 1
            } else if r < 72 {
                choice(depth: depth)
                left -= 1
            } else if r < 82 {
                let title = "Menu \(int(0...99))"
                emit(depth, "menu \"\(title)\"")
                // `visible if` first: Debian's kconfig-conf (4.11) rejects it after `depends on`.
                if chance(0.2), let e = expression() { emit(depth, "\tvisible if \(e)") }
                if chance(0.3), let e = expression() { emit(depth, "\tdepends on \(e)") }
                block(depth: depth + 1, budget: int(0...4))
                emit(depth, "endmenu")
                emit(depth, "")
            } else if r < 92 {
                guard let e = expression() else { continue }
                emit(depth, "if \(e)")
                block(depth: depth + 1, budget: int(1...4))
                emit(depth, "endif")
            } else {
                emit(depth, "comment \"Note \(int(0...99))\"")
                if chance(0.3), let e = expression() { emit(depth, "\tdepends on \(e)") }
                left -= 1
            }
        }
    }

    /// An expression over symbols defined so far (nil when there are none).
    private mutating func expression(_ depth: Int = 0) -> String? {
        guard !defined.isEmpty else { return nil }
        let r = int(0..<100)
        if depth < 2 && r < 15, let a = expression(depth + 1), let b = expression(depth + 1) {
            return "\(a) && \(b)"
        }
        if depth < 2 && r < 25, let a = expression(depth + 1), let b = expression(depth + 1) {
            return "(\(a) || \(b))"
        }
        if depth < 2 && r < 33, let a = expression(depth + 1) { return "!(\(a))" }
        let (name, kind) = defined[int(0...(defined.count - 1))]
        switch kind {
        case .bool, .tristate:
            let s = int(0..<10)
            return s < 6 ? name : s < 8 ? "\(name) = y" : s < 9 ? "\(name) != n" : "!\(name)"
        case .int:
            return "\(name) \(["=", "!=", "<", ">", "<=", ">="][int(0...5)]) \(int(0...20))"
        case .hex:
            return "\(name) \(["=", "!="][int(0...1)]) 0x\(String(int(0...20), radix: 16))"
        case .string:
            return "\(name) \(["=", "!="][int(0...1)]) \"\(["", "a", "b"][int(0...2)])\""
        }
    }

    private mutating func condition() -> String {
        guard chance(0.35), let e = expression() else { return "" }
        return " if \(e)"
    }

    private mutating func constant(_ kind: Kind, name: String) -> String {
        switch kind {
        case .bool, .tristate: return ["y", "n", "y", "m"][int(0...3)]
        case .int: return String(int(0...40))
        case .hex: return chance(0.8) ? "0x" + String(int(0...60), radix: 16) : String(int(0...60), radix: 16)
        case .string: return "\"" + ["", "a", "b", "x y", "q\\\"uote", "back\\\\slash"][int(0...5)] + "\""
        }
    }

    private mutating func symbol(depth: Int) {
        let index = next
        next += 1
        let kind = planned[index]
        let name = "S\(index)"
        let typeName = ["bool", "tristate", "int", "hex", "string"][Kind.allCases.firstIndex(of: kind)!]
        let menuconfig = kind == .bool && chance(0.1)
        emit(depth, "\(menuconfig ? "menuconfig" : "config") \(name)")
        if chance(0.1) && !menuconfig {
            emit(depth, "\t\(typeName)")
            emit(depth, "\tprompt \"Prompt \(index)\"\(chance(0.3) ? condition() : "")")
        } else if chance(0.75) || menuconfig {
            emit(depth, "\t\(typeName) \"Prompt \(index)\"\(chance(0.15) ? condition() : "")")
        } else if kind == .bool && chance(0.3) {
            emit(depth, "\tdef_bool \(expression() ?? "y")\(condition())")
        } else {
            emit(depth, "\t\(typeName)")
        }
        if chance(0.3), let e = expression() { emit(depth, "\tdepends on \(e)") }
        for _ in 0..<int(0...3) {
            var value = constant(kind, name: name)
            let sameType = defined.filter { $0.kind == kind || (kind.isBool && $0.kind.isBool) }
            if chance(0.3), !sameType.isEmpty { value = sameType[int(0...(sameType.count - 1))].name }
            if kind.isBool, chance(0.2), let e = expression() { value = e }
            emit(depth, "\tdefault \(value)\(condition())")
        }
        if (kind == .int || kind == .hex) && chance(0.35) {
            let lo = int(1...10), hi = lo + int(0...20)
            let fmt: (Int) -> String = { kind == .hex ? "0x" + String($0, radix: 16) : String($0) }
            let sameType = defined.filter { $0.kind == kind }
            if chance(0.25), let bound = sameType.randomElement(using: &rng) {
                emit(depth, "\trange \(fmt(lo)) \(bound.name)\(condition())")
            } else {
                emit(depth, "\trange \(fmt(lo)) \(fmt(hi))\(condition())")
                ranges[name] = (lo, hi)
            }
        }
        if kind.isBool {
            for keyword in ["select", "imply"] where chance(0.25) {
                let targets = (index + 1..<planned.count).filter { planned[$0] == .bool }
                if let t = targets.randomElement(using: &rng) {
                    emit(depth, "\t\(keyword) S\(t)\(condition())")
                }
            }
        }
        if chance(0.2) {
            emit(depth, "\thelp")
            emit(depth, "\t  Help text for \(name).")
            emit(depth, "")
            emit(depth, "\t    More indented.")
        }
        emit(depth, "")
        defined.append((name, kind))
    }

    private mutating func choice(depth: Int) {
        choiceCount += 1
        let c = choiceCount
        let members = (0..<int(2...4)).map { "C\(c)_\($0)" }
        // At most one member depends on the one before it, which moves it out of the choice
        // (conf's automatic submenus); it is then never named as the choice's default.
        // (conf calls other shapes of this a recursive dependency, so keep to the accepted one.)
        let moved: Int? = chance(0.15) ? int(1...(members.count - 1)) : nil
        let plain = moved != nil
        let defaults = members.enumerated().filter { $0.offset != moved }.map(\.element)
        emit(depth, "choice")
        emit(depth, "\tprompt \"Choice \(c)\"")
        if !plain && chance(0.2) { emit(depth, "\toptional") }
        if !plain && chance(0.25), let e = expression() { emit(depth, "\tdepends on \(e)") }
        if chance(0.6) { emit(depth, "\tdefault \(defaults.randomElement(using: &rng)!)\(condition())") }
        if chance(0.3) { emit(depth, "\tdefault \(defaults.randomElement(using: &rng)!)") }
        emit(depth, "")
        let guarded = !plain && chance(0.2) ? expression() : nil
        for (i, m) in members.enumerated() {
            if i == 1, let guarded { emit(depth, "if \(guarded)") }
            emit(depth, "config \(m)")
            emit(depth, "\tbool \"Member \(m)\"")
            if i == moved {
                // Depending on an earlier member moves this one out of the choice (automatic submenu).
                emit(depth, "\tdepends on \(members[i - 1])")
            } else if chance(0.25), let e = expression() {
                emit(depth, "\tdepends on \(e)")
            }
            emit(depth, "")
        }
        if guarded != nil { emit(depth, "endif") }
        emit(depth, "endchoice")
        emit(depth, "")
        for m in members { defined.append((m, .bool)) }
        allMembers += members
    }

    private mutating func seed() -> String {
        var out: [String] = []
        for (name, kind) in defined.shuffled(using: &rng) where chance(0.4) {
            switch kind {
            case .bool, .tristate:
                out.append(chance(0.5) ? "CONFIG_\(name)=y" : chance(0.5) ? "# CONFIG_\(name) is not set" : "CONFIG_\(name)=n")
            case .int:
                let r = ranges[name]
                out.append("CONFIG_\(name)=\(chance(0.1) ? "-\(int(1...9))" : String(int(0...(r.map { $0.1 + 5 } ?? 40))))")
            case .hex:
                out.append("CONFIG_\(name)=\(chance(0.7) ? "0x" : "")\(String(int(0...40), radix: 16))")
            case .string:
                out.append("CONFIG_\(name)=\(chance(0.1) ? "bare" : "\"" + ["", "s", "t u", "v\\\"w"][int(0...3)] + "\"")")
            }
        }
        if chance(0.3) { out.append("CONFIG_UNDEFINED_\(int(0...9))=y") }
        if chance(0.2) { out.append("") }
        return out.joined(separator: "\n") + "\n"
    }
}

extension RandomKconfig.Kind {
    var isBool: Bool { self == .bool || self == .tristate }
}
