import Manifest
import Planner

/// The data block of `launch.sh`: one entry per target, in the branches of its
/// `case "$target" in`, one `field=value` (or `field=(words)`) line per field. The plan
/// decides every value; the script's bash only executes them. This type writes the block
/// and reads it back (`LaunchScriptReader`), so the import sees exactly what was emitted.
public struct LaunchData: Sendable, Equatable {
    /// The fields, in the order they are written; the raw value is the bash variable.
    public enum Field: String, CaseIterable, Sendable {
        case id, platform, arch, image
        case vmmConfig = "vmm_config"
        case defaultMemory = "default_memory", defaultVcpus = "default_vcpus"
        /// Read back by the import only (the version guess): the head already holds it.
        case argv0Supplied = "argv0_supplied"
        /// Read back by the import only: the kernel parameters, which the head already holds.
        case params
        case commandLineHead = "cmdline_head", commandLineHeadSeparated = "cmdline_head_separated"
        case defaultArgs = "default_args"
        case shares, shareTags = "share_tags", shareReadOnly = "share_readonly"
        case initrd, networks

        var isArray: Bool {
            switch self {
            case .params, .commandLineHead, .commandLineHeadSeparated, .defaultArgs, .shares, .shareTags, .shareReadOnly, .networks: true
            default: false
            }
        }
    }

    /// A network interface as the script's `networks` array spells it: `user`, `bridge:NAME`, `tap:NAME`.
    public enum Network: Sendable, Equatable {
        case user, bridge(String), tap(String)

        var word: String {
            switch self {
            case .user: "user"
            case .bridge(let name): "bridge:" + name
            case .tap(let name): "tap:" + name
            }
        }

        init(word: String) {
            if word.hasPrefix("bridge:") { self = .bridge(String(word.dropFirst("bridge:".count))) }
            else if word.hasPrefix("tap:") { self = .tap(String(word.dropFirst("tap:".count))) }
            else { self = .user }
        }
    }

    public var id = ""
    public var platform = ""
    public var architecture = ""
    /// The image relative to the script's folder; empty for a prebuilt kernel (`-k PATH` gives it).
    public var image = ""
    /// Firecracker's or xl's configuration file, relative to the script's folder; empty for other platforms.
    public var vmmConfig = ""
    public var memoryMiB = 0
    public var vcpus = 0
    public var argv0Supplied = false
    public var parameters: [String] = []
    public var head = KernelCommandLine.Head(plain: [], separated: [])
    public var arguments: [String] = []
    public var shares: [String] = []
    public var shareTags: [String] = []
    public var shareReadOnly: [Bool] = []
    public var initrd = ""
    public var networks: [Network] = []

    public init() {}

    /// The entry the plan decides for `target`.
    public init(_ target: TargetPlan) {
        let run = target.run
        id = target.id
        platform = target.platform.rawValue
        architecture = target.architecture.rawValue
        image = target.prebuilt ? "" : target.imagePath
        vmmConfig = target.vmmConfigFile ?? ""
        memoryMiB = run.memoryMiB
        vcpus = run.vcpus
        argv0Supplied = run.argv0Supplied
        parameters = run.kernelParameters
        head = target.commandLine
        arguments = run.applicationArguments
        shares = run.shares.map(\.hostPath)
        shareTags = run.shares.map(\.tag)
        shareReadOnly = run.shares.map(\.readOnly)
        initrd = run.initrd ?? ""
        networks = run.networks.map { network in
            switch network.mode {
            case .user: .user
            case .bridge(let name): .bridge(name)
            case .tap(let name): .tap(name)
            }
        }
    }

    /// A field's value as words (a scalar is one word).
    func words(_ field: Field) -> [String] {
        switch field {
        case .id: [id]
        case .platform: [platform]
        case .arch: [architecture]
        case .image: [image]
        case .vmmConfig: [vmmConfig]
        case .defaultMemory: [String(memoryMiB)]
        case .defaultVcpus: [String(vcpus)]
        case .argv0Supplied: [argv0Supplied ? "1" : "0"]
        case .params: parameters
        case .commandLineHead: head.plain
        case .commandLineHeadSeparated: head.separated
        case .defaultArgs: arguments
        case .shares: shares
        case .shareTags: shareTags
        case .shareReadOnly: shareReadOnly.map { $0 ? "1" : "0" }
        case .initrd: [initrd]
        case .networks: networks.map(\.word)
        }
    }

    mutating func set(_ field: Field, _ words: [String]) {
        let scalar = words.first ?? ""
        switch field {
        case .id: id = scalar
        case .platform: platform = scalar
        case .arch: architecture = scalar
        case .image: image = scalar
        case .vmmConfig: vmmConfig = scalar
        case .defaultMemory: memoryMiB = Int(scalar) ?? 0
        case .defaultVcpus: vcpus = Int(scalar) ?? 0
        case .argv0Supplied: argv0Supplied = scalar == "1"
        case .params: parameters = words
        case .commandLineHead: head.plain = words
        case .commandLineHeadSeparated: head.separated = words
        case .defaultArgs: arguments = words
        case .shares: shares = words
        case .shareTags: shareTags = words
        case .shareReadOnly: shareReadOnly = words.map { $0 == "1" }
        case .initrd: initrd = scalar
        case .networks: networks = words.map(Network.init(word:))
        }
    }

    /// The entry's lines, each shell-quoted and indented by `indent`. A scalar is always in
    /// quotes (shellcheck reads a bare `id=qemu-x86_64` as arithmetic gone wrong).
    public func lines(indent: String) -> [String] {
        Field.allCases.map { field in
            let words = self.words(field).map(ShellQuote.quote)
            if field.isArray { return indent + field.rawValue + "=(" + words.joined(separator: " ") + ")" }
            return indent + field.rawValue + "=" + (words[0] == self.words(field)[0] ? "'\(words[0])'" : words[0])
        }
    }

    /// Reads one `field=value` line back; false when the line is not one of the block's fields
    /// (or does not split as the writer writes it).
    public mutating func read(line: Substring) -> Bool {
        let text = line.drop { $0 == " " || $0 == "\t" }
        guard let eq = text.firstIndex(of: "="), let field = Field(rawValue: String(text[..<eq])) else { return false }
        var value = String(text[text.index(after: eq)...])
        if field.isArray {
            guard value.hasPrefix("("), value.hasSuffix(")") else { return false }
            value = String(value.dropFirst().dropLast())
        }
        guard case .success(let words) = ShellWords.split(value), field.isArray || words.count <= 1 else { return false }
        set(field, words)
        return true
    }
}
