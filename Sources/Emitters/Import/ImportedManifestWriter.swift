import Manifest
import Planner
import Emitters
import Diagnostics

/// Renders an `ImportedSetup` as a manifest: deterministic YAML (through
/// `DocumentValue.yaml()`), with comments where a choice was guessed.
public enum ImportedManifestWriter {
    /// The spec versions `manifestc import` writes.
    public enum Spec: String, CaseIterable, Sendable {
        case v0_6 = "0.6"
        case v0_5 = "0.5"
    }

    public static func render(_ setup: ImportedSetup, spec: Spec = .v0_6) -> (text: String, diagnostics: [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var out = "# Imported by 'manifestc import' from a manual Unikraft setup. Read:\n"
        for file in setup.filesRead { out += "#   \(commentText(file))\n" }
        out += "# Comments marked 'guessed' are choices the setup does not record: check them.\n"
        out += spec == .v0_6 ? "spec: v0.6\n" : "specification: '0.5'\n"

        func section(_ key: String, _ value: DocumentValue, comments: [String] = []) {
            out += "\n"
            for c in comments { for line in wrap(commentText(c)) { out += "# \(line)\n" } }
            out += DocumentValue.map([(key, value)]).yaml()
        }
        func kconfig(_ options: [ImportedSetup.Option]) -> DocumentValue { .list(options.map { literal($0.line) }) }

        section("name", literal(setup.name), comments: setup.comments["name"] ?? [])

        var unikraft: [(String, DocumentValue)] = [("version", literal(setup.unikraftVersion))]
        if !setup.commonOptions.isEmpty { unikraft.append(("kconfig", kconfig(setup.commonOptions))) }
        section("unikraft", .map(unikraft), comments: setup.comments["unikraft"] ?? [])

        let targets: [DocumentValue] = setup.targets.map { t in
            let platform = spec == .v0_5 && t.platform == .qemu ? "kvm" : t.platform.rawValue
            if spec == .v0_6, t.name == nil, t.options.isEmpty { return literal("\(platform)/\(t.architecture.rawValue)") }
            var pairs: [(String, DocumentValue)] = []
            if let name = t.name { pairs.append(("name", literal(name))) }
            pairs += [("architecture", literal(t.architecture.rawValue)), ("platform", literal(platform))]
            if !t.options.isEmpty { pairs.append(("kconfig", kconfig(t.options))) }
            return .map(pairs)
        }
        section("targets", .list(targets), comments: setup.comments["targets"] ?? [])

        if !setup.libraries.isEmpty {
            section("libraries", .map(setup.libraries.map { ($0.name, $0.source.map { .map([("source", literal($0))]) } ?? literal("stable")) }), comments: setup.comments["libraries"] ?? [])
        }

        // Volumes, with a comment per guessed entry.
        var volumeItems: [(DocumentValue, String?)] = []
        var namedVolumes: [(String, DocumentValue)] = []
        for v in setup.volumes {
            if spec == .v0_5 {
                let name = v.source.hasPrefix("./") ? String(v.source.dropFirst(2)) : v.source
                if v.destination != nil || v.readOnly || name.contains("/") || name.hasPrefix(".") {
                    diagnostics.append(.warning("import-spec-volume", "volume '\(v.source)'\(v.destination.map { " at '\($0)'" } ?? "") cannot be written in spec 0.5 (only folders next to the manifest, without a mount point); use '--spec 0.6'", at: nil))
                }
                namedVolumes.append((name, .map([("driver", literal("9pfs"))])))
                continue
            }
            if let destination = v.destination {
                volumeItems.append((literal("\(v.source):\(destination)\(v.readOnly ? ":ro" : "")"), v.comment))
            } else {
                volumeItems.append((.map([("source", literal(v.source)), ("driver", literal("9pfs"))] + (v.readOnly ? [("readonly", .bool(true))] : [])), v.comment))
            }
        }
        if let initrd = setup.initrd {
            let source = initrd.hasPrefix("/") || initrd.hasPrefix(".") ? initrd : "./" + initrd
            if spec == .v0_5 {
                let name = source.hasPrefix("./") ? String(source.dropFirst(2)) : source
                namedVolumes.append((name, .map([("driver", literal("initrd"))])))
            } else if !source.lowercased().hasSuffix(".cpio") {
                volumeItems.append((.map([("source", literal(source)), ("driver", literal("initrd"))]), nil))
            }
        }
        if spec == .v0_6, let initrd = setup.initrd, initrd.lowercased().hasSuffix(".cpio") {
            let source = initrd.hasPrefix("/") || initrd.hasPrefix(".") ? initrd : "./" + initrd
            section("rootfs", literal(source), comments: ["the initrd the launch settings pass"])
        }
        if !volumeItems.isEmpty {
            out += "\n"
            for c in setup.comments["volumes"] ?? [] where setup.initrd == nil || !c.contains("initrd") { out += "# \(commentText(c))\n" }
            out += "volumes:\n"
            for (item, comment) in volumeItems {
                if let comment { for line in wrap(commentText(comment)) { out += "  # \(line)\n" } }
                for line in DocumentValue.list([item]).yaml().split(separator: "\n") { out += "  \(line)\n" }
            }
        }
        if !namedVolumes.isEmpty {
            let comments = setup.volumes.compactMap(\.comment)
            section("volumes", .map(namedVolumes), comments: comments.flatMap(wrap))
        }

        if !setup.networks.isEmpty {
            section("networks", .map(setup.networks.map { n in (n.name, .map(n.settings.map { ($0.key, literal($0.value)) })) }),
                    comments: setup.comments["networks"] ?? [])
        }

        if let cmd = setup.cmd {
            if spec == .v0_6 {
                section("cmd", .list(cmd.map { literal($0) }), comments: setup.comments["cmd"] ?? [])
            } else {
                section("arguments", literal(ShellQuote.join(cmd)), comments: setup.comments["cmd"] ?? [])
            }
        }

        if !setup.env.isEmpty {
            if spec == .v0_6 {
                section("env", .list(setup.env.map { literal("\($0.key)=\($0.value)") }))
            } else {
                diagnostics.append(.warning("import-spec-env", "environment variables (\(setup.env.map(\.key).joined(separator: ", "))) cannot be written in spec 0.5; use '--spec 0.6'", at: nil))
            }
        }

        var run: [(String, DocumentValue)] = []
        if let memory = setup.memoryMiB { run.append(("memory", .int(memory))) }
        if let vcpus = setup.vcpus { run.append(("vcpus", .int(vcpus))) }
        var comments: [String] = []
        if !run.isEmpty {
            comments += ["No spec version can say how much memory (MiB) or how many vCPUs the guest gets;",
                         "manifestc reads them from its own extension key (other tools ignore 'x-' keys)."]
        }
        if let app = setup.app {
            run.append(("app", literal(app)))
            comments += ["app: make's application folder (A=); the setup's own folder is one of its libraries."]
        }
        if let order = setup.libraryOrder {
            run.append(("library-order", .list(order.map { literal($0) })))
            comments += setup.comments["x-manifestc"] ?? []
        }
        if !run.isEmpty { section("x-manifestc", .map(run), comments: comments) }
        return (out, diagnostics)
    }

    /// A string value as the manifest's reader will see it after interpolation: every `$`
    /// doubled (`$$` is interpolation's own escape), so `${HOME}` in an imported file stays
    /// `${HOME}` on the next compile.
    static func literal(_ text: String) -> DocumentValue {
        .string(text.replacing("$", with: "$$"))
    }

    /// Text for a `#` comment: a line break or another control character (from a file
    /// name, say) is written as an escape, so it cannot end the comment and add YAML.
    static func commentText(_ text: String) -> String {
        String(text.unicodeScalars.map { s -> String in
            s.properties.generalCategory == .control && s != "\t" ? String(String(s).debugDescription.dropFirst().dropLast()) : String(s)
        }.joined())
    }

    /// A comment in lines of at most about 90 characters.
    static func wrap(_ text: String) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && line.count + word.count + 1 > 88 { lines.append(line); line = "" }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
