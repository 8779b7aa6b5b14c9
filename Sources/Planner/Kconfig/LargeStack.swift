import Glibc

/// The work a large-stack thread runs (passed to it as its one pointer argument).
private final class StackWork {
    let run: () -> Void
    init(_ run: @escaping () -> Void) { self.run = run }
}

/// The stack of a large-stack thread.
private let largeStackBytes = 64 << 20

/// Starts `run` on a new thread with a large stack; nil (and `run` not called) when no thread can be started.
private func startLargeStackThread(_ run: @escaping () -> Void) -> pthread_t? {
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
    guard started == 0 else {
        work.release()
        return nil
    }
    return thread
}

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
        if let thread = startLargeStackThread(run) {
            pthread_join(thread, nil)
        } else {
            run()
        }
    }
    return value!
}

/// A value computed on a thread with a large stack (as `withLargeStack` computes it), started
/// at once and taken later, so the caller works meanwhile. Taking `value` joins the thread;
/// a task never taken is joined when it goes away. When no thread can be started, `body` runs
/// on the calling thread.
final class LargeStackTask<T>: @unchecked Sendable {
    /// Where the thread puts the value (the thread holds it, not the task, which may go first).
    private final class Result { var value: T? }
    private let result = Result()
    private var thread: pthread_t?

    init(_ body: @escaping () -> T) {
        let result = self.result
        thread = startLargeStackThread { result.value = body() }
        if thread == nil { result.value = body() }
    }

    /// The value, once the thread has computed it.
    var value: T {
        join()
        return result.value!
    }

    private func join() {
        guard let running = thread else { return }
        pthread_join(running, nil)
        thread = nil
    }

    deinit { join() }
}
