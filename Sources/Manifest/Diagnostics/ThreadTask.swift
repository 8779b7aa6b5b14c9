import Glibc

/// A value computed on a thread of its own, started at once and taken later, so that the caller
/// works meanwhile. Taking `value` joins the thread; a task never taken is joined when it goes
/// away, so nothing the body captured outlives the task. When no thread can be started, the
/// body runs on the calling thread. One thread takes the value (it joins the worker).
public final class ThreadTask<T>: @unchecked Sendable {
    /// Where the thread puts the value (the thread holds it, not the task, which may go first).
    private final class Result { var value: T? }
    private let result = Result()
    private var thread: pthread_t?

    /// - Parameters:
    ///   - stackSize: the thread's stack in bytes; 0 for the system's default.
    ///   - body: the work.
    public init(stackSize: Int = 0, _ body: @escaping () -> T) {
        let result = self.result
        thread = startThread(stackSize: stackSize) { result.value = body() }
        if thread == nil { result.value = body() }
    }

    /// The value, once the thread has computed it.
    public var value: T {
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

/// The work a thread runs (passed to it as its one pointer argument).
private final class ThreadWork {
    let run: () -> Void
    init(_ run: @escaping () -> Void) { self.run = run }
}

/// Starts `run` on a new thread; nil (and `run` not called) when none can be started.
private func startThread(stackSize: Int, _ run: @escaping () -> Void) -> pthread_t? {
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    defer { pthread_attr_destroy(&attributes) }
    if stackSize > 0 { pthread_attr_setstacksize(&attributes, stackSize) }
    let work = Unmanaged.passRetained(ThreadWork(run))
    var thread = pthread_t()
    let started = pthread_create(&thread, &attributes, { argument in
        Unmanaged<ThreadWork>.fromOpaque(argument!).takeRetainedValue().run()
        return nil
    }, work.toOpaque())
    guard started == 0 else {
        work.release()
        return nil
    }
    return thread
}
