import Foundation
import GRDB
import SmokeGateCore

extension Store {
    /// Incident `id`, or nil if there is none.
    public func incident(_ id: Int64) throws -> Incident? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT \(IncidentRow.columns) FROM incident WHERE id = ?", arguments: [id]).map(
                IncidentRow.decode)
        }
    }

    /// Incidents in the order the duty desk must see them, at most `limit`: unresolved live
    /// fires first (not yet acknowledged before acknowledged), then silenced fires, then the
    /// maintenance kinds, each newest first; with `includeResolved`, resolved incidents after
    /// all of those, newest first. `kind` keeps one kind only.
    ///
    /// The order is SQL's, so `limit` cuts the least urgent rows, never a fire behind a long
    /// tail of maintenance jobs. Unresolved rows are read through the partial index of
    /// unresolved incidents and resolved ones backwards through the index of openings, so a
    /// long history is never scanned.
    public func incidents(includeResolved: Bool = false, kind: IncidentKind? = nil, limit: Int = 10_000) throws -> [Incident] {
        try read { db in try Self.incidents(db, includeResolved: includeResolved, kind: kind, limit: limit) }
    }

    /// Where an unresolved incident stands in the duty desk's order (lower comes first).
    static let urgency = """
        CASE WHEN kind != 'fire' THEN 3 WHEN silenced_by IS NOT NULL THEN 2 WHEN state = 'open' THEN 0 ELSE 1 END
        """

    static func incidents(_ db: any SQLConnection, includeResolved: Bool, kind: IncidentKind?, limit: Int) throws -> [Incident] {
        let limit = max(0, limit)
        let kindFilter = kind == nil ? "" : " AND kind = ?"
        let kindArgument: SQLArguments = kind.map { [$0.rawValue] } ?? []
        var rows = try Row.fetchAll(
            db,
            sql: """
                SELECT \(IncidentRow.columns) FROM incident INDEXED BY incident_unresolved
                WHERE state != 'resolved'\(kindFilter) ORDER BY \(urgency), opened_at DESC, id DESC LIMIT ?
                """,
            arguments: SQLArguments(kindArgument + [limit]))
        if includeResolved, rows.count < limit {
            rows += try Row.fetchAll(
                db,
                sql: """
                    SELECT \(IncidentRow.columns) FROM incident INDEXED BY incident_by_opening
                    WHERE state = 'resolved'\(kindFilter) ORDER BY opened_at DESC, id DESC LIMIT ?
                    """,
                arguments: SQLArguments(kindArgument + [limit - rows.count]))
        }
        return try rows.map(IncidentRow.decode)
    }

    /// The timeline of incident `id`, in the order it happened.
    public func timeline(of id: Int64) throws -> [TimelineEntry] {
        try auditedTimeline(of: id).map(\.entry)
    }

    /// The timeline of incident `id` with, on the lines people wrote, the operating-system
    /// account that ran the command.
    public func auditedTimeline(of id: Int64) throws -> [(entry: TimelineEntry, osUser: String?)] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT at, action, tier, by, note, os_user, channel FROM timeline WHERE incident_id = ? ORDER BY id",
                arguments: [id]
            )
            .map { row in
                let entry = TimelineEntry(
                    at: row["at"], action: TimelineEntry.Action(stored: row["action"]) ?? .opened,
                    tier: (row["tier"] as String?).flatMap(Tier.init(rawValue:)), by: row["by"], note: row["note"],
                    channel: row["channel"])
                return (entry, row["os_user"])
            }
        }
    }
}

extension Store {
    /// A mark that moves whenever any incident changes, whichever process changed it: every
    /// change (an opening, a call, an acknowledgement from the CLI) writes a timeline line.
    public func incidentChangeMark() throws -> Int64 {
        try read { db in try Int64.fetchOne(db, sql: "SELECT max(id) FROM timeline") ?? 0 }
    }
}

extension Store {
    /// Fire incidents opened since `since`, as the chain report counts them.
    public func fires(since: Date) throws -> [ChainReport.Fire] {
        try read { db in
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
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM incident WHERE state != 'resolved'") ?? 0 }
    }

    /// Unresolved incidents counted by kind and by the highest tier called so far (nil for
    /// one that has called nobody, as a silenced one), for `/metrics`.
    public func unresolvedIncidentsByKindAndTier() throws -> [(kind: String, tier: String?, count: Int)] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT kind, tier, count(*) AS n FROM incident WHERE state != 'resolved' GROUP BY kind, tier"
            ).map { ($0["kind"], $0["tier"], $0["n"]) }
        }
    }
}
