import Foundation

private final class StackBox<T>: @unchecked Sendable {
    var value: T?
    let body: () -> T
    init(_ body: @escaping () -> T) { self.body = body }
}

/// Runs `body` on a thread with a large stack and waits for it.
///
/// Parsing and evaluating Kconfig recurse once per nested block, expression level and
/// chained symbol; the limits (`KconfigParser.maxNesting`, `KconfigEvaluator.maxDepth`)
/// keep that finite, and this keeps it safe on threads with small stacks (test runners,
/// Swift concurrency's cooperative pool).
func withLargeStack<T>(_ body: @escaping () -> T) -> T {
    let box = StackBox(body)
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
        box.value = box.body()
        done.signal()
    }
    thread.stackSize = 64 << 20
    thread.start()
    done.wait()
    return box.value!
}
