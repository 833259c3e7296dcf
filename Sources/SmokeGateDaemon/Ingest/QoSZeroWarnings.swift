import Logging
import SmokeGateMQTT
import Synchronization

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
