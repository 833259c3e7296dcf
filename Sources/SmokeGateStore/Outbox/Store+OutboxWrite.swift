import Foundation
import GRDB
import SmokeGateCore

extension Store {
    /// Writes one notification into the outbox inside the caller's transaction, due at once:
    /// filed under `incident` (the outbox keeps one unit's messages about one incident in
    /// order) with the priority of an incident of `kind` (fires first). With it, in the same
    /// transaction, one delivery per receiver `unit` names (see `writeDeliveries`), so a call
    /// that reached MQTT can never miss the people's phones, nor the reverse.
    @discardableResult
    func enqueue(
        _ notification: NotificationMessage, incident: Int64, kind: IncidentKind, action: DispatchAction, tier: Tier,
        unit: ResponseUnit?, receivers: ReceiverBook, at now: Date, excluding excluded: String? = nil, _ db: any SQLConnection
    ) throws -> Int64 {
        let priority = OutboxPriority(kind: kind)
        // The id is taken ahead on PostgreSQL where the transaction has one (`ReservedIDs`).
        let outboxID = try db.insertReturningID(
            into: .outbox,
            columns: "notification, incident_id, action, tier, topic, payload, created_at, next_attempt_at, priority",
            [
                notification.id, incident, action.rawValue, tier.rawValue, notification.topic, notification.payload, now.epoch,
                now.epoch, priority.rawValue,
            ])
        if let unit, !unit.receivers.isEmpty, !receivers.isEmpty {
            try writeDeliveries(
                CallOnRecord(
                    outboxID: outboxID, notification: notification.id, incident: incident, tier: tier, unit: unit.id,
                    action: action, priority: priority, at: now),
                receivers: unit.receivers.filter { $0 != excluded }.compactMap { name in
                    receivers.kind(of: name).map { (name, $0) }
                },
                contacts: unit.contacts, db)
        }
        return outboxID
    }
}
