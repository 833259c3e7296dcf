import Foundation
import SmokeGateCore

/// What one request carries.
public struct OutgoingMessage: Sendable, Equatable {
    /// The calls, in the order they were made (more than one only when merged).
    public var calls: [CallCard]
    /// The person a text or a voice call goes to; nil for group robots and webhooks.
    public var recipient: Contact?
    /// The wall time the request is signed with.
    public var now: Date

    public init(calls: [CallCard], recipient: Contact? = nil, now: Date) {
        self.calls = calls
        self.recipient = recipient
        self.now = now
    }
}
