import Manifest
import Planner

/// A kernel command line read back into what a manifest says: the inverse of
/// `KernelCommandLine`'s rule. Image-name tokens before `--` are dropped; the library
/// parameters manifestc generates itself (`vfs.fstab`, `env.vars`, `netdev.ip`) become
/// mounts, environment variables and addresses; other parameters stay before `--`.
public struct KernelArguments: Sendable, Equatable {
    /// Parameters that stay in `cmd` (unquoted words; a list parameter is `key=[`, entries, `]`).
    public var parameters: [String] = []
    public var arguments: [String] = []
    /// Whether the line had a `--`.
    public var separated = false
    /// `vfs.fstab` entries, as written.
    public var fstab: [String] = []
    /// `env.vars` entries (`K=V`).
    public var environment: [String] = []
    /// `netdev.ip` values, in interface order.
    public var addresses: [String] = []
    /// The image-name tokens that were dropped.
    public var names: [String] = []

    public init() {}

    /// A quote that is never closed, at `offset` (in characters).
    public struct UnterminatedQuote: Error, Equatable {
        public var offset: Int
        public var quote: Character
    }

    /// Splits a command line the way Unikraft's `ukargparse` does: blanks separate words
    /// outside quotes; `'…'` and `"…"` group and are removed; `\` escapes outside single
    /// quotes, and inside double quotes only before `"` and `\`. Returns nil, and the
    /// offset of the quote, for an unterminated quote.
    public static func tokenize(_ text: String) -> Result<[String], UnterminatedQuote> {
        var words: [String] = []
        var word = ""
        var inWord = false
        let s = Array(text)
        var i = 0
        while i < s.count {
            let c = s[i]
            switch c {
            case " ", "\t", "\r", "\n", "\u{0B}":
                if inWord { words.append(word); word = ""; inWord = false }
            case "'":
                guard let close = s[(i + 1)...].firstIndex(of: "'") else { return .failure(.init(offset: i, quote: "'")) }
                word += String(s[(i + 1)..<close])
                inWord = true
                i = close
            case "\"":
                var j = i + 1
                while j < s.count, s[j] != "\"" {
                    if s[j] == "\\", j + 1 < s.count, s[j + 1] == "\"" || s[j + 1] == "\\" { j += 1 }
                    word.append(s[j])
                    j += 1
                }
                guard j < s.count else { return .failure(.init(offset: i, quote: "\"")) }
                inWord = true
                i = j
            case "\\":
                if i + 1 < s.count { word.append(s[i + 1]); i += 1 }
                inWord = true
            default:
                word.append(c)
                inWord = true
            }
            i += 1
        }
        if inWord { words.append(word) }
        return .success(words)
    }

    /// Reads the words of a command line. `isName` says whether a word is an image or
    /// application name (argv[0], or the repeated name manifestc writes).
    public static func read(_ words: [String], isName: (String) -> Bool) -> KernelArguments {
        var out = KernelArguments()
        guard let split = words.firstIndex(of: "--") else {
            var rest = words[...]
            while let first = rest.first, isName(first) { out.names.append(first); rest = rest.dropFirst() }
            out.arguments = Array(rest)
            return out
        }
        out.separated = true
        out.arguments = Array(words[(split + 1)...])
        var before = words[..<split]
        while let first = before.first, isName(first), !first.contains("=") { out.names.append(first); before = before.dropFirst() }
        var i = before.startIndex
        while i < before.endIndex {
            let word = before[i]
            // A list parameter: `key=[`, entries, `]`; also `key=[entry` and `entry]` glued.
            if let eq = word.firstIndex(of: "="), word[word.index(after: eq)...].hasPrefix("[") {
                let key = String(word[..<eq])
                var entries: [String] = []
                var first = String(word[word.index(eq, offsetBy: 2)...])
                var j = i + 1
                var closed = false
                if first.hasSuffix("]") { first.removeLast(); closed = true }
                if !first.isEmpty { entries.append(first) }
                while !closed, j < before.endIndex {
                    var entry = before[j]
                    j += 1
                    if entry == "]" { closed = true; break }
                    if entry.hasSuffix("]") { entry.removeLast(); closed = true }
                    entries.append(entry)
                }
                switch key {
                case "vfs.fstab": out.fstab += entries
                case "env.vars": out.environment += entries
                case "netdev.ip": out.addresses += entries
                default: out.parameters += KernelCommandLine.list(key, entries)
                }
                i = j
                continue
            }
            if word.hasPrefix("netdev.ip=") {
                out.addresses.append(String(word.dropFirst("netdev.ip=".count)))
            } else if word.hasPrefix("vfs.fstab=") {
                out.fstab.append(String(word.dropFirst("vfs.fstab=".count)))
            } else if word.hasPrefix("env.vars=") {
                out.environment.append(String(word.dropFirst("env.vars=".count)))
            } else {
                out.parameters.append(word)
            }
            i += 1
        }
        return out
    }

    /// Whether two readings say the same, whatever image names they carried and whichever
    /// mounts they list (a VMM without 9p leaves the shares' fstab entries out).
    public func sameMeaning(as other: KernelArguments) -> Bool {
        var a = self, b = other
        a.names = []; b.names = []
        a.fstab = []; b.fstab = []
        return a == b
    }

    /// The `cmd` a manifest needs for these parameters and arguments.
    public var command: [String] {
        parameters.isEmpty && !arguments.contains("--") ? arguments : parameters + ["--"] + arguments
    }
}

/// One `vfs.fstab` entry: `dev:mountpoint:fs[:flags[:opts[:ukopts]]]`.
public struct FstabEntry: Sendable, Equatable {
    public var device: String
    public var mountPoint: String
    public var filesystem: String
    public var rest: [String]

    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 3 else { return nil }
        device = parts[0]
        mountPoint = parts[1]
        filesystem = parts[2]
        rest = Array(parts[3...])
    }

    /// The entries manifestc writes itself: the initrd extracted to `/`, and an empty ramfs root.
    public var isGeneratedRoot: Bool {
        (device == "initrd0" && mountPoint == "/" && filesystem == "extract" && rest.prefix(2) == ["", "ramfs=1"])
            || (device == "none" && mountPoint == "/" && filesystem == "ramfs")
    }
}
