import Foundation
import GRDB
import SmokeGateCore

/// A notification waiting in the outbox for the broker to take it.
public struct OutboxEntry: Sendable, Equatable {
    public var id: Int64
    public var notification: String
    public var topic: String
    public var payload: String
    /// Publications tried so far that the broker did not confirm.
    public var attempts: Int
    /// The tier called and the contract's `action`, for the dispatch metrics.
    public var tier: String
    public var action: String
    /// When the call was decided: with the alarm that caused it, or at the deadline that fired it.
    public var createdAt: Date

    public init(
        id: Int64, notification: String, topic: String, payload: String, attempts: Int, tier: String, action: String,
        createdAt: Date
    ) {
        self.id = id
        self.notification = notification
        self.topic = topic
        self.payload = payload
        self.attempts = attempts
        self.tier = tier
        self.action = action
        self.createdAt = createdAt
    }
}
