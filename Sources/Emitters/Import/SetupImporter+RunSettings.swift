import Manifest
import Planner
import Diagnostics
import Kconfig

extension SetupImporter {
    /// The kernel command line most launch settings agree on, and every reading of one (with
    /// where it was read), for the steps that take parts of it apart.
    struct CommandLineChoice {
        var chosen: KernelArguments
        var readings: [(KernelArguments, SourceLocation)]
    }

    /// Memory, vCPUs, the kernel command line, volumes, environment, networks and `cmd`, from the
    /// launch settings (and, for a root share, the configurations' values).
    mutating func runSettings(_ facts: [RunFacts], assignments: [String: String], into setup: inout ImportedSetup) {
        agreeOnResources(facts, into: &setup)
        var line = chooseCommandLine(facts, setup: setup)
        addVolumes(facts, assignments: assignments, line: &line, into: &setup)
        addEnvironment(line, into: &setup)
        addNetworks(facts, line: &line, into: &setup)
        if !line.readings.isEmpty || !line.chosen.arguments.isEmpty {
            let command = line.chosen.command
            setup.cmd = command.isEmpty ? nil : command
        }
    }

    /// Memory and vCPUs: the value most sources agree on (left out when it is the default).
    private mutating func agreeOnResources(_ facts: [RunFacts], into setup: inout ImportedSetup) {
        setup.memoryMiB = agreed(facts.compactMap { f in f.memoryMiB.map { ($0.value, SourceLocation(file: f.location.file, range: $0.range)) } }, what: "memory", unit: " MiB")
        setup.vcpus = agreed(facts.compactMap { f in f.vcpus.map { ($0.value, SourceLocation(file: f.location.file, range: $0.range)) } }, what: "vCPU count", unit: "")
        if setup.memoryMiB == RunPlanBuilder.defaultMemoryMiB { setup.memoryMiB = nil }
        if setup.vcpus == 1 { setup.vcpus = nil }
    }

