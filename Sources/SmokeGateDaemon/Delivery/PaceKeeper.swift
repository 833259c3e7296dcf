import SmokeGateCore
import Synchronization

/// A receiver's `SendPace` on the monotonic clock, shared by the requests of its lane.
final class PaceKeeper: Sendable {
    private let pace: Mutex<SendPace>
    private let origin = ContinuousClock.now

    init(_ pace: SendPace) {
        self.pace = Mutex(pace)
    }

    /// Seconds on the monotonic clock since the lane began.
    func now() -> Double {
        let elapsed = ContinuousClock.now - origin
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    func free() -> Int { pace.withLock { $0.free(at: now()) } }
    func nextSlot() -> Double { pace.withLock { $0.nextSlot(at: now()) } }
    func recentlyLimited() -> Bool { pace.withLock { $0.recentlyLimited(at: now()) } }
    func record() { pace.withLock { $0.record(at: now()) } }
    func block(for seconds: Double) {
        let until = now() + seconds
        pace.withLock { $0.block(until: until) }
    }
}
