import Foundation
import GRDB
import SmokeGateCore

extension Store {
    private static let silenceColumns = "id, target_kind, target, reason, by, os_user, starts_at, ends_at, lifted_at, lifted_by"

    /// Shields `target` from `start` until `end`.
    public func addSilence(
        _ target: Silence.Target, reason: String, by person: String, osUser: String?, from start: Date, until end: Date
    ) throws -> Silence {
        try durableWrite { db in
            try db.execute(
                sql: """
                    INSERT INTO silence (target_kind, target, reason, by, os_user, starts_at, ends_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [target.kind, target.id, reason, person, osUser, start.epoch, end.epoch])
            return Silence(
                id: db.lastInsertedRowID, target: target, reason: reason, by: person, osUser: osUser, startsAt: start, endsAt: end
            )
        }
    }

    /// Silences in force at `now`, or with `includeEnded` every silence, newest last.
    public func silences(includeEnded: Bool = false, at now: Date) throws -> [Silence] {
        try pool.read { db in
            let sql =
                includeEnded
                ? "SELECT \(Self.silenceColumns) FROM silence ORDER BY id"
                : "SELECT \(Self.silenceColumns) FROM silence WHERE lifted_at IS NULL AND ends_at > ? ORDER BY id"
            return try Row.fetchAll(db, sql: sql, arguments: includeEnded ? [] : [now.epoch]).map(Self.silence)
        }
    }

    /// Lifts silence `id` before its end; refused if it has already ended or been lifted.
    @discardableResult
    public func liftSilence(_ id: Int64, by person: String, osUser: String? = nil, at now: Date) throws -> Silence {
        try durableWrite { db in
            guard
                var silence = try Row.fetchOne(
                    db, sql: "SELECT \(Self.silenceColumns) FROM silence WHERE id = ?", arguments: [id]
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
            try db.execute(
                sql: "UPDATE silence SET lifted_at = ?, lifted_by = ? WHERE id = ?", arguments: [now.epoch, person, id])
            silence.liftedAt = now
            silence.liftedBy = person
            return silence
        }
    }

    /// The label of the silence shielding `site` at `now` (its detector or its grid), if any.
    func shield(for site: IncidentSite, at now: Date, _ db: Database) throws -> String? {
        var targets: [(String, String)] = [("device", site.deviceID)]
        if let grid = site.gridID { targets.append(("grid", grid)) }
        for (kind, id) in targets {
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT \(Self.silenceColumns) FROM silence
                    WHERE target_kind = ? AND target = ? AND ends_at > ? AND starts_at <= ? AND lifted_at IS NULL
                    ORDER BY ends_at DESC LIMIT 1
                    """,
                arguments: [kind, id, now.epoch, now.epoch])
            if let row { return Self.silence(row).label }
        }
        return nil
    }

    private static func silence(_ row: Row) -> Silence {
        let kind: String = row["target_kind"]
        let target: String = row["target"]
        return Silence(
            id: row["id"], target: kind == "grid" ? .grid(target) : .device(target), reason: row["reason"], by: row["by"],
            osUser: row["os_user"], startsAt: row["starts_at"], endsAt: row["ends_at"], liftedAt: row["lifted_at"],
            liftedBy: row["lifted_by"])
    }
}
