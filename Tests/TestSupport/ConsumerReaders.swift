/// Readers that take an emitted value back the way its consumer does: QEMU's option lists,
/// Unikraft's command-line tokenizer and libparam parser, xl's strings and device specs
/// (GNU make reads its own lines: `ConsumerReaders.makeVariables` in EmittersTests). The
/// security and property tests compare what they read with what the manifest said.
public enum ConsumerReaders {
    // MARK: QEMU

    /// A QEMU option list (`-netdev`, `-fsdev`, `-device`, …) as QemuOpts splits it: items
    /// at a single `,` (`,,` is a literal comma), each `key=value` at its first `=`, or a
    /// bare word (the driver, or an implied key).
    public static func qemuOptions(_ text: String) -> [(key: String, value: String?)] {
        var items: [String] = [], current = ""
        var chars = Array(text)[...]
        while let c = chars.popFirst() {
            if c == "," {
                if chars.first == "," { current.append(","); chars.removeFirst() } else { items.append(current); current = "" }
            } else {
                current.append(c)
            }
        }
        items.append(current)
        return items.map { item in
            guard let eq = item.firstIndex(of: "=") else { return (item, nil) }
            return (String(item[..<eq]), String(item[item.index(after: eq)...]))
        }
    }

    /// QEMU's `-initrd` on x86 (multiboot): modules split at a single `,` (`,,` a comma).
    public static func multibootModules(_ text: String) -> [String] {
        qemuOptions(text).map { option in option.value.map { "\(option.key)=\($0)" } ?? option.key }
    }

    // MARK: Unikraft

    /// Unikraft's command-line tokenizer (lib/ukargparse/argparse.c, `uk_argnparse`):
    /// whitespace splits outside quotes; '…' and "…" group; outside quotes `\` makes the next
    /// character plain; inside double quotes `\"` and `\\` are the only escapes.
    public static func unikraftTokens(_ line: String) -> [String] {
        var tokens: [String] = [], current = "", inToken = false
        var quote: Character?
        let chars = Array(line.unicodeScalars.map(Character.init))
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if let q = quote {
                if c == q { quote = nil }
                else if q == "\"", c == "\\", i + 1 < chars.count, chars[i + 1] == "\"" || chars[i + 1] == "\\" { current.append(chars[i + 1]); i += 1 }
                else { current.append(c) }
            } else if c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{0B}" {
                if inToken { tokens.append(current); current = ""; inToken = false }
            } else if c == "'" || c == "\"" {
                quote = c; inToken = true
            } else if c == "\\", i + 1 < chars.count {
                current.append(chars[i + 1]); i += 1; inToken = true
            } else {
                current.append(c); inToken = true
            }
            i += 1
        }
        if inToken { tokens.append(current) }
        return tokens
    }

    /// Unikraft's libparam parser (lib/uklibparam/parser.c, `uk_libparam_parse`) over argv:
    /// up to `--`, `lib.param=value` words; `lib.param=[` starts a list that the first word
    /// ending in `]` closes (that `]` dropped); empty words are skipped. Returns the values
    /// given to each `lib.param`, in order, and the words after `--`.
    public static func libparams(_ argv: [String]) -> (parameters: [String: [String]], arguments: [String]) {
        var parameters: [String: [String]] = [:]
        var list: String?
        for (i, word) in argv.enumerated() {
            if word.isEmpty { continue }
            if let key = list {
                var value = Substring(word)
                if value.hasSuffix("]") { value = value.dropLast(); list = nil }
                if !value.isEmpty { parameters[key, default: []].append(String(value)) }
                continue
            }
            if word == "--" { return (parameters, Array(argv[(i + 1)...])) }
            guard let dot = word.firstIndex(of: ".") else { continue }
            let rest = word[word.index(after: dot)...]
            guard let eq = rest.firstIndex(of: "=") else { continue }
            let key = String(word[..<eq])
            var value = rest[rest.index(after: eq)...]
            if value.hasPrefix("[") {
                value = value.dropFirst()
                list = key
                if value.hasSuffix("]") { value = value.dropLast(); list = nil }
                if !value.isEmpty { parameters[key, default: []].append(String(value)) }
            } else {
                parameters[key, default: []].append(String(value))
            }
        }
        return (parameters, [])
    }

    // MARK: xl

    /// An xl string (`"…"` with `\"` and `\\`), unquoted.
    public static func xlString(_ quoted: Substring) -> String {
        var out = "", escaped = false
        for c in quoted.dropFirst().dropLast() {
            if escaped { out.append(c); escaped = false } else if c == "\\" { escaped = true } else { out.append(c) }
        }
        return out
    }

    /// The strings of an xl list setting (`key = [ "a", "b" ]`).
    public static func xlList(_ line: Substring) -> [String] {
        var items: [String] = [], current = "", inString = false, escaped = false
        for c in line {
            if inString {
                current.append(c)
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" {
                    items.append(xlString(Substring(current))); current = ""; inString = false
                }
            } else if c == "\"" {
                inString = true; current = "\""
            }
        }
        return items
    }

    /// An xl device spec (`p9`, `vif`) as xl_parse.c reads it: split at every `,` (empty items
    /// dropped, as strtok does), leading spaces of an item skipped, key up to its first `=`.
    public static func xlSpec(_ spec: String) -> [(key: String, value: String)] {
        spec.split(separator: ",").compactMap { part -> (key: String, value: String)? in
            let item: Substring = part.drop { $0 == " " }
            guard let eq = item.firstIndex(of: "=") else { return nil }
            return (String(item[..<eq]), String(item[item.index(after: eq)...]))
        }
    }
}
