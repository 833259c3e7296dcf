import Logging
import SmokeGateMQTT
import Synchronization

/// How one message reached the ingest path, which decides what its commit must guard.
struct Arrival: Sendable {
    /// The connection whose acknowledgement waits on this message; nil when it was set aside
    /// for the worker (nothing waits on it).
    var client: MQTTClient?
    var qos: Int32
    /// Whether the broker may be resending it (see `SessionOpening`).
    var mayBeRedelivery: Bool
    /// For a platform's HTTP push: when to stop retrying a refused write and answer 503, so
    /// the platform retries (it drops pushes to an endpoint that keeps it waiting).
    var answerBy: ContinuousClock.Instant? = nil
    /// When the message reached the gateway (libmosquitto's callback began, the push was
    /// taken), when its turn came (every message before it handed to the worker applied), and
    /// when it was decoded: the first stages of an alarm's timings (`AlarmStages`).
    var entered: ContinuousClock.Instant? = nil
    var inTurn: ContinuousClock.Instant? = nil
    var decoded: ContinuousClock.Instant? = nil

    /// A message the worker handles: at QoS 0, or a heartbeat; no acknowledgement waits.
    static let setAside = Arrival(client: nil, qos: 0, mayBeRedelivery: false)

    /// A platform push: its `200` waits on the commit as a PUBACK does, for at most `budget`.
    /// A retry of a push is recognised by the platform's own stamp on it, never by its bytes.
    static func push(budget: Duration) -> Arrival {
        Arrival(client: nil, qos: 1, mayBeRedelivery: false, answerBy: .now + budget, entered: .now)
    }
}
