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
            let due = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT \(IncidentRow.columns) FROM incident
                        WHERE next_deadline_at IS NOT NULL AND next_deadline_at <= ? ORDER BY next_deadline_at, id LIMIT ?
                        """), arguments: [now.epoch, limit]
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
        try read { db in
            try Date.fetchOne(
                db.cachedStatement(sql: "SELECT min(next_deadline_at) FROM incident WHERE next_deadline_at IS NOT NULL"))
        }
    }

    /// Acknowledges incident `id` for `person`: the ladder stops and every tier called is told.
    /// Two operators cannot both win: the write transaction is serialised, and the second
    /// finds the incident acknowledged and is refused with who did it and when. `now` is read
    /// once the transaction holds the write lock, so the acknowledgement never predates a call
    /// made while it waited for it. `channel` (`cli`, `link`, `sms`) says on the timeline how
    /// the acknowledgement came in.
    @discardableResult
    public func acknowledge(
        _ id: Int64, by person: String, note: String?, at now: @autoclosure () -> Date, desk: IncidentDesk,
        osUser: String? = nil, channel: String? = nil
    ) throws -> Incident {
        try durableWrite { db in
            let time = now()
            var incident = try Self.incident(id, db)
            let actions = try incident.acknowledge(by: person, note: note, at: time)
            let change = IncidentChange(incident, actions).recording(channel: channel)
            _ = try perform([change], at: time, desk: desk, osUser: osUser, db)
            return incident
        }
    }

    /// Resolves incident `id` with `cause`, telling every tier called; a fire whose detectors
    /// still sense smoke re-latches (rule 10), and the fires opened again are returned with it.
    /// `now` is read once the transaction holds the write lock, and `channel` recorded, as for
    /// `acknowledge`.
    @discardableResult
    public func resolve(
        _ id: Int64, by person: String, cause: String, note: String?, at now: @autoclosure () -> Date, desk: IncidentDesk,
        osUser: String? = nil, channel: String? = nil
    ) throws -> Resolution {
        try durableWrite { db in
            let time = now()
            let incident = try Self.incident(id, db)
            var sensing: [StillSensing] = []
            if incident.kind == .fire {
                for member in incident.members where try storedCondition(of: member, db).contains(.smoke) {
                    let site = desk.directory.site(of: member)
                    sensing.append(
                        StillSensing(
                            site: site, silence: try coveringSilence(for: site, at: time, db),
                            open: try openIncidents(at: site, db)))
                }
            }
            var changes = try desk.rules.resolve(incident, by: person, cause: cause, note: note, at: time, stillSensing: sensing)
                .map { $0.recording(channel: channel) }
            var resolution = Resolution(resolved: changes[0].incident, relatched: [])
            for index in changes.indices {
                let stored = try performOne(changes[index], at: time, desk: desk, osUser: osUser, db).incident
                changes[index].incident = stored
                if index > 0 { resolution.relatched.append(stored) }
            }
            resolution.resolved = changes[0].incident
            return resolution
        }
    }

    static func incident(_ id: Int64, _ db: any SQLConnection) throws -> Incident {
        guard
            let incident = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT \(IncidentRow.columns) FROM incident WHERE id = ?"), arguments: [id]
            )
            .map(IncidentRow.decode)
        else { throw IncidentRefusal(incidentID: id, reason: .noSuchIncident) }
        return incident
    }
}
