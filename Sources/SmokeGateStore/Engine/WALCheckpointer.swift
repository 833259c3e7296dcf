import Dispatch
import GRDB

/// Copies a SQLite store's write-ahead log back into its database file on a timer, so that no
/// alarm's commit pays for copying the heartbeats' pages (SQLite's automatic checkpoint, run by
/// whichever commit crosses 1,000 pages, made an alarm's commit p99 8–15 ms where its fsync
/// took 1–2; see docs/performance.md). In two steps:
/// 1. from a connection of its own, without the writers' lock: commits go on while it copies;
/// 2. once the log is long, what writers appended meanwhile (a few hundred pages at most)
///    under their lock, on the writer. SQLite starts the log again from its beginning only in
///    a transaction that began with every frame back in the file. Beside writers that never
///    pause (a burst of alarms) the first step alone never gives them one, and the log grew
///    to 42–59 MB in the benchmark's burst; with the second, 13–21 MB.
final class WALCheckpointer: @unchecked Sendable {
    /// The log's length past which the second step runs: SQLite's own threshold. Below it, the
    /// pauses between heartbeat batches give the writers their fresh start.
    static let restartAfterPages = 1_000
    /// Touched only here and in `deinit`.
    private let timer: DispatchSourceTimer

    /// Opens its connection to the database at `path` and starts copying every `interval`.
    init(path: String, writer: DatabasePool, every interval: Duration) throws {
        var configuration = Configuration()
        configuration.label = "smokegate.checkpoints"
        configuration.busyMode = .timeout(1)
        let connection = try DatabaseQueue(path: path, configuration: configuration)
        let queue = DispatchQueue(label: "smokegate.checkpoints", qos: .utility)
        timer = DispatchSource.makeTimerSource(queue: queue)
        let nanoseconds = Self.nanoseconds(interval)
        timer.schedule(
            deadline: .now() + .nanoseconds(nanoseconds), repeating: .nanoseconds(nanoseconds),
            leeway: .nanoseconds(nanoseconds / 10))
        // The handler holds the connections, not this object: cancelling releases them.
        timer.setEventHandler {
            // Busy means a writer past its own bound is copying already; the next tick retries.
            guard let copied = try? connection.writeWithoutTransaction({ try $0.checkpoint(.passive) }) else { return }
            guard copied.walFrameCount >= Self.restartAfterPages else { return }
            _ = try? writer.writeWithoutTransaction { try $0.checkpoint(.passive) }
        }
        timer.resume()
    }

    /// Stops the timer; the connections are let go once a copy under way has finished.
    deinit { timer.cancel() }

    private static func nanoseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1_000_000, Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
    }
}
