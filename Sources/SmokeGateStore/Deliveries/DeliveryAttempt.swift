import Foundation
import SmokeGateCore

/// One attempt at a delivery, or its end without one (`outcome` nil: skipped).
public struct DeliveryAttempt: Sendable, Equatable {
    public var id: Int64
    /// Attempts made before this one.
    public var attempts: Int
    public var outcome: DeliveryOutcome?
    /// Seconds the vendor took to answer.
    public var latency: TimeInterval?
    public var skipReason: String?

    public init(
        id: Int64, attempts: Int, outcome: DeliveryOutcome?, latency: TimeInterval? = nil, skipReason: String? = nil
    ) {
        self.id = id
        self.attempts = attempts
        self.outcome = outcome
        self.latency = latency
        self.skipReason = skipReason
    }
}
