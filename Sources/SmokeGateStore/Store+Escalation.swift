import Foundation
import GRDB
import SmokeGateCore

extension Store {
    /// Fires the deadlines due by `now`, earliest first, at most `limit` incidents in one
    /// durable transaction. Deadlines missed while the daemon was down are among them: the
    /// state machine calls the tiers at once and marks the calls late. `lateness` is how
    /// long after its deadline each incident was fired, for the escalation-lateness metric.
    public func fireDeadlines(at now: Date, limit: Int = 500, desk: IncidentDesk) throws -> (
        fired: Int, effects: IncidentEffects, lateness: [TimeInterval]
    ) {
        try fireDeadlines(at: { now }, limit: limit, desk: desk)
    }

    /// `fireDeadlines(at:)` with the time read inside the transaction, after SQLite's write
    /// lock is taken: a clock moved by a wall-clock step (in a transaction of its own, see
    /// `shiftSchedules`) is then always read together with the deadlines it moved.
    public func fireDeadlines(at clock: () -> Date, limit: Int = 500, desk: IncidentDesk) throws -> (
        fired: Int, effects: IncidentEffects, lateness: [TimeInterval]
    ) {
        try durableWrite { db in
            let now = clock()
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(IncidentRow.columns), coalesce(ladder_origin_at, opened_at) AS ladder_origin FROM incident
                    WHERE next_deadline_at IS NOT NULL AND next_deadline_at <= ? ORDER BY next_deadline_at LIMIT ?
                    """,
                arguments: [now.epoch, limit])
            var effects = IncidentEffects()
            var lateness: [TimeInterval] = []
            for row in rows {
                var incident = try IncidentRow.decode(row)
                lateness.append(now.timeIntervalSince(incident.nextDeadline ?? now))
                let actions = Self.deadlineReached(&incident, ladderOrigin: row["ladder_origin"], at: now)
                effects.merge(try perform([IncidentChange(incident, actions)], at: now, desk: desk, db))
            }
            return (rows.count, effects, lateness)
        }
    }

    /// Runs the ladder from `ladderOrigin`, which a wall-clock step moves while the daemon runs
    /// (`shiftSchedules`), not from `opened_at`, which is a record. The opening time is put back
    /// before anything is written or composed: calls carry when the fire really began.
    static func deadlineReached(_ incident: inout Incident, ladderOrigin: Date, at now: Date) -> [IncidentAction] {
        let openedAt = incident.openedAt
        incident.openedAt = ladderOrigin
        defer { incident.openedAt = openedAt }
        return incident.deadlineReached(at: now)
    }

    /// The earliest deadline of any incident, if one is pending.
    public func nextDeadline() throws -> Date? {
        try pool.read { db in
            try Date.fetchOne(db, sql: "SELECT min(next_deadline_at) FROM incident WHERE next_deadline_at IS NOT NULL")
        }
    }

    /// Acknowledges incident `id` for `person`: the ladder stops and every tier called is told.
    /// Two operators cannot both win: the write transaction is serialised, and the second
    /// finds the incident acknowledged and is refused with who did it and when.
    @discardableResult
    public func acknowledge(
        _ id: Int64, by person: String, note: String?, at now: Date, desk: IncidentDesk, osUser: String? = nil
    ) throws -> Incident {
        try operate(on: id, at: now, desk: desk, osUser: osUser) { incident throws(IncidentRefusal) in
            try incident.acknowledge(by: person, note: note, at: now)
        }
    }

    /// Resolves incident `id` with `cause`, telling every tier called.
    @discardableResult
    public func resolve(
        _ id: Int64, by person: String, cause: String, note: String?, at now: Date, desk: IncidentDesk, osUser: String? = nil
    ) throws -> Incident {
        try operate(on: id, at: now, desk: desk, osUser: osUser) { incident throws(IncidentRefusal) in
            try incident.resolve(by: person, cause: cause, note: note, at: now)
        }
    }

    private func operate(
        on id: Int64, at now: Date, desk: IncidentDesk, osUser: String?,
        _ change: (inout Incident) throws(IncidentRefusal) -> [IncidentAction]
    ) throws -> Incident {
        try durableWrite { db in
            guard
                var incident = try Row.fetchOne(
                    db, sql: "SELECT \(IncidentRow.columns) FROM incident WHERE id = ?", arguments: [id]
                )
                .map(IncidentRow.decode)
            else { throw IncidentRefusal(incidentID: id, message: "no such incident") }
            let actions = try change(&incident)
            _ = try perform([IncidentChange(incident, actions)], at: now, desk: desk, osUser: osUser, db)
            return incident
        }
    }
}
