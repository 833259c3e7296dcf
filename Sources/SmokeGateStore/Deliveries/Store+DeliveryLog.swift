import Foundation
import GRDB
import SmokeGateCore

extension Store {
    /// Every delivery of incident `id`'s calls, in the order they were made, each with its attempts.
    public func deliveries(of id: Int64) throws -> [DeliveryRecord] {
        try read { db in
            let attempts = Dictionary(
                grouping: try Row.fetchAll(
                    db,
                    sql: """
                        SELECT a.* FROM delivery_attempt a JOIN delivery d ON d.id = a.delivery_id
                        WHERE d.incident_id = ? ORDER BY a.id
                        """, arguments: [id]), by: { $0["delivery_id"] as Int64 })
            return try Row.fetchAll(
                db, sql: "SELECT * FROM delivery INDEXED BY delivery_by_incident WHERE incident_id = ? ORDER BY id",
                arguments: [id]
            ).map { row in
                let deliveryID: Int64 = row["id"]
                return DeliveryRecord(
                    receiver: row["receiver"], action: row["action"], tier: row["tier"], unit: row["unit_id"],
                    person: row["contact_name"], createdAt: row["created_at"], state: row["state"],
                    lastError: row["last_error"], failureToldAt: row["failure_told_at"],
                    attempts: (attempts[deliveryID] ?? []).map {
                        DeliveryRecord.Attempt(
                            at: $0["at"], outcome: $0["outcome"], detail: $0["detail"], latencyMilliseconds: $0["latency_ms"])
                    })
            }
        }
    }
}
