import Dispatch
import Synchronization

/// Whether a loop is stuck: it marks when it starts a step and when it ends it, so the
/// watchdog can tell a loop that is merely idle (waiting for work) from one stuck in a step.
/// A long step that keeps completing work (a retry whose attempts return, a wait on a worker
/// that keeps handling messages) says so with `progressed()`: the watchdog follows progress,
/// not busyness, and a call hung inside SQLite is not progress.
final class LoopMonitor: Sendable {
    let name: String
    /// Where the loop reports a store error that no retry can fix (nil: it only retries).
    let fatal: FatalStop?
    /// Monotonic nanoseconds when the current step began; 0 while idle.
    private let busySince = Atomic<UInt64>(0)

    init(_ name: String, fatal: FatalStop? = nil) {
        self.name = name
        self.fatal = fatal
    }

    func begin() { busySince.store(DispatchTime.now().uptimeNanoseconds, ordering: .relaxed) }

    func end() { busySince.store(0, ordering: .relaxed) }

    /// The current step completed some work: its stall is counted from now. Does nothing while
    /// idle, even if the step ends meanwhile (another thread may report the progress).
    func progressed() {
        var since = busySince.load(ordering: .relaxed)
        let now = DispatchTime.now().uptimeNanoseconds
        while since != 0 {
            let (exchanged, current) = busySince.compareExchange(
                expected: since, desired: now, ordering: .relaxed)
            if exchanged { return }
            since = current
        }
    }

    /// Runs `body` as one step.
    func step<T>(_ body: () throws -> T) rethrows -> T {
        begin()
        defer { end() }
        return try body()
    }

    /// Whether the current step has lasted longer than `limit`.
    func isStalled(longerThan limit: Duration) -> Bool {
        let since = busySince.load(ordering: .relaxed)
        guard since != 0 else { return false }
        let elapsed = DispatchTime.now().uptimeNanoseconds &- since
        return Duration.nanoseconds(Int64(elapsed)) > limit
    }
}
