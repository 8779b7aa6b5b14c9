import Manifest
import Diagnostics

/// Decides how a target runs: arguments, library parameters, 9p shares and their mount
/// tags, the initrd, networks.
public struct RunPlanBuilder {
    let manifest: Manifest
    let target: Target
    let version: UnikraftVersion?
    let facts: ConfigFacts
    /// Maps a host path from the manifest (or its template, when the flag is set) to the output folder's point of view.
    let hostPath: (String, Bool) -> String
    var diagnostics: [Diagnostic] = []

    public static let defaultMemoryMiB = 64

    init(manifest: Manifest, target: Target, version: UnikraftVersion?, facts: ConfigFacts, hostPath: @escaping (String, Bool) -> String) {
        self.manifest = manifest
        self.target = target
        self.version = version
        self.facts = facts
        self.hostPath = hostPath
    }

    private func at(_ range: SourceRange, _ file: String? = nil) -> SourceLocation { SourceLocation(file: file ?? manifest.file, range: range) }

    mutating func build() -> RunPlan {
        // cmd: parameters before the first `--`, application arguments after it; without
        // a `--`, everything is an application argument.
        let words = manifest.cmd ?? []
        var parameters: [String] = []
        var arguments = words.map(\.value)
        let split = words.firstIndex(where: { $0.value == "--" })
        if let split {
            parameters = words[..<split].map(\.value)
            arguments = words[(split + 1)...].map(\.value)
        }
        checkParameters(words, split: split)

        // Volumes: 9p shares numbered from fs0 in order; a rootfs folder is shared first, at /.
        var shares: [Share] = []
        var initrd: String?
        func share(_ host: String, _ destination: String?, readOnly: Bool, fromTemplate: Bool) {
            shares.append(Share(hostPath: hostPath(host, fromTemplate), tag: "fs\(shares.count)", destination: destination, readOnly: readOnly))
        }
        if let rootfs = manifest.rootfs {
            let path = rootfs.source.value
            let lowered = path.lowercased()
            if lowered.hasSuffix(".cpio") || rootfs.format?.value == "cpio" && !lowered.hasSuffix("dockerfile") {
                initrd = hostPath(path, rootfs.source.file != nil)
            } else if lowered.hasSuffix("dockerfile") || rootfs.type?.value == "dockerfile" || rootfs.type?.value == "oci"
                        || lowered.hasSuffix(".tar") || lowered.hasSuffix(".tar.gz") || lowered.hasSuffix(".tgz") || rootfs.type?.value == "tarball" {
                diagnostics.append(.warning("rootfs-offline", "rootfs '\(path)' must be built into a root filesystem first; manifestc does not run Docker or unpack archives: build it into a folder or a cpio archive (newc) and name that as 'rootfs'",
                                            at: rootfs.source.location(in: manifest.file)))
            } else {
                share(path, "/", readOnly: false, fromTemplate: rootfs.source.file != nil)
            }
        }
        for volume in manifest.volumes {
            let driver = volume.driver?.value ?? "9pfs"
            guard let source = volume.source?.value else { continue }
            switch driver {
            case "9pfs":
                share(source, volume.destination?.value, readOnly: volume.readOnly, fromTemplate: volume.file != nil)
            case "initrd":
                if initrd != nil {
                    diagnostics.append(.warning("volume-initrd", "only one initrd can be passed; this volume is left out", at: at(volume.range, volume.file)))
                } else {
                    initrd = hostPath(source, volume.file != nil)
                }
            default:
                diagnostics.append(.warning("volume-driver", "volume driver '\(driver)' is not supported by the launch files; use '9pfs' or 'initrd'",
                                            at: volume.driver?.location(in: manifest.file) ?? at(volume.range, volume.file)))
            }
        }
        if target.platform.value == .fc, !shares.isEmpty {
            diagnostics.append(.warning("volume-firecracker", "Firecracker has no 9p; the \(shares.count) shared folder(s) are left out of target \(target.platformArchitecture)",
                                        at: target.location(in: manifest.file)))
            shares = []
        }

        checkHostPaths()

        // Mounting the shares: fstab entries on Unikraft ≥ 0.16.1, a compiled-in root device before.
        // A mount point is one field of a `dev:mnt:fs:…` fstab entry.
        for volume in manifest.volumes {
            if let destination = volume.destination, destination.value.contains(":") || !destination.value.hasPrefix("/") {
                diagnostics.append(.error("volume-destination", "the mount point '\(destination.value)' must be an absolute path without ':'",
                                          at: destination.location(in: manifest.file)))
            }
        }
        let volumeLocation = manifest.volumes.first.map { at($0.range, $0.file) } ?? target.location(in: manifest.file)
        // `vfs.fstab` is read with CONFIG_LIBVFSCORE_AUTOMOUNT_UP (0.16.1 and later) or CONFIG_LIBVFSCORE_FSTAB (0.14 to 0.16.0).
        let automountUp = facts.isOn("CONFIG_LIBVFSCORE_AUTOMOUNT_UP"), oldFstab = facts.isOn("CONFIG_LIBVFSCORE_FSTAB")
        let fstab: Bool?
        if automountUp == true || oldFstab == true {
            fstab = true
        } else if automountUp == nil || oldFstab == nil {
            fstab = nil
        } else {
            fstab = false
        }
        let destinations = shares.filter { $0.destination != nil }
        let compiledIn = Self.compiledInMounts(facts)
        if fstab == true {
            for s in shares where s.destination == nil {
                diagnostics.append(.warning("volume-unmounted", "the folder '\(s.hostPath)' is shared as \(s.tag) but has no mount point, so the fstab does not mount it; give one, such as '\(s.hostPath):/'",
                                            at: volumeLocation))
            }
        }
        // The 9p client, the file system, and the transport (virtio under QEMU; Xen has its own).
        let ninePSymbols = ["CONFIG_LIBUK9P", "CONFIG_LIB9PFS"] + (target.platform.value == .qemu ? ["CONFIG_LIBVIRTIO_9P"] : [])
        if manifest.runtime == nil, !shares.isEmpty, ninePSymbols.contains(where: { facts.isOn($0) == false }) {
            let missing = ninePSymbols.filter { facts.isOn($0) == false }
            diagnostics.append(.warning("volume-no-9p", "target \(target.platformArchitecture) shares \(shares.count) folder(s) over 9p, but the configuration does not enable \(missing.map { "'\($0)'" }.joined(separator: ", ")), so the guest cannot mount them; add \(missing.map { "'\($0): y'" }.joined(separator: ", ")) to the kconfig",
                                        at: volumeLocation))
        }
        if !destinations.isEmpty {
            if fstab == true {
                var entries: [String] = []
                let rootShare = destinations.first { $0.destination == "/" }
                if rootShare == nil {
                    // Something must be on / before mount points can be made below it: a ramfs.
                    entries.append(initrd != nil ? "initrd0:/:extract::ramfs=1:" : "none:/:ramfs:::")
                    if facts.isOn("CONFIG_LIBRAMFS") != true {
                        let known = facts.isOn("CONFIG_LIBRAMFS") == false
                        diagnostics.append(Diagnostic(known ? .warning : .note, "volume-ramfs-root",
                            "no folder is shared at '/', so the fstab mounts a ramfs there first; \(known ? "the configuration does not enable" : "the image needs") 'CONFIG_LIBRAMFS'\(known ? ", so the mounts will fail" : "")",
                            at: volumeLocation))
                    }
                } else if rootShare?.readOnly == true, destinations.count > 1 {
                    diagnostics.append(.warning("volume-readonly-root", "the folder shared at '/' is read-only, so the mount points of the other folders cannot be made in it",
                                                at: volumeLocation))
                }
                for s in destinations.sorted(by: { ($0.destination == "/" ? 0 : 1) < ($1.destination == "/" ? 0 : 1) }) {
                    entries.append("\(s.tag):\(s.destination!):9pfs:::\(s.destination == "/" ? "" : "mkmp")")
                }
                parameters.insert(contentsOf: KernelCommandLine.list("vfs.fstab", entries), at: 0)
            } else if let rootdev = facts.value("CONFIG_LIBVFSCORE_ROOTDEV"), facts.isOn("CONFIG_LIBVFSCORE_AUTOMOUNT_ROOTFS") == true {
                if shares.first?.tag != rootdev {
                    diagnostics.append(.warning("volume-rootdev", "the root device is '\(rootdev)' but the first shared folder gets tag '\(shares.first?.tag ?? "")'",
                                                at: volumeLocation))
                }
            } else if !compiledIn.isEmpty {
                // Unikraft 0.17's compiled-in table mounts what it names, and nothing else.
                for s in destinations where compiledIn[s.tag] != s.destination {
                    let table = compiledIn.sorted { $0.key < $1.key }.map { "\($0.key) at '\($0.value)'" }.joined(separator: ", ")
                    diagnostics.append(.warning("volume-mount", "the compiled-in mount table ('CONFIG_LIBVFSCORE_AUTOMOUNT_CI') mounts \(table) over 9p, not the folder '\(s.hostPath)' shared as \(s.tag) at '\(s.destination!)'",
                                                at: volumeLocation))
                }
            } else if fstab == nil {
                diagnostics.append(.note("volume-mount", "the shared folders are mounted only if the image enables 'CONFIG_LIBVFSCORE_AUTOMOUNT_UP' (Unikraft ≥ 0.16.1; 'CONFIG_LIBVFSCORE_FSTAB' before; then manifestc passes 'vfs.fstab') or 'CONFIG_LIBVFSCORE_AUTOMOUNT_ROOTFS' (or 0.17's compiled-in table, 'CONFIG_LIBVFSCORE_AUTOMOUNT_CI'); with a Unikraft tree (--uk-root, a local unikraft source, or the workspace after 'manifestc --build') this is checked",
                                         at: volumeLocation))
            } else {
                diagnostics.append(.warning("volume-mount", "the configuration enables neither 'CONFIG_LIBVFSCORE_AUTOMOUNT_UP' (or 'CONFIG_LIBVFSCORE_FSTAB') nor 'CONFIG_LIBVFSCORE_AUTOMOUNT_ROOTFS' nor a compiled-in 9p table ('CONFIG_LIBVFSCORE_AUTOMOUNT_CI'), so nothing mounts the shared folders",
                                            at: volumeLocation))
            }
        }

        // Environment variables as a library parameter.
        let variables = manifest.env.compactMap { v -> String? in
            guard let value = v.value?.value else {
                diagnostics.append(.warning("env-host", "'\(v.name.value)' has no value; manifestc does not copy host variables into the guest, write '\(v.name.value)=value'",
                                            at: v.name.location(in: manifest.file)))
                return nil
            }
            if value.unicodeScalars.contains("\u{0}") {
                diagnostics.append(.error("argument-nul", "the value of '\(v.name.value)' holds a NUL character, which no command line can carry",
                                          at: v.value!.location(in: manifest.file)))
                return nil
            }
            return "\(v.name.value)=\(value)"
        }
        if !variables.isEmpty {
            parameters += KernelCommandLine.array("env.vars", variables)
            let envLocation = manifest.env.first.map { $0.name.location(in: manifest.file) } ?? target.location(in: manifest.file)
            // A prebuilt kernel (a runtime) has a configuration of its own, which the plan does not know.
            if manifest.runtime == nil, facts.isOn("CONFIG_LIBPOSIX_ENVIRON_LIBPARAM") == false {
                diagnostics.append(.warning("env-not-read", "target \(target.platformArchitecture) passes 'env' as the kernel parameter 'env.vars', but the configuration does not enable 'CONFIG_LIBPOSIX_ENVIRON_LIBPARAM', so the guest will not see the variables; add 'CONFIG_LIBPOSIX_ENVIRON: y' and 'CONFIG_LIBPOSIX_ENVIRON_LIBPARAM: y' to the kconfig",
                                            at: envLocation))
            } else if manifest.runtime == nil, let most = facts.value("CONFIG_LIBPOSIX_ENVIRON_LIBPARAM_MAXCOUNT").flatMap({ Int($0) }), variables.count > most {
                diagnostics.append(.error("env-too-many", "target \(target.platformArchitecture) passes \(variables.count) environment variables, but the image reads at most \(most) ('CONFIG_LIBPOSIX_ENVIRON_LIBPARAM_MAXCOUNT'); raise it in the kconfig",
                                          at: envLocation))
            }
        }

        // Networks.
        var networks: [NetworkPlan] = []
        var addresses: [String] = []
        for network in manifest.networks {
            let located = Dictionary(network.settings.map { ($0.key.value, $0.value) }, uniquingKeysWith: { a, _ in a })
            let settings = located.mapValues(\.value)
            // A host interface name reaches QEMU's `-netdev` option list, xl's `vif` spec and
            // Firecracker's `host_dev_name`: one that Linux (or those lists) cannot hold is refused.
            func interface(_ value: Located<String>?, _ what: String) -> String? {
                guard let value else { return nil }
                if let problem = ValueRules.interfaceNameProblem(value.value) {
                    diagnostics.append(.error("network-interface-name", "the \(what) '\(value.value)' is not a usable interface name: \(problem)",
                                              at: value.location(in: manifest.file)))
                    return nil
                }
                return value.value
            }
            let mode: NetworkPlan.Mode
            if let bridgeValue = located["bridge"] ?? located["bridge_name"] {
                guard let bridge = interface(bridgeValue, "bridge") else { continue }
                mode = .bridge(bridge)
            } else if settings["driver"] == "tap" || settings["type"] == "tap", let deviceValue = located["interface"] ?? network.name {
                guard let device = interface(deviceValue, "tap device") else { continue }
                mode = .tap(device)
            } else {
                mode = .user
            }
            var address: String?
            if let ip = settings["ip"] {
                // `netdev.ip` is `ip/prefix:gateway`: anything but dotted addresses would shift its fields or open a list.
                var valid = true
                for key in ["ip", "netmask", "gateway"] {
                    guard let value = located[key] else { continue }
                    let text = key == "ip" ? String(value.value.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)[0]) : value.value
                    let prefixOK = key != "ip" || !value.value.contains("/") || value.value.split(separator: "/", maxSplits: 1).last.flatMap { Int($0) }.map { (0...32).contains($0) } == true
                    if !ValueRules.isIPv4(text) || !prefixOK || (key == "netmask" && Self.prefixLength(value.value) == nil) {
                        diagnostics.append(.error("network-address", "'\(key)' must be a dotted IPv4 address\(key == "ip" ? " (optionally with '/prefix')" : ""), such as '\(key == "netmask" ? "255.255.255.0" : "10.0.0.2")', not '\(value.value)'",
                                                  at: value.location(in: manifest.file)))
                        valid = false
                    }
                }
                if valid {
                    var cidr = ip
                    if !ip.contains("/"), let mask = settings["netmask"], let prefix = Self.prefixLength(mask) { cidr += "/\(prefix)" }
                    address = cidr + (settings["gateway"].map { ":" + $0 } ?? "")
                    addresses.append(address!)
                }
            }
            networks.append(NetworkPlan(mode: mode, address: address))
        }
        // One `netdev.ip` per interface, in interface order (a repeated parameter is an array).
        parameters += addresses.map { "netdev.ip=" + $0 }

