import Logging
import SmokeGateMQTT
import Synchronization

/// How one message reached the ingest path, which decides what its commit must guard.
struct Delivery: Sendable {
    /// The connection whose acknowledgement waits on this message; nil when it was set aside
    /// for the worker (nothing waits on it).
    var client: MQTTClient?
    var qos: Int32
    /// Whether the broker may be resending it (see `SessionOpening`).
    var mayBeRedelivery: Bool
    /// For a platform's HTTP push: when to stop retrying a refused write and answer 503, so
    /// the platform retries (it drops pushes to an endpoint that keeps it waiting).
    var answerBy: ContinuousClock.Instant? = nil

    /// A message the worker handles: at QoS 0, or a heartbeat; no acknowledgement waits.
    static let setAside = Delivery(client: nil, qos: 0, mayBeRedelivery: false)

    /// A platform push: its `200` waits on the commit as a PUBACK does, for at most `budget`.
    /// A retry of a push is recognised by the platform's own stamp on it, never by its bytes.
    static func push(budget: Duration) -> Delivery {
        Delivery(client: nil, qos: 1, mayBeRedelivery: false, answerBy: .now + budget)
    }
}

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

/// Warns once per Zigbee2MQTT detector that alarms at QoS 0: such an alarm, published while
/// the gateway is away, survives only if the broker queues QoS 0 for the gateway's session.
final class QoSZeroWarnings: Sendable {
    /// Detectors remembered at most; past it the warning is no longer repeated per detector.
    static let limit = 10_000
    private let warned = Mutex<Set<String>>([])

    func warnOnce(_ device: String, logger: Logger) {
        let first = warned.withLock { warned in
            guard warned.count < Self.limit else { return false }
            return warned.insert(device).inserted
        }
        guard first else { return }
        logger.warning(
            "Zigbee2MQTT smoke alarm arrived at QoS 0: one published while the gateway is away is kept only if the broker queues QoS 0 for it (queue_qos0_messages true); set qos: 1 for this device in Zigbee2MQTT",
            metadata: ["device": "\(device)"])
    }
}
