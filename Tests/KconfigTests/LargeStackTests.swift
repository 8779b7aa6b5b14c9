import Testing
@testable import Kconfig

/// `withLargeStack` hands its result over without the worker thread keeping anything alive.
///
/// Found by the `kconfig` fuzz target (scripts/fuzz.sh): LeakSanitizer reported parts of a
/// loaded tree as leaked, because the finishing worker thread still held the closure and
/// the result box (and through them the tree) after the call had returned.
@Suite struct LargeStackTests {
    private final class Probe: Sendable {}

    @Test func resultIsOwnedByTheCallerOnly() {
        weak var weakResult: Probe?
        do {
            let result = withLargeStack { Probe() }
            weakResult = result
        }
        #expect(weakResult == nil)
    }

    @Test func capturesAreReleasedOnReturn() {
        weak var weakCaptured: Probe?
        do {
            let captured = Probe()
            weakCaptured = captured
            _ = withLargeStack { [captured] in ObjectIdentifier(captured) }
        }
        #expect(weakCaptured == nil)
    }
}
