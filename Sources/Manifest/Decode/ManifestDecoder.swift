import Diagnostics

/// Decodes a located YAML tree of any spec version into the normalized `Manifest`.
struct ManifestDecoder {
    var context: DecodeContext

    init(file: String, interpolator: Interpolator, strict: Bool, limits: Limits) {
        context = DecodeContext(file: file, interpolator: interpolator, strict: strict, limits: limits)
    }

    mutating func decode(_ root: YAMLNode) -> Manifest? {
        guard let pairs = root.mapping else {
            let what = root.scalar?.resolved == .null ? "has no content" : "is \(root.kindDescription)"
            context.error("manifest-not-map", "the manifest \(what); it must be a map of keys such as 'spec', 'name' and 'targets'", root.range)
            return nil
        }
        guard let spec = context.specVersion(pairs, root: root) else { return nil }
        let known = ManifestKeys.topLevel(spec)
        let entries = context.map(root, "the manifest", known: known, hint: { key in
            if key.hasPrefix("CONFIG_") {
                return "a kconfig option at the top level is probably mis-indented; options belong under 'unikraft:' → 'kconfig:'"
            }
            for other in SpecVersion.allCases where other != spec && ManifestKeys.topLevel(other).contains(key) {
                return "'\(key)' belongs to spec v\(other.rawValue); this file says v\(spec.rawValue)"
            }
            return nil
        }) ?? []

        var manifest = Manifest(file: context.file, spec: spec)
        var architectures: [DecodeContext.ProductEntry] = []
        var platforms: [DecodeContext.ProductEntry] = []
        for (key, value) in entries {
            switch key.value {
            case "spec", "specification":
                break
            case "name":
                manifest.name = context.string(value, "'name'")
            case "outdir":
                manifest.outdir = context.string(value, "'outdir'")
            case "unikraft":
                manifest.unikraft = context.component(value, "'unikraft'", known: ManifestKeys.component)
            case "template":
                manifest.template = context.component(value, "'template'", known: ManifestKeys.template, scalarIsSource: spec == .v0_7)
            case "runtime":
                manifest.runtime = context.string(value, "'runtime'")
            case "libraries":
                manifest.libraries = context.libraries(value)
            case "targets":
                manifest.targets = context.targets(value, spec: spec)
            case "architectures":
                architectures = context.productEntries(value, "architectures", known: ManifestKeys.architectureEntry)
            case "platforms":
                platforms = context.productEntries(value, "platforms", known: ManifestKeys.platformEntry)
            case "volumes":
                manifest.volumes = context.volumes(value)
            case "networks":
                manifest.networks = context.networks(value)
            case "cmd":
                manifest.cmd = context.command(value, "'cmd'")
            case "arguments":
                manifest.cmd = context.command(value, "'arguments'")
            case "env":
                manifest.env = context.environment(value)
            case "labels":
                manifest.labels = context.labels(value)
            case "rootfs":
                manifest.rootfs = context.rootfs(value, "'rootfs'")
            case "roms":
                for item in context.list(value, "'roms'") ?? [] {
                    if let rom = context.rootfs(item, "a rom") { manifest.roms.append(rom) }
                }
            case "run":
                decodeRun(value, into: &manifest)
            case "pre_up", "post_down", "before", "after":
                context.warning("ignored-key", "'\(key.value)' is ignored; manifestc does not run host commands named in a manifest", key.range)
            default:
                break
            }
        }
        for pair in pairs where pair.key.scalar?.text == "x-manifestc" {
            decodeExtension(pair.value, into: &manifest)
        }
        if spec == .v0_4 {
            manifest.targets = context.productTargets(architectures: architectures, platforms: platforms)
        }
        context.checkKconfigPerTarget(manifest)
        return manifest
    }

    /// manifestc's own extension key: `x-manifestc: {memory: MiB, vcpus: N, library-order: [names], app: folder}`.
    /// Other tools ignore `x-` keys; a value manifestc cannot use is a warning and is left out.
    private mutating func decodeExtension(_ node: YAMLNode, into manifest: inout Manifest) {
        guard let entries = context.map(node, "'x-manifestc'", known: ManifestKeys.manifestcExtension) else { return }
        for (key, value) in entries {
            if key.value == "app" {
                manifest.app = context.string(value, "'x-manifestc.app'")
                continue
            }
            if key.value == "library-order" {
                guard let items = context.list(value, "'x-manifestc.library-order'") else { continue }
                let names = items.compactMap { context.string($0, "a library name in 'x-manifestc.library-order'") }
                if names.count == items.count { manifest.libraryOrder = Located(names, at: value.range) }
                continue
            }
            guard case .int(let number)? = value.scalar?.resolved, number > 0 else {
                context.warning("extension-value", "'x-manifestc.\(key.value)' must be a positive whole number (memory in MiB), not \(value.kindDescription); it is ignored", value.range)
                continue
            }
            let located = Located(number, at: value.range)
            if key.value == "memory" { manifest.memoryMiB = located } else { manifest.vcpus = located }
        }
    }

    /// Spec 0.4's `run:` section: arguments become `cmd`; volumes and networks move to the top level.
    private mutating func decodeRun(_ node: YAMLNode, into manifest: inout Manifest) {
        guard let entries = context.map(node, "'run'", known: ManifestKeys.run) else { return }
        for (key, value) in entries {
            switch key.value {
            case "arguments": manifest.cmd = context.command(value, "'run.arguments'")
            case "volumes": manifest.volumes = context.volumes(value)
            case "networks": manifest.networks = context.networks(value)
            default:
                context.warning("ignored-key", "'run.\(key.value)' is ignored; manifestc does not run host commands named in a manifest", key.range)
            }
        }
    }
}
