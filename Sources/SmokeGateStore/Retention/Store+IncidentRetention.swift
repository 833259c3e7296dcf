import Foundation
import GRDB
import SmokeGateCore

extension Store {
    /// Deletes the calls the broker took before `sentBefore`, examining at most `limit` rows
    /// from `cursor` on, oldest first, in one short transaction, with their deliveries to people
    /// and every attempt at them. A call still waiting (for the broker or for a receiver) is
    /// never touched, nor any call of an incident not yet resolved (it is that incident's record).
    public func pruneSentNotifications(sentBefore: Date, from cursor: PruneCursor = .start, limit: Int = 1_000) throws
        -> PruneStep
    {
        try write { db in
            let rows = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT outbox.id, outbox.sent_at, incident.state = 'resolved' AS closed
                        FROM outbox INDEXED BY outbox_sent JOIN incident ON incident.id = outbox.incident_id
                        WHERE outbox.sent_at IS NOT NULL AND outbox.sent_at < ? AND (outbox.sent_at, outbox.id) > (?, ?)
                        ORDER BY outbox.sent_at, outbox.id LIMIT ?
                        """),
                arguments: [sentBefore.epoch, cursor.time, cursor.id, limit])
            let delete = try db.cachedStatement(
                sql: """
                    DELETE FROM outbox WHERE id = ? AND sent_at IS NOT NULL
                      AND NOT EXISTS (SELECT 1 FROM delivery INDEXED BY delivery_by_outbox
                                      WHERE delivery.outbox_id = outbox.id AND delivery.state = 'waiting')
                    """)
            // Its deliveries to people go with it, every attempt at them too.
            let attempts = try db.cachedStatement(
                sql: "DELETE FROM delivery_attempt WHERE delivery_id IN (SELECT id FROM delivery WHERE outbox_id = ?)")
            let deliveries = try db.cachedStatement(sql: "DELETE FROM delivery WHERE outbox_id = ?")
            var step = PruneStep()
            for row in rows where row["closed"] as Bool {
                let id: Int64 = row["id"]
                try delete.execute(arguments: [id])
                guard try db.changesCount > 0 else { continue }
                step.removed += 1
                try attempts.execute(arguments: [id])
                try deliveries.execute(arguments: [id])
            }
            if rows.count == limit, let last = rows.last { step.next = PruneCursor(time: last["sent_at"], id: last["id"]) }
            return step
        }
    }

    /// Deletes the detail of incidents resolved before `resolvedBefore`, at most `limit` rows
    /// in one short transaction, oldest incident first from `cursor` on: their timeline lines
    /// that repeat what the summary says (`TimelineEntry.Action.summarises`), and the row
    /// naming their own detector as a member (which `incident.device_id` says again; detectors
    /// that joined a fire stay listed). That row goes last, once the incident's other detail
    /// is gone: it marks the incidents still to do. An incident with a call still waiting is
    /// left for a later pass; one not yet resolved is never touched.
    public func pruneIncidentDetail(resolvedBefore: Date, from cursor: PruneCursor = .start, limit: Int = 1_000) throws
        -> PruneStep
    {
        let candidates = try read { db in try Self.incidentsWithDetail(resolvedBefore: resolvedBefore, after: cursor, db) }
        guard !candidates.isEmpty else { return PruneStep() }
        return try write { db in
            var step = PruneStep()
            let detail = TimelineEntry.Action.allCases.filter { !$0.summarises }.map { "'\($0.rawValue)'" }
                .joined(separator: ", ")
            let lines = try db.cachedStatement(
                sql: """
                    DELETE FROM timeline WHERE id IN (
                      SELECT id FROM timeline INDEXED BY timeline_by_incident WHERE incident_id = ? AND action IN (\(detail)) LIMIT ?)
                    """)
            let membership = try db.cachedStatement(
                sql: """
                    DELETE FROM incident_detector
                    WHERE incident_id = ? AND device_id = (SELECT device_id FROM incident WHERE id = ?)
                    """)
            for id in candidates {
                // Looked at again under the write lock: nothing reopens a resolved incident,
                // but its last calls may have been sent since.
                if try Self.hasPrunableDetail(id, resolvedBefore: resolvedBefore, db) {
                    try lines.execute(arguments: [id, limit - step.removed])
                    step.removed += try db.changesCount
                    // Out of room: the next transaction finishes this incident.
                    guard step.removed < limit else {
                        return PruneStep(
                            removed: step.removed, summarised: step.summarised, next: PruneCursor(time: 0, id: id - 1))
                    }
                    try membership.execute(arguments: [id, id])
                    step.removed += try db.changesCount
                    step.summarised += 1
                }
                step.next = PruneCursor(time: 0, id: id)
            }
            // Fewer than asked for: the walk reached the window.
            if candidates.count < Self.incidentsPerStep { step.next = nil }
            return step
        }
    }

    /// Incidents examined per transaction of `pruneIncidentDetail`.
    static let incidentsPerStep = 100

    /// Up to `incidentsPerStep` incidents after `cursor` whose detail may go, in id order: a walk
    /// of the membership rows (which hold only incidents not yet summarised, and the detectors
    /// that joined fires), bounded by the newest incident opened before the window.
    private static func incidentsWithDetail(resolvedBefore: Date, after cursor: PruneCursor, _ db: any SQLConnection) throws
        -> [Int64]
    {
        guard
            let bound = try Int64.fetchOne(
                db.cachedStatement(
                    sql:
                        "SELECT id FROM incident INDEXED BY incident_by_opening WHERE opened_at < ? ORDER BY opened_at DESC LIMIT 1"
                ), arguments: [resolvedBefore.epoch])
        else { return [] }
        return try Int64.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT member.incident_id FROM incident_detector AS member INDEXED BY incident_detector_by_incident
                    CROSS JOIN incident ON incident.id = member.incident_id
                    WHERE member.incident_id > ? AND member.incident_id <= ? AND member.device_id = incident.device_id
                      AND incident.state = 'resolved' AND incident.resolved_at < ?
                    ORDER BY member.incident_id LIMIT ?
                    """),
            arguments: [cursor.id, bound, resolvedBefore.epoch, incidentsPerStep])
    }

    /// Whether incident `id` is resolved before `resolvedBefore`, has no call still waiting,
    /// and still has its detail.
    private static func hasPrunableDetail(_ id: Int64, resolvedBefore: Date, _ db: any SQLConnection) throws -> Bool {
        try Bool.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT state = 'resolved' AND resolved_at < ?
                      AND NOT EXISTS (SELECT 1 FROM outbox INDEXED BY outbox_waiting_by_thread
                                      WHERE outbox.incident_id = incident.id AND outbox.sent_at IS NULL)
                    FROM incident WHERE id = ?
                    """), arguments: [resolvedBefore.epoch, id]) ?? false
    }
}
