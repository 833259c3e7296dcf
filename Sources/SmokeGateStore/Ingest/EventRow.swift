import Foundation

/// One stored event, for tests and the operator.
public struct EventRow: Sendable, Equatable {
    public var id: Int64
    public var deviceID: String
    public var kind: String
    public var format: String
    public var topic: String
    public var receivedAt: Date
    public var occurredAt: Date?
    public var payload: String
    /// Optional readings the decoder dropped from it, and why (field rule 3).
    public var notes: String?
}
