import Foundation
import GRDB
import SmokeGateCore

extension Store {
    /// Writes one notification into the outbox inside the caller's transaction, due at once:
    /// filed under `incident` (the outbox keeps one unit's messages about one incident in
    /// order) with the priority of an incident of `kind` (fires first).
    func enqueue(
        _ notification: NotificationMessage, incident: Int64, kind: IncidentKind, action: DispatchAction, tier: Tier,
        at now: Date, _ db: Database
    ) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO outbox (notification, incident_id, action, tier, topic, payload, created_at, next_attempt_at, priority)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            notification.id, incident, action.rawValue, tier.rawValue, notification.topic, notification.payload, now.epoch,
            now.epoch, OutboxPriority(kind: kind).rawValue,
        ])
    }
}
