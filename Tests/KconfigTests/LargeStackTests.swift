import Glibc
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

/// `withLargeStack` runs its body on a thread of its own with a stack of at least 64 MiB.
@Suite struct LargeStackSizeTests {
    /// glibc's `pthread_getattr_np` (a GNU extension the Glibc module does not declare).
    private typealias GetAttributes = @convention(c) (pthread_t, UnsafeMutablePointer<pthread_attr_t>) -> Int32

    @Test func bodyRunsWithALargeStack() throws {
        let symbol = try #require(dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pthread_getattr_np"))
        let getAttributes = unsafeBitCast(symbol, to: GetAttributes.self)
        let (size, thread) = withLargeStack { () -> (Int, pthread_t) in
            var attributes = pthread_attr_t()
            guard getAttributes(pthread_self(), &attributes) == 0 else { return (0, pthread_self()) }
            defer { pthread_attr_destroy(&attributes) }
            var size = 0
            pthread_attr_getstacksize(&attributes, &size)
            return (size, pthread_self())
        }
        #expect(size >= 64 << 20)
        #expect(pthread_equal(thread, pthread_self()) == 0)
    }
}

/// A task runs on its own large-stack thread while the caller works, and gives its value when taken.
@Suite struct ThreadTaskTests {
    @Test func theValueIsComputedOnAnotherThreadWhileTheCallerWorks() {
        let caller = pthread_self()
        let task = largeStackTask { (pthread_equal(pthread_self(), caller) == 0, deepRecursion(100_000)) }
        let (elsewhere, depth) = task.value
        #expect(elsewhere)
        #expect(depth == 100_000)
        #expect(task.value.1 == 100_000)   // taken twice: the same value, the thread joined once
    }

    @Test func aTaskNeverTakenIsJoinedWhenItGoesAway() {
        final class Flag: @unchecked Sendable { var set = false }
        let finished = Flag()
        do {
            _ = largeStackTask {
                usleep(20_000)
                finished.set = true
            }
        }
        #expect(finished.set)
    }
}

/// Counts down one frame at a time (the result is used after each call, so it stays recursive).
private func deepRecursion(_ n: Int) -> Int { n == 0 ? 0 : 1 + deepRecursion(n - 1) }
