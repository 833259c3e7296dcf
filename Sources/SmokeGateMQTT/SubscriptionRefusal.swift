import Synchronization

/// A subscription the broker refused, or granted at a lower QoS than asked: the session is
/// up but does not hear what the filter should bring, or hears it at QoS 0, where the broker
/// drops an alarm it cannot deliver at once.
public struct SubscriptionRefusal: Sendable, Equatable, CustomStringConvertible {
    public let filter: String
    /// The QoS asked for.
    public let asked: Int32
    /// The SUBACK's answer: a QoS below `asked`, or a reason code of 0x80 and above.
    public let granted: Int32

    public init(filter: String, asked: Int32, granted: Int32) {
        self.filter = filter
        self.asked = asked
        self.granted = granted
    }

    /// Whether the broker refused it outright (rather than granting a lower QoS).
    public var isRefused: Bool { granted >= MQTTReason.firstRefusal }

    /// What the broker answered: `refused (0x80)`, `refused: not authorized (0x87)`, `granted QoS 0 of 1`.
    public var answer: String {
        guard isRefused else { return "granted QoS \(granted) of \(asked)" }
        // 0x80 is all MQTT 3.1.1 can say ("failure"); MQTT 5 says why.
        return granted == MQTTReason.firstRefusal
            ? "refused (\(MQTTReason.hex(granted)))" : "refused: \(MQTTReason.text(granted)) (\(MQTTReason.hex(granted)))"
    }

    /// `zigbee2mqtt/+: refused (0x80)`.
    public var description: String { "\(filter): \(answer)" }
}
