import Dispatch
import Synchronization

/// Whether a loop is stuck: it marks when it starts a step and when it ends it, so the
/// watchdog can tell a loop that is merely idle (waiting for work) from one stuck in a step.
final class LoopMonitor: Sendable {
    let name: String
    /// Monotonic nanoseconds when the current step began; 0 while idle.
    private let busySince = Atomic<UInt64>(0)

    init(_ name: String) {
        self.name = name
    }

    func begin() { busySince.store(DispatchTime.now().uptimeNanoseconds, ordering: .relaxed) }

    func end() { busySince.store(0, ordering: .relaxed) }

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