        // An xl configuration string cannot hold a line break.
        if target.platform.value == .xen, (parameters + arguments).contains(where: { $0.unicodeScalars.contains { $0.properties.generalCategory == .control } }) {
            diagnostics.append(.error("xen-control-character", "target \(target.platformArchitecture): a kernel or application argument holds a line break or another control character, which an xl configuration cannot carry",
                                      at: target.location(in: manifest.file)))
        }
        if !parameters.isEmpty, facts.isOn("CONFIG_LIBUKLIBPARAM") == false {
            diagnostics.append(.warning("libparam-off", "target \(target.platformArchitecture) passes kernel parameters, but 'CONFIG_LIBUKLIBPARAM' is off, so the image will not read them; add 'CONFIG_LIBUKLIBPARAM: y'",
                                        at: target.location(in: manifest.file)))
        }

        return RunPlan(memoryMiB: manifest.memoryMiB?.value ?? Self.defaultMemoryMiB, vcpus: manifest.vcpus?.value ?? 1, kernelParameters: parameters,
                       applicationArguments: arguments, argv0Supplied: argv0Supplied, shares: shares, initrd: initrd, networks: networks)
    }

    /// Host paths reach QEMU's option lists (commas doubled there), `-initrd` (a list of
    /// multiboot modules on x86, where a space starts the module's own command line), xl's
    /// `p9` spec (split at every `,`, with no escape) and shell arrays: refuse what a
    /// consumer of this target cannot carry.
    private mutating func checkHostPaths() {
        var paths: [(value: Located<String>, initrd: Bool)] = []
        if let rootfs = manifest.rootfs {
            let lowered = rootfs.source.value.lowercased()
            paths.append((rootfs.source, lowered.hasSuffix(".cpio") || rootfs.format?.value == "cpio"))
        }
        for volume in manifest.volumes {
            if let source = volume.source { paths.append((source, volume.driver?.value == "initrd")) }
        }
        for (path, isInitrd) in paths {
            let location = path.location(in: manifest.file)
            if ValueRules.hasControlCharacter(path.value) || path.value.unicodeScalars.contains("\u{0}") {
                diagnostics.append(.error("path-control-character", "the path '\(path.value.debugDescription.dropFirst().dropLast())' holds a line break or another control character, which no launch file can carry; rename it",
                                          at: location))
                continue
            }
            if target.platform.value == .xen, !isInitrd, path.value.contains(",") {
                diagnostics.append(.error("xen-path-comma", "the folder '\(path.value)' holds ',', which xl's 'p9' spec cannot carry (it splits at every comma); rename it for target \(target.platformArchitecture)",
                                          at: location))
            }
            if target.platform.value == .qemu, target.architecture.value == .x86_64, isInitrd, path.value.unicodeScalars.contains(where: \.properties.isWhitespace) {
                diagnostics.append(.error("initrd-path-space", "the initrd '\(path.value)' holds whitespace, which QEMU's multiboot loader reads as the start of the module's command line; rename it for target \(target.platformArchitecture)",
                                          at: location))
            }
        }
    }

    /// Kernel parameters from `cmd` must leave libparam's parser outside a list (`key=[ …`
    /// without its `]` would swallow the parameters manifestc adds), and no argument can
    /// hold a NUL byte.
    private mutating func checkParameters(_ words: [Located<String>], split: Int?) {
        var inList = false
        for (i, word) in words.enumerated() {
            if word.value.unicodeScalars.contains("\u{0}") {
                diagnostics.append(.error("argument-nul", "this argument holds a NUL character, which no command line can carry", at: word.location(in: manifest.file)))
            }
            guard let split, i < split else { continue }
            if inList {
                if word.value.hasSuffix("]") { inList = false }
            } else if let eq = word.value.firstIndex(of: "="), word.value[word.value.index(after: eq)...].hasPrefix("[") {
                let rest = word.value[word.value.index(eq, offsetBy: 2)...]
                inList = !rest.hasSuffix("]")
            }
        }
        if inList, let split {
            diagnostics.append(.error("cmdline-list-open", "the kernel parameters open a list ('key=[') that is not closed with a word ending in ']' before '--'",
                                      at: words[split].location(in: manifest.file)))
        }
    }

    /// Whether the VMM supplies argv[0] (running-unikernels.md §4): QEMU x86 always; arm64
    /// and Xen up to 0.17 (Unikraft prepends the name); Firecracker x86 never. An unknown
    /// version is taken as a current one (≥ 0.18).
    var argv0Supplied: Bool {
        let upTo017 = version.map { $0 < UnikraftVersion(0, 18) } ?? false
        switch (target.platform.value, target.architecture.value) {
        case (.qemu, .x86_64), (.linuxu, _): return true
        case (.fc, .x86_64), (.kraftcloud, .x86_64): return false
        default: return upTo017
        }
    }

    static func prefixLength(_ netmask: String) -> Int? {
        let parts = netmask.split(separator: ".").compactMap { UInt8($0) }
        guard parts.count == 4 else { return nil }
        return parts.reduce(0) { $0 + $1.nonzeroBitCount }
    }

    /// The 9p entries of the compiled-in mount table (`CONFIG_LIBVFSCORE_AUTOMOUNT_CI`, Unikraft 0.17;
    /// its `CI<n>_*_ARG` symbols hold each entry, whether from `CI_9PFS` or a custom table): tag → mount point.
    static func compiledInMounts(_ facts: ConfigFacts) -> [String: String] {
        guard facts.isOn("CONFIG_LIBVFSCORE_AUTOMOUNT_CI") == true else { return [:] }
        var table: [String: String] = [:]
        for entry in 0..<4 {
            let prefix = "CONFIG_LIBVFSCORE_AUTOMOUNT_CI\(entry)_"
            guard facts.value(prefix + "DRIVER_ARG") == "9pfs", let tag = facts.value(prefix + "DEV_ARG"), let path = facts.value(prefix + "MP_ARG"),
                  table[tag] == nil else { continue }
            table[tag] = path
        }
        return table
    }
}
