import Manifest
import Planner
import Diagnostics
import Kconfig

extension SetupImporter {
    /// What the files of a setup say, read: its configurations, its run settings (launch scripts,
    /// VMM configurations) and its first Makefile.
    struct Reading {
        var configs: [ConfigSource] = []
        var facts: [RunFacts] = []
        var makefile: MakefileReader?
    }

    /// Reads every file, in path order, recording in `setup` the ones that said something.
    mutating func readFiles(into setup: inout ImportedSetup) -> Reading {
        var reading = Reading()
        for file in input.files.sorted(by: { $0.path < $1.path }) {
            switch Self.kind(of: file) {
            case .makefile:
                guard reading.makefile == nil else { continue }
                reading.makefile = MakefileReader(text: file.text, file: file.path)
                setup.filesRead.append(file.path)
            case .config:
                reading.configs.append(readConfig(file))
                setup.filesRead.append(file.path)
            case .firecracker:
                let (f, d) = FirecrackerConfigReader.read(file.text, file: file.path)
                diagnostics += d
                if var f {
                    let named = Self.target(ofFileName: file.path)
                    if f.architecture == nil { f.architecture = named.architecture }
                    if let id = named.id, named.architecture == nil || RunFacts.target(ofImage: f.kernel ?? "") == nil { f.targetID = id }
                    reading.facts.append(f)
                }
                setup.filesRead.append(file.path)
            case .xen:
                var (f, d) = XenConfigReader.read(file.text, file: file.path)
                diagnostics += d
                if f.architecture == nil { f.architecture = Self.target(ofFileName: file.path).architecture }
                reading.facts.append(f)
                setup.filesRead.append(file.path)
            case .script:
                let (f, d) = LaunchScriptReader.read(file.text, file: file.path)
                diagnostics += d
                if !f.isEmpty || !d.isEmpty { setup.filesRead.append(file.path) }
                reading.facts += f
            case .ignored:
                break
            }
        }
        if let makefile = reading.makefile { diagnostics += makefile.diagnostics }
        return reading

    }

    // MARK: - Classifying files

    enum Kind { case makefile, config, firecracker, xen, script, ignored }

    static func kind(of file: SetupFile) -> Kind {
        let base = file.path.split(separator: "/").last.map(String.init) ?? file.path
        if ["Makefile", "GNUmakefile", "makefile"].contains(base) { return .makefile }
        if base == "qemu-guest" || base.hasSuffix(".old") || base == "Config.uk" || base.hasSuffix(".uk") || base.hasSuffix(".yaml") || base.hasSuffix(".yml") || base == "Kraftfile" { return .ignored }
        if base.hasSuffix(".json") { return file.text.contains("\"boot-source\"") ? .firecracker : .ignored }
        if base.hasSuffix(".cfg") { return .xen }
        if looksLikeConfig(file.text) { return .config }
        if base.hasSuffix(".sh") || file.text.hasPrefix("#!") || base.hasPrefix("launch") || base.hasPrefix("run") || base.hasSuffix(".fish") || base.hasSuffix(".csh") {
            return .script
        }
        return .ignored
    }

    static func looksLikeConfig(_ text: String) -> Bool {
        var configLines = 0, otherLines = 0
        for line in text.split(separator: "\n").prefix(400) {
            if line.hasPrefix("CONFIG_") || (line.hasPrefix("# CONFIG_") && line.hasSuffix(" is not set")) { configLines += 1 }
            else if !line.hasPrefix("#") && !line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { otherLines += 1 }
        }
        return configLines > 0 && configLines >= otherLines
    }

    /// `(platform, architecture, name)` from a file name such as `qemu.x86_64`,
    /// `.config.qemu-x86_64`, `defconfig.fc-arm64`, `fc-myname.json`, `xen.arm64.cfg`.
    public static func target(ofFileName path: String) -> (platform: Platform?, architecture: Architecture?, id: String?) {
        var base = path.split(separator: "/").last.map(String.init) ?? path
        for ext in [".json", ".cfg", ".sh"] where base.hasSuffix(ext) { base.removeLast(ext.count) }
        for prefix in [".config.", "config.", "defconfig.", "fc-", "xen-", "fc.", "xen."] where base.hasPrefix(prefix) {
            let rest = String(base.dropFirst(prefix.count))
            if prefix.hasPrefix("fc") || prefix.hasPrefix("xen") {
                let platform: Platform = prefix.hasPrefix("fc") ? .fc : .xen
                let arch = Architecture(rawValue: rest) ?? rest.split(separator: "-").last.flatMap { Architecture(rawValue: String($0)) }
                return (platform, arch, rest)
            }
            base = rest
            break
        }
        let parts = base.split(whereSeparator: { $0 == "." || $0 == "-" }).map(String.init)
        if parts.count >= 2, let arch = Architecture(rawValue: parts.last!) {
            let platformText = parts[parts.count - 2]
            let platform = platformText == "kvm" ? .qemu : Platform(rawValue: platformText)
            if platform != nil { return (platform, arch, base) }
        }
        return (nil, nil, base.isEmpty ? nil : base)
    }
}