    /// The kernel command line: the reading most sources agree on, with the fstab entries of
    /// every reading that agrees.
    private mutating func chooseCommandLine(_ facts: [RunFacts], setup: ImportedSetup) -> CommandLineChoice {
        let names: Set<String> = Set([setup.name] + facts.compactMap { $0.kernel } + facts.compactMap { $0.kernel?.split(separator: "/").last.map(String.init) })
        func isName(_ word: String) -> Bool { names.contains(word) || RunFacts.target(ofImage: word) != nil }
        var readings: [(KernelArguments, SourceLocation)] = []
        for f in facts {
            guard let words = f.commandLine else { continue }
            readings.append((KernelArguments.read(words, isName: f.commandLineIsPlain ? { _ in false } : isName), f.commandLineLocation ?? f.location))
        }
        var chosen = KernelArguments()
        if !readings.isEmpty {
            let counts: [Int] = readings.map { r in readings.filter { $0.0.sameMeaning(as: r.0) }.count }
            let best = counts.indices.max { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) } ?? 0
            chosen = readings[best].0
            // Mounts: every fstab entry of the readings that agree (Firecracker has no 9p, so its lines have none).
            for (reading, _) in readings where reading.sameMeaning(as: chosen) {
                for entry in reading.fstab where !chosen.fstab.contains(entry) { chosen.fstab.append(entry) }
            }
            for (reading, location) in readings where !reading.sameMeaning(as: chosen) {
                diagnostics.append(.warning("import-cmdline-differs", "this kernel command line differs from the one at \(readings[best].1) (\(describe(chosen))); a manifest has one 'cmd' for all targets, so it is not kept: \(describe(reading))",
                                            at: location))
            }
        }
        return CommandLineChoice(chosen: chosen, readings: readings)
    }

    /// Shares (9p) and their mount points, the initrd, a 9p root compiled into the image; the
    /// fstab entries that are not shares stay kernel parameters.
    private mutating func addVolumes(_ facts: [RunFacts], assignments: [String: String], line: inout CommandLineChoice, into setup: inout ImportedSetup) {
        var shares: [(host: String, tag: String?)] = []
        for f in facts {
            for share in f.shares {
                let host = Self.relative(share.host)
                if !shares.contains(where: { Self.relative($0.host) == host && ($0.tag == share.tag || $0.tag == nil || share.tag == nil) }) { shares.append(share) }
            }
        }
        var fstab = line.chosen.fstab.compactMap { text -> FstabEntry? in
            guard let entry = FstabEntry(text) else {
                diagnostics.append(.warning("import-fstab", "'\(text)' is not a vfs.fstab entry (dev:mountpoint:fs…); it is kept as a kernel parameter", at: line.readings.first?.1))
                line.chosen.parameters += ["vfs.fstab=\(text)"]
                return nil
            }
            return entry
        }
        let initrdPaths = facts.compactMap(\.initrd).map { $0.hasPrefix("./") ? String($0.dropFirst(2)) : $0 }
        let initrds = Set(initrdPaths)
        if let initrd = initrdPaths.first {
            setup.initrd = initrd
            if initrds.count > 1 {
                diagnostics.append(.warning("import-initrd", "the launch settings use different initrds (\(initrds.sorted().joined(separator: ", "))); '\(initrd)' is kept", at: facts.first { $0.initrd != nil }?.location))
            }
        }
        for (i, share) in shares.enumerated() {
            let tag = share.tag ?? "fs\(i)"
            var volume = ImportedSetup.VolumeEntry(source: Self.relative(share.host), destination: nil)
            volume.readOnly = facts.contains { f in f.readOnlyShares.contains { Self.relative($0) == volume.source } }
            if let j = fstab.firstIndex(where: { $0.device == tag && $0.filesystem == "9pfs" }) {
                volume.destination = fstab[j].mountPoint
                fstab.remove(at: j)
            } else if assignments["LIBVFSCORE_ROOTDEV"].map(ConfigWriter.unquote) == tag {
                volume.comment = "mounted at / by the image itself (CONFIG_LIBVFSCORE_ROOTDEV=\"\(tag)\")"
            }
            if tag != "fs\(i)" {
                diagnostics.append(.note("import-tag", "share '\(share.host)' has mount tag '\(tag)'; manifestc numbers tags fs0, fs1, … in volume order, so it becomes 'fs\(i)' (its fstab entry follows)",
                                         at: facts.first { $0.shares.contains { Self.relative($0.host) == volume.source } }?.location))
            }
            setup.volumes.append(volume)
        }
        // A 9p root compiled into the image, with no launch setting naming its folder.
        if shares.isEmpty, let rootdev = assignments["LIBVFSCORE_ROOTDEV"].map(ConfigWriter.unquote),
           assignments["LIBVFSCORE_ROOTFS_9PFS"] == "y" || assignments["LIBVFSCORE_ROOTFS"].map(ConfigWriter.unquote) == "9pfs",
           assignments["LIBVFSCORE_AUTOMOUNT_ROOTFS"] == "y" {
            let candidates = input.subfolders.filter { !$0.hasPrefix(".") && !["build", "workdir", "node_modules"].contains($0) }.sorted()
            let folder = candidates.count == 1 ? candidates[0] : candidates.first { $0.contains("fs") || $0.contains("root") }
            if let folder {
                setup.volumes.append(.init(source: "./" + folder, destination: nil,
                    comment: "guessed: the image mounts 9p tag '\(rootdev)' as its root (CONFIG_LIBVFSCORE_ROOTDEV) and no launch script names the folder; './\(folder)' is \(candidates.count == 1 ? "the only folder here" : "the likeliest folder here"); it is shared first, so it gets tag fs0"))
            } else {
                diagnostics.append(.warning("import-root-share", "the image mounts 9p tag '\(rootdev)' as its root, but no launch setting names the host folder and none was found here; add it to 'volumes'", at: nil))
            }
        }
        // The root entry manifestc writes itself when shares are mounted elsewhere than `/`
        // (with the fstab parameter on); any other root entry stays a kernel parameter.
        let destinations = setup.volumes.compactMap(\.destination)
        let regenerated = !destinations.isEmpty && !destinations.contains("/") && assignments["LIBVFSCORE_AUTOMOUNT_UP"] == "y"
        var kept: [String] = []
        for entry in fstab {
            let text = ([entry.device, entry.mountPoint, entry.filesystem] + entry.rest).joined(separator: ":")
            if entry.isGeneratedRoot && regenerated && (entry.device == "none") == (setup.initrd == nil) { continue }
            if ["initrd0", "embedded", "none"].contains(entry.device) {
                kept.append(text)
            } else {
                diagnostics.append(.warning("import-fstab", "fstab entry '\(text)' names device '\(entry.device)', which no share of the launch settings has as its tag; it is left out", at: line.readings.first?.1))
            }
        }
        if !kept.isEmpty {
            line.chosen.parameters = KernelCommandLine.list("vfs.fstab", kept) + line.chosen.parameters
            setup.comment("cmd", "the fstab entries that are not shared folders (\(kept.joined(separator: ", "))) stay kernel parameters")
        }
        if setup.initrd != nil {
            setup.comment("volumes", "the initrd is passed with driver 'initrd'")
        }
    }

    /// `env.vars` entries become the manifest's environment.
    private mutating func addEnvironment(_ line: CommandLineChoice, into setup: inout ImportedSetup) {
        for entry in line.chosen.environment {
            guard let eq = entry.firstIndex(of: "=") else {
                diagnostics.append(.warning("import-env", "env.vars entry '\(entry)' has no '='; it is left out", at: line.readings.first?.1))
                continue
            }
            setup.env.append(.init(key: String(entry[..<eq]), value: String(entry[entry.index(after: eq)...])))
        }
    }

    /// Networks: interfaces and addresses, in order; an address a manifest network cannot say
    /// stays a kernel parameter.
    private mutating func addNetworks(_ facts: [RunFacts], line: inout CommandLineChoice, into setup: inout ImportedSetup) {
        // Networks: interfaces and addresses, in order.
        // A launch script says most (Firecracker turns every interface into a tap, Xen keeps
        // only bridges); between VMM files, a bridge says more than a tap, a tap more than nothing.
        func rank(_ f: RunFacts) -> Int { ["launch.sh": 0, "qemu": 1, "qemu-guest": 1, "xen": 2, "firecracker": 3][f.kind] ?? 4 }
        let withInterfaces = facts.filter { !$0.interfaces.isEmpty }
        var interfaces: [RunFacts.Interface] = []
        if let best = withInterfaces.map(rank).min() {
            for f in withInterfaces where rank(f) == best {
                for (i, interface) in f.interfaces.enumerated() {
                    if i >= interfaces.count { interfaces.append(interface); continue }
                    if case .bridge = interfaces[i] { continue }
                    if case .bridge = interface { interfaces[i] = interface } else if case .user = interfaces[i], case .tap = interface { interfaces[i] = interface }
                }
            }
        }
        var keptAddresses: [String] = []
        for i in 0..<max(interfaces.count, line.chosen.addresses.count) {
            var settings: [ImportedSetup.Pair] = []
            var name = "net\(i)"
            switch interfaces[safe: i] ?? .user {
            case .bridge(let bridge): settings.append(.init(key: "bridge", value: bridge)); name = bridge
            case .tap(let tap): settings += [.init(key: "driver", value: "tap"), .init(key: "interface", value: tap)]; name = tap
            case .user: break
            }
            if let address = line.chosen.addresses[safe: i] {
                let parts = address.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
                if parts.count > 2, parts[2...].contains(where: { !$0.isEmpty }) {
                    diagnostics.append(.warning("import-netdev", "netdev.ip '\(address)' sets DNS servers, a host name or a domain, which a manifest network cannot say; it stays a kernel parameter", at: line.readings.first?.1))
                    keptAddresses.append(address)
                } else {
                    settings.append(.init(key: "ip", value: parts[0]))
                    if parts.count > 1, !parts[1].isEmpty { settings.append(.init(key: "gateway", value: parts[1])) }
                }
            }
            setup.networks.append(.init(name: name, settings: settings))
        }
        line.chosen.parameters += keptAddresses.map { "netdev.ip=" + $0 }
    }

    private mutating func agreed(_ values: [(Int, SourceLocation)], what: String, unit: String) -> Int? {
        guard !values.isEmpty else { return nil }
        var counts: [Int: Int] = [:]
        for (v, _) in values { counts[v, default: 0] += 1 }
        var winner = values[0].0
        for (v, _) in values where counts[v]! > counts[winner]! { winner = v }
        for (v, location) in values where v != winner {
            diagnostics.append(.warning("import-run-differs", "\(what) \(v)\(unit) differs from the \(winner)\(unit) most launch settings use; a manifest has one value for all targets", at: location))
        }
        return winner
    }

    private func describe(_ k: KernelArguments) -> String {
        var parts: [String] = []
        if !k.fstab.isEmpty { parts.append("fstab \(k.fstab.joined(separator: " "))") }
        if !k.environment.isEmpty { parts.append("env \(k.environment.joined(separator: " "))") }
        if !k.addresses.isEmpty { parts.append("netdev.ip \(k.addresses.joined(separator: " "))") }
        parts.append("cmd [\(k.command.map { "'\($0)'" }.joined(separator: ", "))]")
        return parts.joined(separator: "; ")
    }
}
