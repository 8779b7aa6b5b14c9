import Diagnostics

extension Manifest {
    /// The normalized manifest as a document for `manifestc show`: fixed key order,
    /// empty sections left out, no source positions and no spec version, so the same
    /// app written in different spec versions shows the same.
    public var document: DocumentValue {
        var fields: [(String, DocumentValue)] = []
        func add(_ key: String, _ value: DocumentValue?) {
            guard let value else { return }
            if case .list(let items) = value, items.isEmpty { return }
            if case .map(let pairs) = value, pairs.isEmpty { return }
            fields.append((key, value))
        }
        add("name", name.map { .string($0.value) })
        add("outdir", outdir.map { .string($0.value) })
        add("unikraft", unikraft.map(Self.component))
        add("template", template.map(Self.component))
        add("runtime", runtime.map { .string($0.value) })
        add("targets", .list(targets.map(Self.target)))
        add("libraries", .list(libraries.map { library in
            var pairs: [(String, DocumentValue)] = [("name", .string(library.name.value))]
            if case .map(let rest) = Self.component(library.component) { pairs += rest }
            return .map(pairs)
        }))
        add("volumes", .list(volumes.map(Self.volume)))
        add("networks", .list(networks.map(Self.network)))
        add("cmd", cmd.map { .list($0.map { .string($0.value) }) })
        add("env", .list(env.map { variable in
            .map([("name", .string(variable.name.value))] + (variable.value.map { [("value", DocumentValue.string($0.value))] } ?? []))
        }))
        add("rootfs", rootfs.map(Self.rootfs))
        add("roms", .list(roms.map(Self.rootfs)))
        add("labels", .map(labels.map { ($0.key.value, .string($0.value.value)) }))
        var extensions = [("memory", memoryMiB), ("vcpus", vcpus)].compactMap { key, value in value.map { (key, DocumentValue.int($0.value)) } }
        if let app { extensions.append(("app", .string(app.value))) }
        if let libraryOrder { extensions.append(("library-order", .list(libraryOrder.value.map { .string($0.value) }))) }
        add("x-manifestc", .map(extensions))
        return .map(fields)
    }

    private static func kconfig(_ options: [KconfigOption]) -> DocumentValue {
        .list(options.map { .string("\($0.symbol.value)=\($0.value.value.seedText)") })
    }

    private static func component(_ c: Component) -> DocumentValue {
        var pairs: [(String, DocumentValue)] = []
        if let source = c.source { pairs.append(("source", .string(source.value))) }
        if let version = c.version { pairs.append(("version", .string(version.value))) }
        if !c.kconfig.isEmpty { pairs.append(("kconfig", kconfig(c.kconfig))) }
        return .map(pairs)
    }

    private static func target(_ t: Target) -> DocumentValue {
        var pairs: [(String, DocumentValue)] = []
        if let name = t.name { pairs.append(("name", .string(name.value))) }
        pairs.append(("platform", .string(t.platform.value.rawValue)))
        pairs.append(("architecture", .string(t.architecture.value.rawValue)))
        if !t.kconfig.isEmpty { pairs.append(("kconfig", kconfig(t.kconfig))) }
        return .map(pairs)
    }

    private static func volume(_ v: Volume) -> DocumentValue {
        var pairs: [(String, DocumentValue)] = []
        if let source = v.source { pairs.append(("source", .string(source.value))) }
        if let destination = v.destination { pairs.append(("destination", .string(destination.value))) }
        if let driver = v.driver { pairs.append(("driver", .string(driver.value))) }
        if v.readOnly { pairs.append(("readonly", .bool(true))) }
        if let archive = v.archive { pairs.append(("archive", .string(archive.value))) }
        return .map(pairs)
    }

    private static func network(_ n: Network) -> DocumentValue {
        var pairs: [(String, DocumentValue)] = []
        if let name = n.name { pairs.append(("name", .string(name.value))) }
        pairs += n.settings.map { ($0.key.value, .string($0.value.value)) }
        return .map(pairs)
    }

    private static func rootfs(_ r: Rootfs) -> DocumentValue {
        var pairs: [(String, DocumentValue)] = [("source", .string(r.source.value))]
        if let type = r.type { pairs.append(("type", .string(type.value))) }
        if let format = r.format { pairs.append(("format", .string(format.value))) }
        return .map(pairs)
    }
}
