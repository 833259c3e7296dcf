import Foundation

/// A new fire's first call on its topic, as the commit that opened the fire wrote it to the
/// outbox. Nothing earlier of its thread (the incident's messages on that topic) can be
/// waiting, so the call may be published the moment its commit returns, ahead of the
/// dispatcher's next read of the outbox.
public struct FirstFireCall: Sendable, Equatable {
    /// The outbox row's id.
    public var outboxID: Int64
    /// The contract's `notification`: receivers drop repeats by it.
    public var notification: String
    public var topic: String
    public var payload: String
    public var tier: String
    public var action: String
    /// When the call was decided, with the alarm that caused it.
    public var createdAt: Date

    public init(
        outboxID: Int64, notification: String, topic: String, payload: String, tier: String, action: String,
        createdAt: Date
    ) {
        self.outboxID = outboxID
        self.notification = notification
        self.topic = topic
        self.payload = payload
        self.tier = tier
        self.action = action
        self.createdAt = createdAt
    }
}
