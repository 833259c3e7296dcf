import Foundation
import GRDB
import SmokeGateCore

extension Store {
    /// Writes this node's row (`instance`: its process's own id).
    public func write(_ status: ClusterNodeStatus, instance: String) throws {
        try writeOutsideLock { db in
            try db.execute(
                sql: """
                    INSERT INTO cluster_node (node, instance, role, epoch, pid, connected, received, started_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(node) DO UPDATE SET instance = excluded.instance, role = excluded.role, epoch = excluded.epoch,
                      pid = excluded.pid, connected = excluded.connected, received = excluded.received,
                      started_at = excluded.started_at, updated_at = excluded.updated_at
                    """,
                arguments: [
                    status.node, instance, status.role, status.epoch, status.pid, status.connected, status.received,
                    status.startedAt.epoch, status.updatedAt.epoch,
                ])
        }
    }

    /// Every node's last row, by name.
    public func clusterNodes() throws -> [ClusterNodeStatus] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM cluster_node ORDER BY node").map { row in
                ClusterNodeStatus(
                    node: row["node"], role: row["role"], epoch: row["epoch"], pid: row["pid"], connected: row["connected"],
                    received: row["received"], startedAt: row["started_at"], updatedAt: row["updated_at"])
            }
        }
    }
}
