import CMosquitto
import Foundation

/// Why a message was refused, with the code, in words for the journal and the outbox.
public struct PublishRefusal: Sendable, Equatable, CustomStringConvertible {
    /// The PUBACK reason code when `byBroker`, otherwise libmosquitto's error code.
    public let code: Int32
    /// Whether the broker answered with the refusal (or libmosquitto would not send it).
    public let byBroker: Bool

    /// The broker's refusal with PUBACK reason `code`.
    public init(brokerReason code: Int32) {
        self.code = code
        byBroker = true
    }

    /// libmosquitto's refusal to send, with its error `code`.
    public init(libraryError code: Int32) {
        self.code = code
        byBroker = false
    }

    /// `not authorized (0x87)`: the reason alone.
    public var reason: String {
        byBroker
            ? "\(MQTTReason.text(code)) (\(MQTTReason.hex(code)))"
            : "\(MQTTReason.lowercasedFirst(String(cString: mosquitto_strerror(code)))) (error \(code))"
    }

    /// `refused by the broker: not authorized (0x87)`, as the outbox's `last_error` says it.
    public var description: String {
        (byBroker ? "refused by the broker: " : "refused by libmosquitto: ") + reason
    }

    /// libmosquitto errors that say the message itself cannot be sent (its topic, its size,
    /// its QoS), as opposed to a connection that is down or memory that ran out.
    static func isPermanent(libraryError code: Int32) -> Bool {
        [MOSQ_ERR_INVAL, MOSQ_ERR_PAYLOAD_SIZE, MOSQ_ERR_MALFORMED_UTF8, MOSQ_ERR_QOS_NOT_SUPPORTED, MOSQ_ERR_OVERSIZE_PACKET]
            .contains { $0.rawValue == code }
    }
}
