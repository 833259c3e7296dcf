import Foundation
import SmokeGateCore

/// An event on its way into the `event` table, with the message it came from.
public struct IncomingEvent: Sendable {
    public var event: DetectorEvent
    public var topic: String
    public var payload: String
    public var receivedAt: Date
    /// Whether a broker may be redelivering it: it came at QoS 1 in the first moments of a new
    /// session, when a broker resends what it never saw acknowledged. Only then can a payload
    /// without a sender's stamp be taken for a redelivery (see `Store.commit`).
    public var mayBeRedelivery: Bool

    public init(event: DetectorEvent, topic: String, payload: String, receivedAt: Date, mayBeRedelivery: Bool = false) {
        self.event = event
        self.topic = topic
        self.payload = payload
        self.receivedAt = receivedAt
        self.mayBeRedelivery = mayBeRedelivery
    }
}
