#if canImport(Glibc)
    import Glibc
#endif

/// A reader-writer lock between the writes that turn the gateway's time into schedules and a
/// wall-clock step being applied. Ingest, the scheduler, the dispatcher's retries and
/// supervision each hold it shared while they read the time and write what follows from it;
/// `ClockStepWatch` holds it exclusively while it moves the schedules and the clock together.
/// So no deadline is ever computed on one side of a step and stored on the other.
///
/// The exclusive side only ever tries (`tryExclusive`): a step waits for the next moment
/// nobody holds the lock, and never blocks a thread that holds something a reader needs.
final class FrameLock: @unchecked Sendable {
    private let lock: UnsafeMutablePointer<pthread_rwlock_t>

    init() {
        lock = .allocate(capacity: 1)
        lock.initialize(to: pthread_rwlock_t())
        pthread_rwlock_init(lock, nil)
    }

    deinit {
        pthread_rwlock_destroy(lock)
        lock.deallocate()
    }

    /// Runs `body` with the lock held shared: no step is applied meanwhile.
    func shared<T>(_ body: () throws -> T) rethrows -> T {
        pthread_rwlock_rdlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body()
    }

    /// Runs `body` with the lock held exclusively, if nobody holds it now; nil otherwise.
    func tryExclusive<T>(_ body: () throws -> T) rethrows -> T? {
        guard pthread_rwlock_trywrlock(lock) == 0 else { return nil }
        defer { pthread_rwlock_unlock(lock) }
        return try body()
    }
}
