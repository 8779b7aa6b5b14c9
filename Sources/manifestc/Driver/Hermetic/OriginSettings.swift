import FoundationEssentials
import Planner

/// What the `fetch-origin` program that make runs as `$(WGET)` needs to know, written by
/// `--build` into a private folder that `MANIFESTC_ORIGIN_STATE` names: the pins of
/// `kraft.lock`, the hashes libraries state, the cache, the mirror and the rules. Each
/// call leaves one record in `records/`, which `--build` reads back after make.
struct OriginSettings: Codable {
    struct Pin: Codable {
        var sha256: String
        var size: Int
    }

    /// The cache's root (`…/manifestc/origins`).
    var cache: String
    /// Where make may have a download written (the output folder, real path).
    var outputRoot: String
    /// A folder, or a URL prefix (https, http, file), holding origins by file name (or `sha256/<hash>`).
    var mirror: String?
    var offline: Bool
    var locked: Bool
    var pins: [String: Pin]
    var stated: [String: StatedOrigin]
    /// Seconds one download may take.
    var timeout: Double
    /// The largest origin accepted.
    var maxBytes: Int

    /// The environment variable naming the state folder.
    static let environmentKey = "MANIFESTC_ORIGIN_STATE"
    static let fileName = "settings.json"
    static let recordsFolder = "records"
    static let defaultTimeout: Double = 600
    static let defaultMaxBytes = 1 << 30

    /// `origins/` in manifestc's cache folder (`CacheFolder`).
    static func cacheFolder(environment: [String: String]) -> URL {
        URL(fileURLWithPath: CacheFolder.path(environment)).appendingPathComponent("origins")
    }
}

/// What one `fetch-origin` call did, for `--build` to report and record in `kraft.lock`.
struct OriginRecord: Codable {
    var url: String
    /// Set when the origin was delivered.
    var sha256: String?
    var size: Int?
    /// `cache`, `mirror` or `download`.
    var via: String?
    /// The library whose `Library.uk` states the hash the download matched.
    var statedBy: String?
    /// Set when it was refused or could not be fetched.
    var error: String?
}
