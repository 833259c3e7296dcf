import Foundation
import GRDB
import SmokeGateCore

extension Store {
    /// Incident `id`, or nil if there is none.
    public func incident(_ id: Int64) throws -> Incident? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT \(IncidentRow.columns) FROM incident WHERE id = ?", arguments: [id]).map(
                IncidentRow.decode)
        }
    }

    /// Unresolved incidents, oldest first; with `includeResolved`, the newest `limit` of all.
    public func incidents(includeResolved: Bool = false, limit: Int = 10_000) throws -> [Incident] {
        try pool.read { db in
            let sql =
                includeResolved
                ? "SELECT * FROM (SELECT \(IncidentRow.columns) FROM incident ORDER BY id DESC LIMIT ?) ORDER BY id"
                : "SELECT \(IncidentRow.columns) FROM incident WHERE state != 'resolved' ORDER BY id LIMIT ?"
            return try Row.fetchAll(db, sql: sql, arguments: [limit]).map(IncidentRow.decode)
        }
    }

    /// The timeline of incident `id`, in the order it happened.
    public func timeline(of id: Int64) throws -> [TimelineEntry] {
        try auditedTimeline(of: id).map(\.entry)
    }

    /// The timeline of incident `id` with, on the lines people wrote, the operating-system
    /// account that ran the command.
    public func auditedTimeline(of id: Int64) throws -> [(entry: TimelineEntry, osUser: String?)] {
        try pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT at, action, tier, by, note, os_user FROM timeline WHERE incident_id = ? ORDER BY id",
                arguments: [id]
            )
            .map { row in
                let entry = TimelineEntry(
                    at: row["at"], action: TimelineEntry.Action(rawValue: row["action"]) ?? .opened,
                    tier: (row["tier"] as String?).flatMap(Tier.init(rawValue:)), by: row["by"], note: row["note"])
                return (entry, row["os_user"])
            }
        }
    }
}

extension Store {
    /// A mark that moves whenever any incident changes, whichever process changed it: every
    /// change (an opening, a call, an acknowledgement from the CLI) writes a timeline line.
    public func incidentChangeMark() throws -> Int64 {
        try pool.read { db in try Int64.fetchOne(db, sql: "SELECT max(id) FROM timeline") ?? 0 }
    }
}

extension Store {
    /// Fire incidents opened since `since`, as the chain report counts them.
    public func fires(since: Date) throws -> [ChainReport.Fire] {
        try pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT grid, community, opened_at, acked_at, resolved_by, resolved_at, cause FROM incident
                    WHERE kind = 'fire' AND opened_at >= ? ORDER BY opened_at
                    """,
                arguments: [since.epoch]
            ).map { row in
                let resolvedBy: String? = row["resolved_by"]
                let resolvedAt: Date? = row["resolved_at"]
                return ChainReport.Fire(
                    gridID: row["grid"], communityID: row["community"], openedAt: row["opened_at"],
                    answeredAt: row["acked_at"] ?? (resolvedBy == "device" ? nil : resolvedAt), cause: row["cause"])
            }
        }
    }
}

extension Store {
    /// How many incidents are not yet resolved (from the partial index: no table scan).
    public func unresolvedIncidentCount() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM incident WHERE state != 'resolved'") ?? 0 }
    }

    /// Unresolved incidents counted by kind and by the highest tier called so far (nil for
    /// one that has called nobody, as a shielded one), for `/metrics`.
    public func unresolvedIncidentsByKindAndTier() throws -> [(kind: String, tier: String?, count: Int)] {
        try pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT kind, tier, count(*) AS n FROM incident WHERE state != 'resolved' GROUP BY kind, tier"
            ).map { ($0["kind"], $0["tier"], $0["n"]) }
        }
    }
}
