import Foundation
import SmokeGateCore

/// A call waiting to reach people through one receiver.
public struct PendingDelivery: Sendable, Equatable {
    public var id: Int64
    public var notification: String
    public var incident: Int64
    public var tier: String
    public var unit: String
    public var action: String
    public var receiver: String
    /// The person a text or a voice call goes to.
    public var contact: Contact?
    /// The code a text carries (`1 CODE` acknowledges).
    public var answerCode: String?
    /// The call as stored in the outbox.
    public var payload: String
    public var priority: OutboxPriority
    /// When the call was made; answer links expire counted from it.
    public var createdAt: Date
    public var attempts: Int
    /// Whether someone acknowledged or resolved the incident after this call was made: a
    /// `notify` for it is then not sent (nobody is paged after an answer).
    public var answeredSince: Bool
}
