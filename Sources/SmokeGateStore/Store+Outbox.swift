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
}

extension Store {
    /// The longest wait between two attempts at one notification.
    public static let outboxRetryCeiling: TimeInterval = 30

    /// Notifications not yet confirmed by the broker whose next attempt is due, oldest first.
    ///
    /// An attempt is never planned more than `outboxRetryCeiling` ahead, so one further away
    /// was planned on a wall clock that has since stepped back (by another process, or before
    /// a restart): it is due now, not when the clock comes round to it again.
    public func pendingNotifications(at now: Date, limit: Int = 500) throws -> [OutboxEntry] {
        try pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, notification, topic, payload, attempts, tier, action, created_at FROM outbox
                    WHERE sent_at IS NULL AND (next_attempt_at <= ? OR next_attempt_at > ?) ORDER BY id LIMIT ?
                    """,
                arguments: [now.epoch, now.epoch + Self.outboxPlanHorizon, limit]
            ).map {
                OutboxEntry(
                    id: $0["id"], notification: $0["notification"], topic: $0["topic"], payload: $0["payload"],
                    attempts: $0["attempts"], tier: $0["tier"], action: $0["action"], createdAt: $0["created_at"])
            }
        }
    }

    /// How far ahead an attempt can have been planned on this clock: the retry ceiling, and a
    /// second for the clocks of two processes.
    static let outboxPlanHorizon = outboxRetryCeiling + 1

    /// When the next notification waiting in the outbox is due to be tried, if any waits.
    public func nextOutboxAttempt() throws -> Date? {
        try pool.read { db in try Date.fetchOne(db, sql: "SELECT min(next_attempt_at) FROM outbox WHERE sent_at IS NULL") }
    }

    /// `nextOutboxAttempt()` seen at `now`: an attempt planned further ahead than any retry
    /// could be (see `pendingNotifications`) is due at once.
    public func nextOutboxAttempt(at now: Date) throws -> Date? {
        try pool.read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: "SELECT min(next_attempt_at) AS first, max(next_attempt_at) AS last FROM outbox WHERE sent_at IS NULL")
            else { return nil }
            let first: Date? = row["first"]
            let last: Date? = row["last"]
            guard let first, let last else { return nil }
            return last.timeIntervalSince(now) > Self.outboxPlanHorizon ? now : first
        }
    }

    /// How many notifications wait for the broker.
    public func outboxBacklog() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox WHERE sent_at IS NULL") ?? 0 }
    }

    /// The broker confirmed these notifications.
    public func markSent(_ ids: [Int64], at now: Date) throws {
        guard !ids.isEmpty else { return }
        try pool.write { db in
            let statement = try db.cachedStatement(sql: "UPDATE outbox SET sent_at = ?, attempts = attempts + 1 WHERE id = ?")
            for id in ids { try statement.execute(arguments: [now.epoch, id]) }
        }
    }

    /// These notifications were not confirmed: try again after a backoff that doubles with
    /// each attempt, from half a second up to `outboxRetryCeiling`.
    public func markFailed(_ ids: [Int64], error: String, at now: Date) throws {
        try markFailed(ids, error: error, at: { now })
    }

    /// `markFailed(at:)` with the time read inside the transaction, so that a retry is never
    /// planned on a clock a wall-clock step has just moved (see `shiftSchedules`).
    public func markFailed(_ ids: [Int64], error: String, at clock: () -> Date) throws {
        guard !ids.isEmpty else { return }
        try pool.write { db in
            let now = clock()
            let statement = try db.cachedStatement(
                sql: """
                    UPDATE outbox SET attempts = attempts + 1, last_error = ?,
                      next_attempt_at = ? + min(?, 0.5 * (1 << min(attempts, 16)))
                    WHERE id = ?
                    """)
            for id in ids { try statement.execute(arguments: [error, now.epoch, Self.outboxRetryCeiling, id]) }
        }
    }

    /// Every notification ever written for incident `id`, in order, for tests and `show`, with
    /// why its last attempt failed (`refused by the broker: not authorized (0x87)`), if it did.
    public func notifications(of id: Int64) throws -> [(
        notification: String, topic: String, sentAt: Date?, lastError: String?
    )] {
        try pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT notification, topic, sent_at, last_error FROM outbox WHERE incident_id = ? ORDER BY id",
                arguments: [id]
            )
            .map { ($0["notification"], $0["topic"], $0["sent_at"], $0["last_error"]) }
        }
    }
}
