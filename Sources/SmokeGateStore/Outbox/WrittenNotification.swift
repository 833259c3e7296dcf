import Foundation
import GRDB

/// A notification as it was written to the outbox, sent or not.
public struct WrittenNotification: Sendable, Equatable {
    public var notification: String
    public var topic: String
    public var action: String
    public var payload: String
    public var createdAt: Date
    public var sentAt: Date?
}
