/// How hermetic builds go (`--offline`, `--origin-mirror`, `--fetch`, `--verify-reproducible`).
package struct HermeticSettings: Sendable {
    /// Open no network connection: git sources from the workspace, origins from the cache or a folder mirror.
    package var offline = false
    /// Where origins are looked up before downloading: a folder or a URL prefix.
    package var originMirror: String?
    /// Fetch every git source and origin, then stop.
    package var fetch = false
    /// After the build, build again in a fresh folder and compare the images.
    package var verifyReproducible = false

    package init() {}
}
