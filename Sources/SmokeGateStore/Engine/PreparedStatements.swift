import NIOCore

/// What one PostgreSQL connection has prepared of the registered statements
/// (`StatementRegistry`). Owned by the pool beside its connection, and used by one thread at a
/// time, as the connection is.
final class PreparedStatements: @unchecked Sendable {
    /// Statements prepared on this connection: run by name, sent in order with the rest.
    private(set) var ready: Set<Int> = []
    /// Statements whose first run here failed: PostgresNIO keeps a failed preparation's error
    /// for the connection's life, so they run unnamed here.
    private(set) var unusable: Set<Int> = []
    /// The connection's event loop, as the executor of the tasks that send by name.
    let executor: EventLoopTaskExecutor

    init(on loop: any EventLoop) { executor = EventLoopTaskExecutor(loop) }

    func prepared(_ number: Int) { ready.insert(number) }
    func failed(_ number: Int) { unusable.insert(number) }
}

/// Runs the tasks that send statements by name on their connection's event loop: PostgresNIO's
/// prepared statements are async, and their continuations must not wait for Swift's shared
/// pool, whose few threads the store's blocking callers may all be holding. Jobs are queued
/// with `execute`, as PostgresNIO queues the unnamed statements sent from the same thread, so
/// the two kinds reach the channel in the order they were sent.
final class EventLoopTaskExecutor: TaskExecutor, @unchecked Sendable {
    let loop: any EventLoop

    init(_ loop: any EventLoop) { self.loop = loop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
