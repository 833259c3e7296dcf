import CMosquitto
import Foundation

/// What became of one message published at QoS 1, as far as anyone can tell: a dispatcher
/// marks a call sent only on `confirmed`.
public enum PublishOutcome: Sendable, Equatable {
    /// The broker acknowledged it and has it (PUBACK reason 0x00, or 0x10 "no matching
    /// subscribers": taken, with nobody listening yet).
    case confirmed
    /// The broker (a PUBACK reason of 0x80 or above, which only MQTT 5 can carry) or
    /// libmosquitto (a topic or payload it cannot send) refused it: sent again as it is, it
    /// is refused again until the broker's ACL or the configuration changes.
    case refused(PublishRefusal)
    /// No answer in the time allowed, or never handed over (no connection): it may have arrived.
    case unconfirmed
}

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

/// MQTT 5 reason codes in words, as libmosquitto names them.
public enum MQTTReason {
    /// The first reason code that refuses: 0x80 "unspecified error" and everything above.
    public static let firstRefusal: Int32 = 0x80

    /// `not authorized` for 0x87, `quota exceeded` for 0x97.
    public static func text(_ code: Int32) -> String {
        lowercasedFirst(String(cString: mosquitto_reason_string(code)))
    }

    /// `0x87`.
    public static func hex(_ code: Int32) -> String {
        String(format: "0x%02X", code)
    }

    static func lowercasedFirst(_ text: String) -> String {
        var text = text
        while text.hasSuffix(".") { text.removeLast() }
        guard let first = text.first else { return text }
        return first.lowercased() + text.dropFirst()
    }
}
