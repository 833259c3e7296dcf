import Foundation
import GRDB
import SmokeGateCore

extension Store {
    /// The longest wait between two attempts at one notification.
    public static let outboxRetryCeiling: TimeInterval = 30

    /// Notifications not yet confirmed by the broker whose next attempt is due, in the order
    /// they must go (field rule 7): a fire's messages before maintenance ones, each priority in
    /// the order its messages fell due. At most `limit` in all, of which at most
    /// `maintenanceLimit` maintenance messages: a batch is confirmed as a whole, so a fire
    /// written while one is in flight waits for it, and a small batch keeps that wait short.
    ///
    /// Only the first unsent message of each thread (one unit's messages about one incident)
    /// is eligible, whatever its next attempt: an `ack` written while its `notify` waits out a
    /// retry waits behind it, and never shares a batch with it, for the broker would pass the
    /// `ack` on even if the `notify` beside it had to be retried. Other units and incidents are
    /// not held.
    ///
    /// An attempt is never planned more than `outboxRetryCeiling` ahead, so one further away
    /// was planned on a wall clock that has since stepped back (by another process, or before
    /// a restart): every plan is then suspect, and every message is due now.
    public func pendingNotifications(at now: Date, limit: Int = 500, maintenanceLimit: Int? = nil) throws -> [OutboxEntry] {
        try read { db in
            let due = try Self.clockSteppedBack(at: now, db) ? Double.greatestFiniteMagnitude : now.epoch
            var entries: [OutboxEntry] = []
            for priority in OutboxPriority.allCases where entries.count < limit {
                let room = limit - entries.count
                entries += try Self.due(
                    priority, before: due, limit: priority == .fire ? room : min(room, maintenanceLimit ?? room), db)
            }
            return entries
        }
    }

    /// The messages of one priority due by `due`, first of their threads, in the order they fell
    /// due: a range of the index, so messages waiting out a backoff are never read.
    private static func due(_ priority: OutboxPriority, before due: Double, limit: Int, _ db: any SQLConnection) throws
        -> [OutboxEntry]
    {
        guard limit > 0 else { return [] }
        return try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT id, notification, topic, payload, attempts, tier, action, created_at
                    FROM outbox AS waiting INDEXED BY outbox_waiting
                    WHERE sent_at IS NULL AND priority = ? AND next_attempt_at <= ? AND \(firstOfItsThread)
                    ORDER BY next_attempt_at, id LIMIT ?
                    """),
            arguments: [priority.rawValue, due, limit]
        ).map {
            OutboxEntry(
                id: $0["id"], notification: $0["notification"], topic: $0["topic"], payload: $0["payload"],
                attempts: $0["attempts"], tier: $0["tier"], action: $0["action"], createdAt: $0["created_at"])
        }
    }

    /// The condition on an unsent row `waiting` that no earlier message of its thread is unsent.
    static let firstOfItsThread = """
        NOT EXISTS (SELECT 1 FROM outbox AS earlier INDEXED BY outbox_waiting_by_thread
                    WHERE earlier.sent_at IS NULL AND earlier.incident_id = waiting.incident_id
                      AND earlier.topic = waiting.topic AND earlier.id < waiting.id)
        """

    /// Whether a waiting message is planned further ahead than any retry could be, on this clock.
    private static func clockSteppedBack(at now: Date, _ db: any SQLConnection) throws -> Bool {
        let last = try Double.fetchOne(
            db.cachedStatement(sql: "SELECT max(next_attempt_at) FROM outbox INDEXED BY outbox_pending WHERE sent_at IS NULL"))
        return last.map { $0 > now.epoch + outboxPlanHorizon } ?? false
    }

    /// How far ahead an attempt can have been planned on this clock: the retry ceiling, and a
    /// second for the clocks of two processes.
    static let outboxPlanHorizon = outboxRetryCeiling + 1

    /// When the next notification waiting in the outbox is due to be tried, if any waits: the
    /// earliest attempt among the messages `pendingNotifications` may return (a message held
    /// behind an earlier one of its thread is due only once that one is sent).
    public func nextOutboxAttempt() throws -> Date? {
        try read { db in try Self.firstAttempt(db) }
    }

    /// `nextOutboxAttempt()` seen at `now`: after a step back of the wall clock (see
    /// `pendingNotifications`) everything is due at once.
    public func nextOutboxAttempt(at now: Date) throws -> Date? {
        try read { db in
            guard let first = try Self.firstAttempt(db) else { return nil }
            return try Self.clockSteppedBack(at: now, db) ? now : first
        }
    }

    /// The earliest next attempt of a message first of its thread: a walk of the waiting
    /// messages by time that stops at the first such message.
    private static func firstAttempt(_ db: any SQLConnection) throws -> Date? {
        try Date.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT next_attempt_at FROM outbox AS waiting INDEXED BY outbox_pending
                    WHERE sent_at IS NULL AND \(firstOfItsThread) ORDER BY next_attempt_at LIMIT 1
                    """))
    }

    /// How many notifications wait for the broker.
    public func outboxBacklog() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox WHERE sent_at IS NULL") ?? 0 }
    }

    /// The broker confirmed these notifications.
    public func markSent(_ ids: [Int64], at now: Date) throws {
        guard !ids.isEmpty else { return }
        try write { db in
            for list in Self.idLists(ids) {
                try db.cachedStatement(
                    sql: "UPDATE outbox SET sent_at = ?, attempts = attempts + 1 WHERE id IN (\(list.placeholders))"
                )
                .execute(arguments: [now.epoch] + list.ids)
            }
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
        try write { db in
            let now = clock()
            for list in Self.idLists(ids) {
                try db.cachedStatement(
                    sql: """
                        UPDATE outbox SET attempts = attempts + 1, last_error = ?,
                          next_attempt_at = ? + min(?, 0.5 * (1 << CAST(min(attempts, 16) AS INTEGER)))
                        WHERE id IN (\(list.placeholders))
                        """
                ).execute(arguments: [error, now.epoch, Self.outboxRetryCeiling] + list.ids)
            }
        }
    }

    /// The most notifications one `markSent` or `markFailed` statement names: a batch's
    /// outcomes are recorded by the hundred, and on PostgreSQL each statement is a turn of the
    /// server under the write lock that ingest's groups wait for.
    static let idsPerUpdate = 256

    /// `ids` cut into lists of at most `idsPerUpdate`, each padded (`PaddedList`). Callers pass
    /// each id once: an id in two lists would be counted twice.
    static func idLists(_ ids: [Int64]) -> [(placeholders: String, ids: SQLArguments)] {
        stride(from: 0, to: ids.count, by: idsPerUpdate).map { start in
            let list = Array(ids[start..<min(start + idsPerUpdate, ids.count)])
            return (PaddedList.placeholders(list.count), PaddedList.padded(list))
        }
    }

    /// Every notification ever written for incident `id`, in order, for tests and `show`, with
    /// why its last attempt failed (`refused by the broker: not authorized (0x87)`), if it did.
    public func notifications(of id: Int64) throws -> [(
        notification: String, topic: String, sentAt: Date?, lastError: String?
    )] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT notification, topic, sent_at, last_error FROM outbox WHERE incident_id = ? ORDER BY id",
                arguments: [id]
            )
            .map { ($0["notification"], $0["topic"], $0["sent_at"], $0["last_error"]) }
        }
    }
}
