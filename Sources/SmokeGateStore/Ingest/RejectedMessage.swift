import Foundation
import SmokeGateCore

/// A message the decoders turned away, kept for the operator with its reason.
public struct RejectedMessage: Sendable {
    public var receivedAt: Date
    public var topic: String
    public var format: PayloadFormat?
    public var rejection: Rejection
    public var payload: [UInt8]

    public init(receivedAt: Date, topic: String, format: PayloadFormat?, rejection: Rejection, payload: [UInt8]) {
        self.receivedAt = receivedAt
        self.topic = topic
        self.format = format
        self.rejection = rejection
        self.payload = payload
    }
}
