import Foundation

/// The threads the daemon's tasks run on, instead of Swift's cooperative pool.
///
/// The store is synchronous: a service waits on its thread for SQLite's lock or for
/// PostgreSQL's answer (up to the store's deadline when the database is unreachable). On the
/// cooperative pool (one thread per core) two such waits would leave no thread for anything
/// else: `/healthz` would not answer, and a leader cut off from the database could not even
/// say it stepped down. Here a waiting service holds one of `count` threads, and the rest of
/// the daemon goes on.
final class DaemonThreads: TaskExecutor, @unchecked Sendable {
    static let shared = DaemonThreads(count: 16)

    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var next = 0

    init(count: Int) {
        for index in 0..<count {
            let thread = Thread { [unowned self] in work() }
            thread.name = "smokegate-\(index)"
            thread.start()
        }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.withLock {
            jobs.append(job)
            condition.signal()
        }
    }

    private func work() {
        while true {
            let job = condition.withLock {
                while next == jobs.count { condition.wait() }
                let job = jobs[next]
                next += 1
                // Drop what was run once the queue drains, or when it grows long.
                if next == jobs.count || next > 1_024 {
                    jobs.removeFirst(next)
                    next = 0
                }
                return job
            }
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
