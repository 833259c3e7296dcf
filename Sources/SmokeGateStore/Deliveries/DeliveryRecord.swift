import Foundation
import GRDB
import SmokeGateCore

/// One delivery of a call to people, with every attempt at it, for `smokegate show`.
public struct DeliveryRecord: Sendable, Equatable {
    public struct Attempt: Sendable, Equatable {
        public var at: Date
        public var outcome: String
        public var detail: String?
        public var latencyMilliseconds: Double?
    }

    public var receiver: String
    public var action: String
    public var tier: String
    public var unit: String
    public var person: String?
    public var createdAt: Date
    /// waiting, delivered, skipped, refused, unknown.
    public var state: String
    public var lastError: String?
    public var failureToldAt: Date?
    public var attempts: [Attempt]
}
