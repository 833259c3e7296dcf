import Foundation
import GRDB
import SmokeGateCore

extension Store {
    static let silenceColumns = "id, target_kind, target, reason, by, os_user, starts_at, ends_at, lifted_at, lifted_by"

    /// Silences `target` from `start` until `end`.
    public func addSilence(
        _ target: Silence.Target, reason: String, by person: String, osUser: String?, from start: Date, until end: Date
    ) throws -> Silence {
        try durableWrite { db in
            try db.cachedStatement(
                sql: """
                    INSERT INTO silence (target_kind, target, reason, by, os_user, starts_at, ends_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [target.kind, target.id, reason, person, osUser, start.epoch, end.epoch])
            return Silence(
                id: try db.lastInsertedRowID(), target: target, reason: reason, by: person, osUser: osUser, startsAt: start,
                endsAt: end
            )
        }
    }

    /// Silences in force at `now`, or with `includeEnded` every silence, newest last.
    public func silences(includeEnded: Bool = false, at now: Date) throws -> [Silence] {
        try read { db in
            let sql =
                includeEnded
                ? "SELECT \(Self.silenceColumns) FROM silence ORDER BY id"
                : "SELECT \(Self.silenceColumns) FROM silence WHERE lifted_at IS NULL AND ends_at > ? ORDER BY id"
            return try Row.fetchAll(db.cachedStatement(sql: sql), arguments: includeEnded ? [] : [now.epoch]).map(Self.silence)
        }
    }

    /// Lifts silence `id` before its end; refused if it has already ended or been lifted. What
    /// it hid and is still true is called in the same transaction (rule 12): `released` says
    /// how many calls that made.
    @discardableResult
    public func liftSilence(_ id: Int64, by person: String, osUser: String? = nil, at now: Date, desk: IncidentDesk) throws
        -> (silence: Silence, released: IncidentEffects)
    {
        try durableWrite { db in
            guard
                var silence = try Row.fetchOne(
                    db.cachedStatement(sql: "SELECT \(Self.silenceColumns) FROM silence WHERE id = ?"), arguments: [id]
                )
                .map(Self.silence)
            else { throw StoreError("no silence \(id) (smokegate silence list --all lists them)") }
            if let lifted = silence.liftedAt {
                throw StoreError(
                    "silence \(id) was already lifted by \(silence.liftedBy ?? "someone") at \(RFC3339.format(lifted))")
            }
            guard silence.endsAt > now else {
                throw StoreError("silence \(id) already ended at \(RFC3339.format(silence.endsAt))")
            }
            try db.cachedStatement(
                sql: "UPDATE silence SET lifted_at = ?, lifted_by = ? WHERE id = ?"
            ).execute(arguments: [now.epoch, person, id])
            silence.liftedAt = now
            silence.liftedBy = person
            return (silence, try release([silence.id], at: now, desk: desk, db))
        }
    }

    /// The silence covering `site` at `now` (its detector or its grid), if any.
    func coveringSilence(for site: IncidentSite, at now: Date, _ db: any SQLConnection) throws -> CoveringSilence? {
        Self.coveringSilence(try db.fetchRowsTogether(Self.coveringSilenceQueries(for: site, at: now)))
    }

    /// `coveringSilence`'s queries: the detector's silence, then (with a grid) its grid's.
    static func coveringSilenceQueries(for site: IncidentSite, at now: Date) -> [(sql: String, arguments: SQLArguments)] {
        var targets: [(String, String)] = [("device", site.deviceID)]
        if let grid = site.gridID { targets.append(("grid", grid)) }
        return targets.map { kind, id in
            (
                """
                SELECT \(Self.silenceColumns) FROM silence
                WHERE target_kind = ? AND target = ? AND ends_at > ? AND starts_at <= ? AND lifted_at IS NULL
                ORDER BY ends_at DESC, id DESC LIMIT 1
                """, [kind, id, now.epoch, now.epoch]
            )
        }
    }

    /// `coveringSilence` from the rows of its queries: the detector's silence before its grid's.
    static func coveringSilence(_ rows: [[Row]]) -> CoveringSilence? {
        rows.lazy.compactMap(\.first).first.map { Self.silence($0).covering }
    }

    /// Releases what silences that have ended by `now` hid (rule 12), each silence once.
    public func releaseSilences(at now: Date, desk: IncidentDesk) throws -> IncidentEffects {
        let sql = "SELECT id FROM silence WHERE released_at IS NULL AND (ends_at <= ? OR lifted_at IS NOT NULL)"
        // Read first: the scheduler asks at every wake, and most of the time nothing has ended.
        guard try !read({ db in try Int64.fetchAll(db.cachedStatement(sql: sql), arguments: [now.epoch]) }).isEmpty else {
            return IncidentEffects()
        }
        return try durableWrite { db in
            try release(try Int64.fetchAll(db.cachedStatement(sql: sql), arguments: [now.epoch]), at: now, desk: desk, db)
        }
    }

    /// When the next silence in force ends, if one is in force.
    public func nextSilenceEnd() throws -> Date? {
        try read { db in
            try Date.fetchOne(
                db.cachedStatement(sql: "SELECT min(ends_at) FROM silence WHERE released_at IS NULL AND lifted_at IS NULL"))
        }
    }

    /// Releases the incidents silences `ids` hid, inside the caller's transaction, and marks
    /// the silences released. A fire is called if a detector of it still senses smoke; a
    /// maintenance job still open is still true.
    private func release(_ ids: [Int64], at now: Date, desk: IncidentDesk, _ db: any SQLConnection) throws -> IncidentEffects {
        var effects = IncidentEffects()
        for id in ids {
            let hidden = try Row.fetchAll(
                db.cachedStatement(
                    sql: "SELECT \(IncidentRow.columns) FROM incident WHERE silence_id = ? AND state != 'resolved' ORDER BY id"),
                arguments: [id]
            ).map(IncidentRow.decode)
            for incident in hidden {
                let site = desk.directory.site(of: incident.site.deviceID)
                var persists = true
                if incident.kind == .fire {
                    persists = try incident.members.contains { try storedCondition(of: $0, db).contains(.smoke) }
                }
                let change = desk.rules.silenceEnded(
                    incident, at: now, persists: persists, stillSilenced: try coveringSilence(for: site, at: now, db))
                if let change { effects.merge(try perform([change], at: now, desk: desk, db)) }
            }
            try db.cachedStatement(sql: "UPDATE silence SET released_at = ? WHERE id = ?").execute(arguments: [now.epoch, id])
        }
        return effects
    }

    static func silence(_ row: Row) -> Silence {
        let kind: String = row["target_kind"]
        let target: String = row["target"]
        return Silence(
            id: row["id"], target: kind == "grid" ? .grid(target) : .device(target), reason: row["reason"], by: row["by"],
            osUser: row["os_user"], startsAt: row["starts_at"], endsAt: row["ends_at"], liftedAt: row["lifted_at"],
            liftedBy: row["lifted_by"])
    }
}
