import Diagnostics

extension Manifest {
    /// This manifest laid over the manifest of its `template` (spec 0.7's merge rules,
    /// which KraftKit's 0.6 templates follow too): `name`, `outdir`, `targets`, `cmd`,
    /// `runtime`, `rootfs`, `roms`, `volumes` and `networks` replace the template's when
    /// given; `env`, `labels` and `libraries` are merged by name (this manifest winning,
    /// the template's order kept, new entries appended); `unikraft`'s `source` and
    /// `version` replace the template's one by one and its kconfig is merged by symbol.
    /// Values taken from the template keep its file in their locations.
    public func overlaid(on template: Manifest) -> Manifest {
        let base = template.markedAsFrom(template.file)
        var out = self
        out.template = nil
        if name == nil { out.name = base.name }
        if outdir == nil { out.outdir = base.outdir }
        if targets.isEmpty { out.targets = base.targets }
        if cmd == nil { out.cmd = base.cmd }
        if runtime == nil { out.runtime = base.runtime }
        if rootfs == nil { out.rootfs = base.rootfs }
        if roms.isEmpty { out.roms = base.roms }
        if volumes.isEmpty { out.volumes = base.volumes }
        if networks.isEmpty { out.networks = base.networks }
        out.env = Self.merge(base.env, env) { $0.name.value }
        out.labels = Self.merge(base.labels, labels) { $0.key.value }
        out.libraries = Self.merge(base.libraries, libraries) { $0.name.value }
        switch (base.unikraft, unikraft) {
        case (nil, _): break
        case (let inherited?, nil): out.unikraft = inherited
        case (let inherited?, let own?):
            var merged = own
            merged.source = own.source ?? inherited.source
            merged.version = own.version ?? inherited.version
            merged.kconfig = Self.merge(inherited.kconfig, own.kconfig) { $0.symbol.value }
            out.unikraft = merged
        }
        return out
    }

    /// `base` with entries of `overrides` replacing those of the same key in place, and new ones appended.
    private static func merge<T>(_ base: [T], _ overrides: [T], key: (T) -> String) -> [T] {
        var out = base
        for item in overrides {
            if let i = out.firstIndex(where: { key($0) == key(item) }) { out[i] = item } else { out.append(item) }
        }
        return out
    }

    /// Every located value of this manifest, marked as written in `file`.
    private func markedAsFrom(_ file: String) -> Manifest {
        func mark<T>(_ v: Located<T>?) -> Located<T>? { v.map { var c = $0; c.file = c.file ?? file; return c } }
        func mark<T>(_ v: Located<T>) -> Located<T> { var c = v; c.file = c.file ?? file; return c }
        func mark(_ options: [KconfigOption]) -> [KconfigOption] { options.map { KconfigOption(symbol: mark($0.symbol), value: mark($0.value)) } }
        func mark(_ c: Component?) -> Component? {
            c.map { Component(source: mark($0.source), version: mark($0.version), kconfig: mark($0.kconfig), range: $0.range) }
        }
        var m = self
        m.name = mark(name)
        m.outdir = mark(outdir)
        m.unikraft = mark(unikraft)
        m.runtime = mark(runtime)
        m.targets = targets.map { t in
            var c = t
            c.file = c.file ?? file
            c.name = mark(t.name)
            c.platform = mark(t.platform)
            c.architecture = mark(t.architecture)
            c.kconfig = mark(t.kconfig)
            return c
        }
        m.libraries = libraries.map { Library(name: mark($0.name), component: mark($0.component)!) }
        m.volumes = volumes.map { v in
            var c = v
            c.file = c.file ?? file
            c.source = mark(v.source)
            c.destination = mark(v.destination)
            c.driver = mark(v.driver)
            return c
        }
        m.cmd = cmd?.map(mark)
        m.env = env.map { EnvironmentVariable(name: mark($0.name), value: mark($0.value)) }
        m.labels = labels.map { Label(key: mark($0.key), value: mark($0.value)) }
        m.rootfs = rootfs.map { r in Rootfs(source: mark(r.source), type: mark(r.type), format: mark(r.format), range: r.range) }
        return m
    }
}
