import ArgumentParser
import Driver

/// The options of hermetic builds: origins from the cache or a mirror only, fetching
/// everything up front, and the reproducibility check.
struct HermeticOptions: ParsableArguments {
    @Flag(help: "Open no network connection: git sources must be in the workspace, origins in the cache or a folder mirror.")
    var offline = false

    @Option(name: .customLong("origin-mirror"), help: ArgumentHelp(
        "Where origins are looked up before downloading: a folder (holding sha256/<hash> or the URL's file name) or a URL prefix (https, http, file).", valueName: "dir|url"))
    var originMirror: String?

    @Flag(help: "Fetch every git source and every origin the selected targets download (into the workspace and the origin cache), then stop: a later --build --offline needs no network.")
    var fetch = false

    @Flag(name: .customLong("verify-reproducible"), help: "After --build, build again in a fresh temporary folder (offline, from the same workspace and cache) and compare the images byte for byte.")
    var verifyReproducible = false

    func validate(build: Bool) throws {
        if fetch && build { throw ValidationError("--fetch fetches without building; leave out --build and --run") }
        if verifyReproducible && !build { throw ValidationError("--verify-reproducible applies to --build") }
        if let originMirror, originMirror.isEmpty { throw ValidationError("--origin-mirror needs a folder or a URL prefix") }
    }

    /// The options as the driver takes them.
    var settings: HermeticSettings {
        var settings = HermeticSettings()
        settings.offline = offline
        settings.originMirror = originMirror
        settings.fetch = fetch
        settings.verifyReproducible = verifyReproducible
        return settings
    }
}
