import FoundationEssentials
import Planner

/// `--verify-reproducible`: the same manifest and lock built again in a fresh temporary
/// folder (offline, from the same workspace and origin cache) must give the same images.
extension HermeticBuild {
    /// Top-level entries of the manifest's folder the rebuild does not copy (with the files
    /// manifestc generated there, which it writes again).
    static let notCopied: Set<String> = ["build", ".unikraft", ".git", ".manifestc-outputs", ".manifestc-outputs.pending", ".manifestc.lock"]

    /// The top-level names of the files `.manifestc-outputs` (sha256sum format) records in `folder`.
    static func generated(in folder: URL) -> Set<String> {
        guard let data = try? OriginCache.read(folder.appendingPathComponent(".manifestc-outputs"), maxBytes: 16 << 20) else { return [] }
        return Set(String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line in
            line.split(separator: " ", maxSplits: 1).last?.trimmingWhitespace().split(separator: "/").first.map(String.init)
        })
    }

    /// Rebuilds `images` and compares them byte for byte; throws naming the first difference.
    func verifyReproducible(_ images: [Builder.Image], workspace: URL, environment: [String: String]) throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("manifestc-rebuild-\(UUID().uuidString)")
        let copy = base.appendingPathComponent(manifestFolder.lastPathComponent)
        TemporaryFolders.register(base)
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        let skipped = Self.notCopied.union(Self.generated(in: manifestFolder)).subtracting([manifest.lastPathComponent, LockFile.fileName])
        for name in try FileManager.default.contentsOfDirectory(atPath: manifestFolder.path) where !skipped.contains(name) {
            let entry = manifestFolder.appendingPathComponent(name)
            if entry.standardizedFileURL.path == workspace.standardizedFileURL.path { continue }
            try FileManager.default.copyItem(at: entry, to: copy.appendingPathComponent(name))
        }
        var arguments = [copy.appendingPathComponent(manifest.lastPathComponent).path, "--build", "--locked", "--offline",
                         "--workspace", workspace.path, "--allow-outside", workspace.path]
        arguments += images.flatMap { ["--target", $0.target] }
        // Local sources outside the copied folder are read where they are.
        arguments += sources.filter { $0.entry.path != nil }.flatMap { ["--allow-outside", $0.folder.path] }
        console.say("verifying: building again in '\(copy.path)'…")
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let rebuild = try processes.run(executable, arguments, in: copy,
                                        environment: environment.merging(["SOURCE_DATE_EPOCH": String(epoch)]) { _, new in new },
                                        timeout: nil, output: .capture)
        guard rebuild.status == 0 else {
            console.error(rebuild.output.split(separator: "\n").suffix(20).map { "  | " + $0 + "\n" }.joined())
            throw Failure(description: "the rebuild in '\(copy.path)' failed (exit status \(rebuild.status)); it is kept for inspection")
        }
        var differences: [String] = []
        for image in images {
            let first = try OriginCache.read(output.appendingPathComponent(image.path), maxBytes: Self.imageLimit) ?? Data()
            let second = try OriginCache.read(copy.appendingPathComponent(image.path), maxBytes: Self.imageLimit) ?? Data()
            if let offset = ReproducibleBuild.firstDifference(Array(first), Array(second)) {
                differences.append("'\(image.target)' differs from its rebuild at byte \(offset) (0x\(String(offset, radix: 16))): "
                                   + "\(first.count) bytes here, \(second.count) bytes in '\(copy.appendingPathComponent(image.path).path)'")
            } else {
                console.say("\(image.target): reproducible (the rebuild in a fresh folder has the same \(first.count) bytes)")
            }
        }
        guard differences.isEmpty else {
            throw Failure(description: "not reproducible: " + differences.joined(separator: "; ") + "; the rebuild is kept for inspection")
        }
        try? FileManager.default.removeItem(at: base)
        TemporaryFolders.unregister(base)
    }
}
