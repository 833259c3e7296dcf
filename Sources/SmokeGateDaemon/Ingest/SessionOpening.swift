import Logging
import SmokeGateMQTT
import Synchronization

/// The opening moments of a broker session that the broker kept from before: the only time
/// it resends a message (one delivered but never acknowledged, as when the gateway was killed
/// between its commit and its PUBACK), and it resends those first. So only a message among the
/// session's first `messages`, within `window` of its CONNACK, may be a redelivery; any other
/// is new, whatever it repeats (field rule 4).
final class SessionOpening: Sendable {
    /// Well above what a broker holds unacknowledged for one client (`max_inflight_messages`,
    /// 100 in the shipped broker configuration).
    static let messages = 1_000
    static let window: Duration = .seconds(60)

    private struct Opening {
        var start: ContinuousClock.Instant
        var seen = 0
    }

    private let opening = Mutex<Opening?>(nil)

    /// A session started; `resumed` when the broker kept it (a new session resends nothing).
    func begin(resumed: Bool) {
        opening.withLock { $0 = resumed ? Opening(start: .now) : nil }
    }

    /// Counts one QoS 1 message; whether it may be a redelivery.
    func mayBeRedelivery() -> Bool {
        opening.withLock { opening in
            guard var current = opening else { return false }
            current.seen += 1
            guard current.seen <= Self.messages, ContinuousClock.now - current.start <= Self.window else {
                opening = nil
                return false
            }
            opening = current
            return true
        }
    }
}
