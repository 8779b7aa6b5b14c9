import Emitters
import FoundationEssentials
import Planner

/// Each built image's SHA-256 and its bill of materials (`<image>.spdx.json` beside it).
extension HermeticBuild {
    /// The largest image hashed.
    static let imageLimit = 4 << 30

    static func digest(_ url: URL) throws -> String {
        guard let data = try OriginCache.read(url, maxBytes: imageLimit) else { throw Failure(description: "'\(url.path)' does not exist") }
        return SHA256.hex(data)
    }

    /// Writes the image's bill of materials; returns its path.
    func writeBillOfMaterials(_ image: Builder.Image, target: TargetPlan, sha256: String, toolchain: Toolchain, environment: [String: String]) throws -> URL {
        let documentSources = sources.map { source in
            SPDXDocument.Source(role: source.entry.role, url: source.entry.url, commit: source.entry.commit, license: source.description?.license)
        }
        let current = (try? Confinement.readRegularFile(lockURL)).flatMap { $0 }.flatMap { LockFile.parse(Array($0), file: lockURL.path).lock } ?? lock
        let document = SPDXDocument(
            app: target.makeName, target: target.id, imageName: target.imageName, imageSHA256: sha256,
            sources: documentSources, origins: current.origins, tools: tools(toolchain, environment: environment),
            created: epoch, creator: "manifestc-\(manifestcVersion)")
        let url = output.appendingPathComponent(image.path + ".spdx.json")
        try OutputWriter(folder: output, force: true).write(EmittedFile(path: image.path + ".spdx.json", contents: document.json()))
        return url
    }

    /// The compiler's and the linker's first `--version` line.
    func tools(_ toolchain: Toolchain, environment: [String: String]) -> [SPDXDocument.Tool] {
        [("gcc", toolchain.compiler), ("binutils", toolchain.prefix + "ld")].compactMap { name, program in
            guard let result = try? processes.run(program, ["--version"], in: nil, environment: environment, timeout: 30, output: .capture), result.status == 0,
                  let line = result.output.split(separator: "\n").first else { return nil }
            return SPDXDocument.Tool(name: name, version: String(line.prefix(200)))
        }
    }
}
