import Testing

/// Tags shared by the test targets. Security suites are also named for their tag (`Security…`),
/// so `swift test --filter Security` runs them. This toolchain's `swift test` cannot skip by tag:
/// `scripts/test-fast.sh` reads the `.slow` and `.realTree` tags from the sources and skips those
/// suites and tests by name (the fast local loop).
extension Tag {
    /// The security suite: one case per attack, asserting the safe outcome (SECURITY.md).
    @Tag public static var security: Self
    /// Starts subprocesses (git, make, QEMU, bash) or runs for seconds.
    @Tag public static var slow: Self
    /// Needs real Unikraft checkouts (`MANIFESTC_UNIKRAFT_TREES`); skipped without them.
    @Tag public static var realTree: Self
}
