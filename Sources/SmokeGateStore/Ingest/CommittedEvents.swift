import Foundation
import GRDB
import GRDBSQLite
import SmokeGateCore

/// What one durable commit did.
public struct CommittedEvents: Sendable, Equatable {
    /// Per event, whether it was new (false: a redelivery already stored, or in a cluster a
    /// copy of an event another node stored).
    public var stored: [Bool]
    /// What the new events did to incidents.
    public var effects: IncidentEffects
    /// When the write transaction began (the write lock taken), on the monotonic clock: with
    /// the caller's own instants it parts waiting for the lock from the transaction's work.
    public var began: ContinuousClock.Instant
    /// When the transaction's statements were done and its COMMIT (with the fsync) began.
    public var written: ContinuousClock.Instant
}
