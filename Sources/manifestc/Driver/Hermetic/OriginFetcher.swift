import FoundationEssentials
import Emitters
import Planner

/// Delivers one origin the way `OriginSettings` says: from the cache when a hash is known,
/// else from the mirror, else (unless offline) downloaded; every byte checked against
/// `kraft.lock` and the library's `Library.uk` before it reaches the build.
struct OriginFetcher {
    let settings: OriginSettings
    /// Progress lines (stderr).
    var say: (String) -> Void

    struct Failure: Error, CustomStringConvertible { var description: String }

    var cache: OriginCache { OriginCache(root: URL(fileURLWithPath: settings.cache), maxBytes: settings.maxBytes) }

    /// Fetches `url` into `output` (which must lie inside the output folder); the record says how.
    func fetch(_ url: String, to output: String) -> OriginRecord {
        do {
            let (data, record) = try deliver(url)
            try write(data, to: output)
            return record
        } catch {
            return OriginRecord(url: url, error: ErrorText.describe(error))
        }
    }

    func deliver(_ url: String) throws -> (Data, OriginRecord) {
        if let problem = OriginRules.urlProblem(url) { throw Failure(description: "cannot fetch the origin '\(OriginRules.redacted(url))': \(problem)") }
        let pin = settings.pins[url].map { OriginPin(url: url, sha256: $0.sha256, size: $0.size) }
        let stated = settings.stated[url]
        if settings.locked && pin == nil {
            throw Failure(description: "the origin '\(url)' is not pinned in kraft.lock's 'origins' (--locked); build once without --locked and commit kraft.lock")
        }
        let expected = pin?.sha256 ?? stated?.sha256
        var data: Data?
        var via = "cache"
        if let expected { data = cache.lookup(expected) }
        if data == nil, let mirror = settings.mirror {
            data = try fromMirror(mirror, url: url, expected: expected)
            via = "mirror"
        }
        if data == nil {
            if settings.offline {
                throw Failure(description: "the origin '\(url)' is not in the cache\(settings.mirror == nil ? "" : " or the mirror") and --offline forbids downloading it; "
                              + "run 'manifestc --fetch' where the network is reachable (or copy \(settings.cache) from there), or give --origin-mirror")
            }
            say("origin '\(url)': downloading…")
            let folder = cache.root
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            do {
                data = try OriginDownloader(timeout: settings.timeout, maxBytes: settings.maxBytes).download(url, into: folder)
            } catch {
                throw Failure(description: "cannot download the origin '\(url)': \(ErrorText.describe(error))")
            }
            via = "download"
        }
        let bytes = data!
        let digest = SHA256.hex(bytes)
        if let mismatch = OriginRules.verify(url: url, sha256: digest, pin: pin, stated: stated) { throw mismatch }
        try cache.store(bytes, sha256: digest)
        let from = ["cache": "from the cache", "mirror": "from the mirror", "download": "downloaded"][via]!
        let checked = stated.map { "; matches the Library.uk of '\($0.library)'" } ?? "; no Library.uk states its hash"
        say("origin '\(url)': \(bytes.count) bytes, sha256 \(digest) (\(from)\(checked))")
        return (bytes, OriginRecord(url: url, sha256: digest, size: bytes.count, via: via, statedBy: stated?.library))
    }

    /// The origin from the mirror: a folder (`sha256/<hash>`, then the URL's file name) or
    /// a URL prefix (the file name appended); nil when the mirror does not have it.
    private func fromMirror(_ mirror: String, url: String, expected: String?) throws -> Data? {
        let name = OriginRules.mirrorName(url)
        if OriginRules.urlProblem(mirror) == nil {
            guard let name else { return nil }
            let prefix = mirror.hasSuffix("/") ? mirror : mirror + "/"
            if mirror.lowercased().hasPrefix("file://") {
                return try OriginCache.read(URL(fileURLWithPath: String(prefix.dropFirst("file://".count)) + name), maxBytes: settings.maxBytes)
            }
            guard !settings.offline else { return nil }
            say("origin '\(url)': from the mirror \(prefix + name)…")
            return try? OriginDownloader(timeout: settings.timeout, maxBytes: settings.maxBytes).download(prefix + name, into: cache.root)
        }
        let folder = URL(fileURLWithPath: mirror)
        let candidates = (expected.map { ["sha256/\($0)"] } ?? []) + (name.map { [$0] } ?? [])
        for candidate in candidates {
            if let data = try OriginCache.read(folder.appendingPathComponent(candidate), maxBytes: settings.maxBytes) { return data }
        }
        return nil
    }

    /// Writes the delivered bytes where make asked, only inside the output folder.
    private func write(_ data: Data, to output: String) throws {
        let url = URL(fileURLWithPath: output)
        let parent = url.deletingLastPathComponent()
        guard let real = Confinement.realPath(parent), Confinement.path(real, isInside: settings.outputRoot) else {
            throw Failure(description: "refusing to write '\(output)': it is not inside the output folder '\(settings.outputRoot)'")
        }
        try OriginCache.writeAtomically(data, to: URL(fileURLWithPath: real).appendingPathComponent(url.lastPathComponent))
    }
}
