import Testing

/// Tags shared by the test targets. Suites carrying one are also named for it (`Security…`),
/// so a local loop picks or skips them by name: `swift test --filter Security`, `--skip RealTree`.
extension Tag {
    /// The security suite: one case per attack, asserting the safe outcome (SECURITY.md).
    @Tag public static var security: Self
    /// Starts subprocesses (git, make, QEMU, bash) or runs for seconds.
    @Tag public static var slow: Self
    /// Needs real Unikraft checkouts (`MANIFESTC_UNIKRAFT_TREES`); skipped without them.
    @Tag public static var realTree: Self
}
