import Foundation

/// One message to one unit, rendered in full when it is written to the outbox so that it
/// is sent byte for byte the same on every retry, whatever the configuration becomes.
public struct NotificationMessage: Sendable, Equatable {
    /// The contract's `notification`: receivers drop repeats by it.
    public var id: String
    public var topic: String
    public var payload: String

    public init(id: String, topic: String, payload: String) {
        self.id = id
        self.topic = topic
        self.payload = payload
    }
}
