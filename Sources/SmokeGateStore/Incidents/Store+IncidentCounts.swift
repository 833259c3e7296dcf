import Foundation
import GRDB
import SmokeGateCore

extension Store {
    /// How many incidents there are by kind and state: what the console prints under its
    /// list, so that a list cut at `--limit` or at the screen's last row never hides how many
    /// fires are waiting.
    public struct IncidentCounts: Sendable, Equatable {
        /// One kind in one state, silenced or not.
        public struct Group: Sendable, Hashable {
            public var kind: IncidentKind
            public var state: IncidentState
            /// Recorded under a silence: nobody was called.
            public var silenced: Bool

            public init(kind: IncidentKind, state: IncidentState, silenced: Bool) {
                self.kind = kind
                self.state = state
                self.silenced = silenced
            }
        }

        /// Unresolved incidents by group.
        public var unresolved: [Group: Int]
        /// Resolved incidents (0 unless they were asked for).
        public var resolved: Int

        public init(unresolved: [Group: Int] = [:], resolved: Int = 0) {
            self.unresolved = unresolved
            self.resolved = resolved
        }

        /// Unresolved incidents matching every condition given.
        public func count(kind: IncidentKind? = nil, state: IncidentState? = nil, silenced: Bool? = nil) -> Int {
            unresolved.reduce(0) { sum, entry in
                let group = entry.key
                guard kind.map({ $0 == group.kind }) ?? true, state.map({ $0 == group.state }) ?? true,
                    silenced.map({ $0 == group.silenced }) ?? true
                else { return sum }
                return sum + entry.value
            }
        }

        /// Every incident counted, resolved ones included.
        public var total: Int { count() + resolved }
    }

    /// Counts of the incidents `incidents(includeResolved:kind:limit:)` lists without a limit.
    /// Unresolved ones are counted from the partial index; resolved ones, when asked for, by
    /// subtracting them from the table's count (or, for one kind, by reading the table).
    public func incidentCounts(includeResolved: Bool = false, kind: IncidentKind? = nil) throws -> IncidentCounts {
        try read { db in try Self.incidentCounts(db, includeResolved: includeResolved, kind: kind) }
    }

    /// The list and its counts from one snapshot of the database, so that what the console
    /// says is left out adds up with what it shows while the daemon writes.
    public func incidentsWithCounts(includeResolved: Bool = false, kind: IncidentKind? = nil, limit: Int) throws -> (
        incidents: [Incident], counts: IncidentCounts
    ) {
        try read { db in
            (
                try Self.incidents(db, includeResolved: includeResolved, kind: kind, limit: limit),
                try Self.incidentCounts(db, includeResolved: includeResolved, kind: kind)
            )
        }
    }

    static func incidentCounts(_ db: any SQLConnection, includeResolved: Bool, kind: IncidentKind?) throws -> IncidentCounts {
        let kindFilter = kind == nil ? "" : " AND kind = ?"
        let kindArgument: SQLArguments = kind.map { [$0.rawValue] } ?? []
        var counts = IncidentCounts()
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT kind, state, silenced_by IS NOT NULL AS silenced, count(*) AS n FROM incident INDEXED BY incident_unresolved
                WHERE state != 'resolved'\(kindFilter) GROUP BY kind, state, silenced_by IS NOT NULL
                """,
            arguments: SQLArguments(kindArgument))
        for row in rows {
            guard let kind = IncidentKind(rawValue: row["kind"]), let state = IncidentState(rawValue: row["state"]) else {
                throw StoreError("incidents of kind '\(row["kind"] ?? "?")' in state '\(row["state"] ?? "?")' cannot be read")
            }
            counts.unresolved[IncidentCounts.Group(kind: kind, state: state, silenced: row["silenced"]), default: 0] += row["n"]
        }
        guard includeResolved else { return counts }
        if let kind {
            counts.resolved =
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM incident WHERE state = 'resolved' AND kind = ?", arguments: [kind.rawValue])
                ?? 0
        } else {
            let all = try Int.fetchOne(db, sql: "SELECT count(*) FROM incident") ?? 0
            counts.resolved = max(0, all - counts.count())
        }
        return counts
    }
}
