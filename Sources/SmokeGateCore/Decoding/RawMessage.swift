import Foundation

/// One message as it came off the broker: copied out of the MQTT library's buffers.
public struct RawMessage: Sendable {
    public var topic: String
    public var payload: [UInt8]
    /// When the gateway took it off the broker (the domain never reads a clock).
    public var receivedAt: Date
    /// The broker's retained copy, sent because the gateway subscribed: the last message
    /// on the topic, of any age. It is never a new event (contract field rule 4).
    public var retained: Bool

    public init(topic: String, payload: [UInt8], receivedAt: Date, retained: Bool = false) {
        self.topic = topic
        self.payload = payload
        self.receivedAt = receivedAt
        self.retained = retained
    }

    /// A stable 64-bit FNV-1a digest of topic and payload, for recognising redeliveries of
    /// payloads that carry no stamp of their own.
    public var digest: UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in topic.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        hash = (hash ^ 0xFF) &* 0x100_0000_01b3
        for byte in payload {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return hash
    }
}
