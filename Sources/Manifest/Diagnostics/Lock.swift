import Synchronization

/// A lock for a class that keeps its shared state in stored properties: `withLock` runs its
/// body with the lock held. (Foundation's `NSLock` without Foundation; a `Mutex` that guards
/// no value of its own.)
public final class Lock: Sendable {
    private let mutex = Mutex(())

    public init() {}

    public func withLock<Result>(_ body: () throws -> Result) rethrows -> Result {
        try mutex.withLock { _ in try body() }
    }
}
