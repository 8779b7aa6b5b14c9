import Diagnostics

/// The stack of a large-stack thread.
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
    withoutActuallyEscaping(body) { largeStackTask($0).value }
}

/// `body` started on a thread with a large stack (as `withLargeStack` runs it), its value taken later.
func largeStackTask<T>(_ body: @escaping () -> T) -> ThreadTask<T> {
    ThreadTask(stackSize: largeStackBytes, body)
}
