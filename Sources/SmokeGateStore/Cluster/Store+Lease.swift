import Foundation
import GRDB
import SmokeGateCore

/// The leader's lease: one row, taken by the first node to find it free or expired, renewed
/// by its holder, and ended on the database's clock, never on a gateway's. Each taking raises
/// the epoch: the fencing token a leader shows before every call (`confirmsLease`), so that a
/// leader that was paused or cut off and comes back calls nobody.
///
/// A row rather than an advisory lock held by a session: a host cut off from the network
/// keeps its session (and such a lock) until TCP gives up, hours by default; a row expires
/// when its time is up, whoever can or cannot reach the database.
extension Store {
    /// The lease as held after `takeOrRenewLease`.
    public struct LeaseGrant: Sendable, Equatable {
        public var epoch: Int64
        /// Seconds the lease runs from the moment the database wrote it.
        public var seconds: TimeInterval
    }

    /// The lease for `node`'s process `instance` for `seconds` more: renewed if it holds it,
    /// taken (with the next epoch) if the lease is free or has expired; nil while another holds it.
    public func takeOrRenewLease(node: String, instance: String, seconds: TimeInterval) throws -> LeaseGrant? {
        try writeOutsideLock { db in
            let now = Self.databaseNow(db)
            let row = try Row.fetchOne(
                db,
                sql: """
                    INSERT INTO cluster_lease (id, node, instance, epoch, acquired_at, renewed_at, expires_at)
                    VALUES (1, ?, ?, 1, \(now), \(now), \(now) + ?)
                    ON CONFLICT(id) DO UPDATE SET
                      epoch = CASE WHEN cluster_lease.instance = excluded.instance AND cluster_lease.expires_at > \(now)
                                   THEN cluster_lease.epoch ELSE cluster_lease.epoch + 1 END,
                      acquired_at = CASE WHEN cluster_lease.instance = excluded.instance AND cluster_lease.expires_at > \(now)
                                         THEN cluster_lease.acquired_at ELSE excluded.acquired_at END,
                      node = excluded.node, instance = excluded.instance, renewed_at = excluded.renewed_at,
                      expires_at = excluded.expires_at
                    WHERE cluster_lease.instance = excluded.instance OR cluster_lease.expires_at <= \(now)
                    RETURNING epoch
                    """, arguments: [node, instance, seconds])
            return row.map { LeaseGrant(epoch: $0["epoch"], seconds: seconds) }
        }
    }

    /// Whether `instance` still holds the lease under `epoch`, on the database's clock: asked
    /// before every call a leader makes.
    public func confirmsLease(epoch: Int64, instance: String) throws -> Bool {
        try read { db in
            try Bool.fetchOne(
                db,
                sql:
                    "SELECT 1 FROM cluster_lease WHERE id = 1 AND epoch = ? AND instance = ? AND expires_at > \(Self.databaseNow(db))",
                arguments: [epoch, instance]) ?? false
        }
    }

    /// Ends `instance`'s lease now (a graceful stop), so a standby takes over at its next look.
    public func releaseLease(instance: String) throws {
        try writeOutsideLock { db in
            try db.execute(
                sql: "UPDATE cluster_lease SET expires_at = \(Self.databaseNow(db)) WHERE id = 1 AND instance = ?",
                arguments: [instance])
        }
    }

    /// Who holds the lease and for how many more seconds (negative: expired), if anyone took it.
    public func leaseHolder() throws -> (node: String, epoch: Int64, remaining: TimeInterval)? {
        try read { db in
            try Row.fetchOne(
                db, sql: "SELECT node, epoch, expires_at - \(Self.databaseNow(db)) AS remaining FROM cluster_lease WHERE id = 1"
            ).map { ($0["node"], $0["epoch"], $0["remaining"]) }
        }
    }

    /// The database's own clock, in Unix seconds, as SQL.
    static func databaseNow(_ db: any SQLConnection) -> String {
        switch db.engine {
        case .postgres: "extract(epoch from clock_timestamp())::double precision"
        case .sqlite: "((julianday('now') - 2440587.5) * 86400.0)"
        }
    }
}
