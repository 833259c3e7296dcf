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
        try durableWrite { db in
            let due = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(IncidentRow.columns) FROM incident
                    WHERE next_deadline_at IS NOT NULL AND next_deadline_at <= ? ORDER BY next_deadline_at LIMIT ?
                    """,
                arguments: [now.epoch, limit]
            ).map(IncidentRow.decode)
            var effects = IncidentEffects()
            let lateness = due.map { now.timeIntervalSince($0.nextDeadline ?? now) }
            for var incident in due {
                let actions = incident.deadlineReached(at: now)
                effects.merge(try perform([IncidentChange(incident, actions)], at: now, desk: desk, db))
            }
            return (due.count, effects, lateness)
        }
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
