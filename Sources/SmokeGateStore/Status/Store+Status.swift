import Foundation
import GRDB

extension Store {
    /// Replaces the daemon's status row. `updated_at` is a record; how old the row is comes from
    /// `updated_boottime` and `boot_id` (see `GatewayStatus.age`).
    public func write(_ status: GatewayStatus) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let byFormat = String(decoding: try encoder.encode(status.byFormat), as: UTF8.self)
        let byReason = String(decoding: try encoder.encode(status.byReason), as: UTF8.self)
        let subscriptionsRefused = String(decoding: try encoder.encode(status.subscriptionsRefused), as: UTF8.self)
        let receivers = String(decoding: try encoder.encode(status.receiversInTrouble), as: UTF8.self)
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO gateway_status (id, \(Self.statusColumns.joined(separator: ", ")))
                    VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET \(Self.statusColumns.map { "\($0) = excluded.\($0)" }.joined(separator: ", "))
                    """,
                arguments: [
                    status.pid, status.clientID, status.broker, status.startedAt.epoch, status.updatedAt.epoch, status.connected,
                    status.received, status.rejected, status.heartbeats, status.events, status.duplicates, byFormat,
                    byReason, status.stoppedAt?.epoch, status.updatedBoottime, status.bootID, status.dispatchRefusing,
                    status.callsRefused, status.refusal, subscriptionsRefused, receivers, status.node,
                ])
        }
    }

    /// The columns of `gateway_status` its one row is written with, after `id`.
    static let statusColumns = [
        "pid", "client_id", "broker", "started_at", "updated_at", "connected", "received", "rejected", "heartbeats", "events",
        "duplicates", "by_format", "by_reason", "stopped_at", "updated_boottime", "boot_id", "dispatch_refusing",
        "calls_refused", "refusal", "subscriptions_refused", "receivers_in_trouble", "node",
    ]

    /// The daemon's last written status, or nil if no daemon has run on this database.
    public func readStatus() throws -> GatewayStatus? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM gateway_status WHERE id = 1") else { return nil }
            let decoder = JSONDecoder()
            func counts(_ column: String) -> [String: Int] {
                let text: String = row[column] ?? "{}"
                return (try? decoder.decode([String: Int].self, from: Data(text.utf8))) ?? [:]
            }
            let refusedText: String = row["subscriptions_refused"] ?? "{}"
            let subscriptionsRefused = (try? decoder.decode([String: String].self, from: Data(refusedText.utf8))) ?? [:]
            let receiversText: String = row["receivers_in_trouble"] ?? "{}"
            var status = GatewayStatus(
                pid: row["pid"], clientID: row["client_id"], broker: row["broker"], startedAt: row["started_at"],
                updatedAt: row["updated_at"], connected: row["connected"], received: row["received"],
                rejected: row["rejected"], heartbeats: row["heartbeats"], events: row["events"],
                duplicates: row["duplicates"], byFormat: counts("by_format"), byReason: counts("by_reason"),
                stoppedAt: row["stopped_at"], updatedBoottime: row["updated_boottime"], bootID: row["boot_id"],
                dispatchRefusing: row["dispatch_refusing"] ?? false, callsRefused: row["calls_refused"] ?? 0,
                refusal: row["refusal"], subscriptionsRefused: subscriptionsRefused)
            status.node = row["node"]
            status.receiversInTrouble = (try? decoder.decode([String: String].self, from: Data(receiversText.utf8))) ?? [:]
            return status
        }
    }
}
