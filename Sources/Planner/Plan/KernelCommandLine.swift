/// Unikraft's kernel command line: its quoting and the rule that keeps argv right on
/// every platform and version (reference: running-unikernels.md §4).
public enum KernelCommandLine {
    /// One argument as Unikraft's tokenizer reads it back: in double quotes with `"` and
    /// `\` escaped when it has whitespace, quotes or backslashes (or is empty).
    public static func quote(_ argument: String) -> String {
        let special = argument.isEmpty || argument.unicodeScalars.contains { " \t\r\n\u{0B}'\"\\".unicodeScalars.contains($0) }
        guard special else { return argument }
        var out = "\""
        for s in argument.unicodeScalars {
            if s == "\"" || s == "\\" { out.append("\\") }
            out.unicodeScalars.append(s)
        }
        return out + "\""
    }

    /// The words a target's command line starts with, before the application arguments,
    /// decided once by the planner (`TargetPlan.commandLine`); `launch.sh` carries both forms
    /// and only picks one, by whether the arguments given at run time hold a `--`.
    public struct Head: Sendable, Equatable {
        /// The words before arguments that hold no `--`.
        public var plain: [String]
        /// The words before arguments that hold a `--`: `name name params… --`.
        public var separated: [String]

        public init(plain: [String], separated: [String]) {
            self.plain = plain
            self.separated = separated
        }

        /// The argv words the image sees after argv[0], unquoted.
        public func words(arguments: [String]) -> [String] {
            (arguments.contains("--") ? separated : plain) + arguments
        }

        /// The command line as one string, each word quoted for Unikraft.
        public func render(arguments: [String]) -> String {
            words(arguments: arguments).map(KernelCommandLine.quote).joined(separator: " ")
        }
    }

    /// The head of the command line for image `name`:
    /// - with parameters, or a `--` among the arguments: `name name params… --`
    ///   (the repeated name is never a parameter and keeps `--` away from argv[1]);
    /// - otherwise nothing where the VMM supplies argv[0], `name` where it does not.
    /// `separator` forces the `--` form even without parameters (Firecracker parses its
    /// device parameters only when a `--` is present).
    public static func head(name: String, parameters: [String], argv0Supplied: Bool, separator: Bool = false) -> Head {
        let separated = [name, name] + parameters + ["--"]
        return Head(plain: separator || !parameters.isEmpty ? separated : argv0Supplied ? [] : [name], separated: separated)
    }

    /// A list parameter as words: `key=[`, the entries, `]` (rendered `key=[ "a b" c ]`).
    /// Unikraft's libparam parser ends a list at the first word that ends with `]` and skips
    /// empty words, whatever their quotes: entries that are empty or end with `]` cannot be
    /// list items, so `array` passes them as `key=entry` words of their own.
    public static func list(_ key: String, _ entries: [String]) -> [String] {
        ["\(key)=["] + entries + ["]"]
    }

    /// An array parameter: the list form for the entries a list can carry, then one
    /// `key=entry` word for each of the others (libparam appends each to the same array).
    /// An entry in a `key=entry` word must not start with `[`, which would open a list.
    public static func array(_ key: String, _ entries: [String]) -> [String] {
        let listable = entries.filter(isListEntry)
        let single = entries.filter { !isListEntry($0) }
        return (listable.isEmpty ? [] : list(key, listable)) + single.map { "\(key)=\($0)" }
    }

    /// Whether libparam's list parser reads `entry` back as one item.
    public static func isListEntry(_ entry: String) -> Bool {
        !entry.isEmpty && !entry.hasSuffix("]")
    }
}
