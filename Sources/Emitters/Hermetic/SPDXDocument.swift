import Diagnostics
import Planner

/// The bill of materials of one image, as an SPDX 2.3 JSON document: the image (its
/// SHA-256), the app, the Unikraft core and each library (URL, commit, the license its
/// `Library.uk` states), each origin (URL, SHA-256), and the toolchain. Deterministic: the
/// creation time is the build's fixed time, the namespace derives from the image's hash.
public struct SPDXDocument: Sendable {
    public struct Source: Sendable {
        public var role: SourceRole
        /// A git URL, or nil for a local folder.
        public var url: String?
        public var commit: String?
        /// The license expression the library's `Library.uk` states.
        public var license: String?
        public init(role: SourceRole, url: String?, commit: String?, license: String?) {
            self.role = role
            self.url = url
            self.commit = commit
            self.license = license
        }
    }

    public struct Tool: Sendable {
        public var name: String
        /// The first line of its `--version`.
        public var version: String
        public init(name: String, version: String) {
            self.name = name
            self.version = version
        }
    }

    public var app: String
    public var target: String
    public var imageName: String
    public var imageSHA256: String
    public var sources: [Source]
    public var origins: [OriginPin]
    public var tools: [Tool]
    /// Seconds since 1970 (`SOURCE_DATE_EPOCH`).
    public var created: Int
    public var creator: String

    public init(app: String, target: String, imageName: String, imageSHA256: String, sources: [Source], origins: [OriginPin],
                tools: [Tool], created: Int, creator: String) {
        self.app = app
        self.target = target
        self.imageName = imageName
        self.imageSHA256 = imageSHA256
        self.sources = sources
        self.origins = origins
        self.tools = tools
        self.created = created
        self.creator = creator
    }

    /// The file name beside the image.
    public static func fileName(image: String) -> String { image + ".spdx.json" }

    public func json() -> String {
        var packages: [DocumentValue] = []
        var relationships: [DocumentValue] = [relationship("SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-Image")]
        packages.append(package(id: "SPDXRef-Image", name: imageName, version: nil, location: nil,
                                checksum: imageSHA256, license: nil, purpose: "OPERATING-SYSTEM",
                                comment: "the unikernel image of '\(app)' for the target '\(target)'"))
        packages.append(package(id: "SPDXRef-App", name: app, version: nil, location: nil, checksum: nil, license: nil,
                                purpose: "SOURCE", comment: "the application"))
        relationships.append(relationship("SPDXRef-Image", "GENERATED_FROM", "SPDXRef-App"))
        for source in sources {
            let id = Self.id(for: source.role)
            let name: String = switch source.role {
            case .unikraft: "unikraft"
            case .library(let library): "lib-" + library
            case .template: "template"
            }
            let location = source.url.map { url in "git+" + url + (source.commit.map { "@" + $0 } ?? "") }
            packages.append(package(id: id, name: name, version: source.commit, location: location, checksum: nil,
                                    license: source.license, purpose: "SOURCE", comment: source.url == nil ? "a local folder" : nil))
            relationships.append(relationship("SPDXRef-Image", "GENERATED_FROM", id))
        }
        for (index, origin) in origins.enumerated() {
            let id = "SPDXRef-Origin-\(index + 1)"
            packages.append(package(id: id, name: origin.url.split(separator: "/").last.map(String.init) ?? origin.url, version: nil,
                                    location: origin.url, checksum: origin.sha256, license: nil, purpose: "ARCHIVE",
                                    comment: "downloaded by a library's build, \(origin.size) bytes"))
            relationships.append(relationship("SPDXRef-Image", "GENERATED_FROM", id))
        }
        for (index, tool) in tools.enumerated() {
            let id = "SPDXRef-Tool-\(index + 1)"
            packages.append(package(id: id, name: tool.name, version: tool.version, location: nil, checksum: nil, license: nil,
                                    purpose: "APPLICATION", comment: "toolchain"))
            relationships.append(relationship(id, "BUILD_TOOL_OF", "SPDXRef-Image"))
        }
        let document = DocumentValue.map([
            ("spdxVersion", .string("SPDX-2.3")),
            ("dataLicense", .string("CC0-1.0")),
            ("SPDXID", .string("SPDXRef-DOCUMENT")),
            ("name", .string("\(app)-\(target)")),
            ("documentNamespace", .string("https://manifestc.invalid/spdx/\(Self.idText(app))-\(Self.idText(target))-\(imageSHA256)")),
            ("creationInfo", .map([("created", .string(Self.timestamp(created))), ("creators", .list([.string("Tool: \(creator)")]))])),
            ("documentDescribes", .list([.string("SPDXRef-Image")])),
            ("packages", .list(packages)),
            ("relationships", .list(relationships)),
        ])
        return document.json()
    }

    private func package(id: String, name: String, version: String?, location: String?, checksum: String?, license: String?,
                         purpose: String, comment: String?) -> DocumentValue {
        var pairs: [(String, DocumentValue)] = [("SPDXID", .string(id)), ("name", .string(name))]
        if let version { pairs.append(("versionInfo", .string(version))) }
        pairs.append(("downloadLocation", .string(location ?? "NOASSERTION")))
        pairs.append(("filesAnalyzed", .bool(false)))
        if let checksum { pairs.append(("checksums", .list([.map([("algorithm", .string("SHA256")), ("checksumValue", .string(checksum))])]))) }
        let expression = license.flatMap { Self.isLicenseExpression($0) ? $0 : nil }
        pairs.append(("licenseConcluded", .string("NOASSERTION")))
        pairs.append(("licenseDeclared", .string(expression ?? "NOASSERTION")))
        if let license, expression == nil { pairs.append(("licenseComments", .string("Library.uk states: " + license))) }
        pairs.append(("copyrightText", .string("NOASSERTION")))
        pairs.append(("primaryPackagePurpose", .string(purpose)))
        if let comment { pairs.append(("comment", .string(comment))) }
        return .map(pairs)
    }

    private func relationship(_ from: String, _ type: String, _ to: String) -> DocumentValue {
        .map([("spdxElementId", .string(from)), ("relationshipType", .string(type)), ("relatedSpdxElement", .string(to))])
    }

    static func id(for role: SourceRole) -> String {
        switch role {
        case .unikraft: "SPDXRef-Unikraft"
        case .library(let name): "SPDXRef-Library-" + idText(name)
        case .template: "SPDXRef-Template"
        }
    }

    /// `text` with every character an SPDX id cannot hold (`[A-Za-z0-9.-]`) turned into `-`.
    static func idText(_ text: String) -> String {
        String(text.unicodeScalars.map { s in
            ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s) || s == "." || s == "-" ? Character(s) : "-"
        })
    }

    /// Whether `text` reads as an SPDX license expression of plain ids (`MIT`, `BSD-3-Clause OR GPL-2.0-only`).
    static func isLicenseExpression(_ text: String) -> Bool {
        let words = text.split(separator: " ")
        guard !words.isEmpty, words.count % 2 == 1 else { return false }
        for (index, word) in words.enumerated() {
            if index % 2 == 1 {
                guard ["AND", "OR", "WITH"].contains(word) else { return false }
            } else {
                guard word.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "-" || $0 == "+" }),
                      !["AND", "OR", "WITH"].contains(word) else { return false }
            }
        }
        return true
    }

    /// `2024-05-06T07:08:09Z`.
    static func timestamp(_ seconds: Int) -> String {
        String(ReproducibleBuild.isoDate(seconds).dropLast("+00:00".count)) + "Z"
    }
}
