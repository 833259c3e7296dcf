import Dispatch
import Synchronization

/// Whether ingest is stuck on the database: a commit being retried, or one step of the
/// network thread lasting long. Meanwhile heartbeats wait unread, so supervision must not
/// count them unheard (field rule 6, `HearingGaps`).
final class IngestHealth: Sendable {
    /// The network thread's steps.
    let monitor: LoopMonitor
    /// Monotonic nanoseconds of the first failed attempt of the commit being retried; 0 when
    /// the last commit went through.
    private let failingSince = Atomic<UInt64>(0)

    init(monitor: LoopMonitor) {
        self.monitor = monitor
    }

    /// A commit attempt failed and will be retried.
    func commitFailed() {
        _ = failingSince.compareExchange(
            expected: 0, desired: DispatchTime.now().uptimeNanoseconds, ordering: .relaxed)
    }

    /// A commit went through: ingest writes again.
    func commitSucceeded() {
        if failingSince.load(ordering: .relaxed) != 0 { failingSince.store(0, ordering: .relaxed) }
    }

    /// Whether a commit has been failing, or a step running, for longer than `limit`.
    func isStuck(longerThan limit: Duration) -> Bool {
        let since = failingSince.load(ordering: .relaxed)
        if since != 0, Duration.nanoseconds(Int64(DispatchTime.now().uptimeNanoseconds &- since)) > limit { return true }
        return monitor.isStalled(longerThan: limit)
    }
}
