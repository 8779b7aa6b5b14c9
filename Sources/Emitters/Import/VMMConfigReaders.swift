import Manifest
import Planner
import Diagnostics

/// Reads Firecracker's `--config-file` JSON (through the YAML reader, which keeps positions).
public enum FirecrackerConfigReader {
    public static func read(_ text: String, file: String) -> (facts: RunFacts?, diagnostics: [Diagnostic]) {
        let parsed = YAMLReader().read(Array(text.utf8), file: file)
        var diagnostics = parsed.diagnostics
        guard let root = parsed.root, let top = root.mapping else {
            if parsed.root != nil {
                diagnostics.append(.error("firecracker-json", "a Firecracker configuration must be a JSON object", at: SourceLocation(file: file, line: 1, column: 1)))
            }
            return (nil, diagnostics)
        }
        var facts = RunFacts(location: SourceLocation(file: file, range: root.range), kind: "firecracker")
        facts.platform = .fc
        func at(_ node: YAMLNode) -> SourceLocation { SourceLocation(file: file, range: node.range) }
        func field(_ node: YAMLNode, _ key: String) -> YAMLNode? { node.mapping?.first { $0.key.scalar?.text == key }?.value }
        for pair in top {
            let key = pair.key.scalar?.text ?? ""
            let value = pair.value
            switch key {
            case "boot-source":
                if let kernel = field(value, "kernel_image_path")?.scalar?.text {
                    facts.kernel = kernel
                    facts.architecture = RunFacts.target(ofImage: kernel)?.architecture
                }
                if let args = field(value, "boot_args"), let text = args.scalar?.text {
                    facts.commandLineLocation = at(args)
                    switch KernelArguments.tokenize(text) {
                    case .success(let words): facts.commandLine = words
                    case .failure(let problem):
                        diagnostics.append(.warning("cmdline-quote", "the \(problem.quote) opened in 'boot_args' is not closed; the kernel command line is not read", at: at(args)))
                    }
                }
                if let initrd = field(value, "initrd_path")?.scalar?.text { facts.initrd = initrd }
            case "machine-config":
                if let node = field(value, "mem_size_mib") {
                    if case .int(let n)? = node.scalar?.resolved { facts.memoryMiB = Located(n, at: node.range) }
                }
                if let node = field(value, "vcpu_count") {
                    if case .int(let n)? = node.scalar?.resolved { facts.vcpus = Located(n, at: node.range) }
                }
            case "network-interfaces":
                for item in value.sequence ?? [] {
                    facts.interfaces.append(.tap(field(item, "host_dev_name")?.scalar?.text ?? "tap\(facts.interfaces.count)"))
                }
            case "drives":
                if let items = value.sequence, !items.isEmpty {
                    diagnostics.append(.warning("firecracker-drives", "Firecracker drives cannot be expressed in a manifest; they are left out", at: at(value)))
                }
            case "logger", "metrics", "cpu-config", "balloon", "vsock", "mmds-config", "entropy":
                if value.scalar?.resolved != .null {
                    diagnostics.append(.warning("firecracker-setting", "'\(key)' cannot be expressed in a manifest; it is left out", at: at(pair.key)))
                }
            default:
                diagnostics.append(.warning("firecracker-setting", "'\(key)' is not a Firecracker setting the import knows; it is left out", at: at(pair.key)))
            }
        }
        return (facts, diagnostics)
    }
}

/// Reads an `xl` domain configuration: `key = value` lines, values quoted with `"` or
/// `'` (with `\"` escapes), numbers, or `[ … ]` lists of strings.
public enum XenConfigReader {
    public static func read(_ text: String, file: String) -> (facts: RunFacts, diagnostics: [Diagnostic]) {
        var facts = RunFacts(location: SourceLocation(file: file, line: 1, column: 1), kind: "xen")
        facts.platform = .xen
        var diagnostics: [Diagnostic] = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? String(raw.dropLast()) : String(raw)
            let trimmed = line.trimmingBlanks
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard let eq = line.firstIndex(of: "=") else {
                diagnostics.append(.warning("xen-syntax", "expected 'key = value'; the line is ignored", at: SourceLocation(file: file, line: n + 1, column: 1)))
                continue
            }
            let key = line[..<eq].trimmingBlanks
            let valueText = String(line[line.index(after: eq)...]).trimmingBlanks
            let column = line.distance(from: line.startIndex, to: eq) + 2 + (line[line.index(after: eq)...].prefix { $0 == " " || $0 == "\t" }.count)
            let here = SourceLocation(file: file, line: n + 1, column: column)
            guard let values = parseValue(valueText), !values.isEmpty || valueText.hasPrefix("[") else {
                diagnostics.append(.warning("xen-syntax", "the value of '\(key)' is not a quoted string, a number or a list; the line is ignored", at: here))
                continue
            }
            let first = values.first ?? ""
            switch key {
            case "memory":
                if let n = Int(first) { facts.memoryMiB = Located(n, at: here.range) }
            case "vcpus":
                if let n = Int(first) { facts.vcpus = Located(n, at: here.range) }
            case "kernel":
                facts.kernel = first
                facts.architecture = RunFacts.target(ofImage: first)?.architecture
            case "ramdisk": facts.initrd = first
            case "cmdline", "extra":
                facts.commandLineLocation = here
                switch KernelArguments.tokenize(first) {
                case .success(let words): facts.commandLine = words
                case .failure:
                    diagnostics.append(.warning("cmdline-quote", "the kernel command line has an unterminated quote; it is not read", at: here))
                }
            case "vif":
                for vif in values {
                    let (_, options) = LaunchScriptReader.options(vif)
                    facts.interfaces.append(options["bridge"].map { .bridge($0) } ?? .user)
                }
            case "p9":
                for share in values {
                    let (_, options) = LaunchScriptReader.options(share)
                    if let path = options["path"] { facts.shares.append((path, options["tag"])) }
                }
            case "name", "type", "on_poweroff", "on_crash", "on_reboot", "on_start":
                break
            default:
                diagnostics.append(.warning("xen-setting", "'\(key)' cannot be expressed in a manifest; it is left out", at: SourceLocation(file: file, line: n + 1, column: 1)))
            }
        }
        return (facts, diagnostics)
    }

    /// The strings of a value: one for a scalar, several for a list; nil when malformed.
    static func parseValue(_ text: String) -> [String]? {
        let s = Array(text)
        var values: [String] = []
        var i = 0
        let isList = s.first == "["
        if isList { i = 1 }
        while i < s.count {
            let c = s[i]
            if c == " " || c == "\t" || c == "," { i += 1; continue }
            if c == "]" && isList { return values }
            if c == "\"" || c == "'" {
                var value = ""
                var j = i + 1
                while j < s.count, s[j] != c {
                    if s[j] == "\\", j + 1 < s.count { j += 1 }
                    value.append(s[j])
                    j += 1
                }
                guard j < s.count else { return nil }
                values.append(value)
                i = j + 1
            } else {
                var value = ""
                while i < s.count, !" \t,]".contains(s[i]) { value.append(s[i]); i += 1 }
                values.append(value)
            }
            if !isList { break }
        }
        return isList ? nil : values
    }
}
