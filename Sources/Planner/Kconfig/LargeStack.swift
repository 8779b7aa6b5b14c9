import Glibc

/// The work a large-stack thread runs (passed to it as its one pointer argument).
private final class StackWork {
    let run: () -> Void
    init(_ run: @escaping () -> Void) { self.run = run }
}

/// The stack of a `withLargeStack` thread.
private let largeStackBytes = 64 << 20

/// Runs `body` on a thread with a large stack and waits for it.
///
/// Parsing and evaluating Kconfig recurse once per nested block, expression level and
/// chained symbol; the limits (`KconfigParser.maxNesting`, `KconfigEvaluator.maxDepth`)
/// keep that finite, and this keeps it safe on threads with small stacks (test runners,
/// Swift concurrency's cooperative pool).
///
/// The worker thread is joined before this returns: nothing of `body` (or what it captured)
/// outlives the call. When no thread can be started, `body` runs on the calling thread.
func withLargeStack<T>(_ body: () -> T) -> T {
    var value: T?
    withoutActuallyEscaping({ value = body() }) { run in
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, largeStackBytes)
        let work = Unmanaged.passRetained(StackWork(run))
        var thread = pthread_t()
        let started = pthread_create(&thread, &attributes, { argument in
            Unmanaged<StackWork>.fromOpaque(argument!).takeRetainedValue().run()
            return nil
        }, work.toOpaque())
        if started == 0 {
            pthread_join(thread, nil)
        } else {
            work.takeRetainedValue().run()
        }
    }
    return value!
}
