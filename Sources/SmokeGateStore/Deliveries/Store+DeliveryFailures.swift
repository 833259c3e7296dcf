import Foundation
import GRDB
import SmokeGateCore

extension Store {
    /// A call that cannot reach its people is itself an alarm: every delivery refused for good,
    /// ended with an unknown outcome, or still waiting past `DeliveryPolicy.bound` goes on its
    /// incident's timeline (`call_failed`), and the street's command centre is told once per
    /// incident and pass, on MQTT and through its own receivers other than the ones that
    /// failed. A failure of such a notice is written on the timeline only: no notice about a
    /// notice. The deliveries themselves go on (a waiting one keeps being retried); the ladder
    /// never waits for them.
    public func reportFailedDeliveries(at now: Date, desk: IncidentDesk, limit: Int = 200) throws -> IncidentEffects {
        // Most seconds nothing has failed: a read says so without a durable write.
        guard try read({ db in try !Self.failedDeliveries(at: now, limit: 1, db).isEmpty }) else {
            return IncidentEffects()
        }
        return try durableWrite { db in
            let failed = try Self.failedDeliveries(at: now, limit: limit, db)
            guard !failed.isEmpty else { return IncidentEffects() }
            var effects = IncidentEffects()
            let told = try db.cachedStatement(sql: "UPDATE delivery SET failure_told_at = ? WHERE id = ?")
            for (incidentID, deliveries) in Dictionary(grouping: failed, by: \.incident).sorted(by: { $0.key < $1.key }) {
                for delivery in deliveries { try told.execute(arguments: [now.epoch, delivery.id]) }
                guard let incident = try? Self.incident(incidentID, db) else { continue }
                for delivery in deliveries {
                    try db.cachedStatement(
                        sql: "INSERT INTO timeline (incident_id, at, action, tier, note) VALUES (?, ?, ?, ?, ?)"
                    ).execute(arguments: [
                        incidentID, now.epoch, TimelineEntry.Action.callFailed.rawValue, delivery.tier, delivery.summary,
                    ])
                }
                let calls = deliveries.filter { !$0.isFailureNotice }
                guard !calls.isEmpty else { continue }
                let reason = "call failed: " + calls.map(\.summary).joined(separator: "; ")
                let units = desk.directory.units(.street, for: incident.site)
                let notices = desk.composer.compose(
                    .callFailed, tier: .street, reason: reason, incident: incident, at: now,
                    newID: { UUID().uuidString.lowercased() })
                let failedReceivers = Set(calls.map(\.receiver))
                for (notice, unit) in zip(notices, units) {
                    var unit = unit
                    unit.receivers.removeAll { failedReceivers.contains($0) }
                    try enqueue(
                        notice, incident: incidentID, kind: incident.kind, action: .callFailed, tier: .street, unit: unit,
                        receivers: desk.receivers, at: now, db)
                }
                effects.notifications += notices.count
            }
            return effects
        }
    }

    /// Deliveries that ended without reaching anyone, or wait past their bound (`tell_after`,
    /// which a step of the wall clock moves), not yet told, oldest first.
    private static func failedDeliveries(at now: Date, limit: Int, _ db: any SQLConnection) throws -> [FailedDelivery] {
        try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT * FROM delivery INDEXED BY delivery_failed_untold
                    WHERE state IN ('refused', 'unknown') AND failure_told_at IS NULL
                    UNION ALL
                    SELECT * FROM delivery INDEXED BY delivery_overdue
                    WHERE state = 'waiting' AND failure_told_at IS NULL AND tell_after IS NOT NULL AND tell_after <= ?
                    ORDER BY id LIMIT ?
                    """), arguments: [now.epoch, limit]
        ).map(FailedDelivery.init)
    }
}

/// A delivery that did not reach its people, as the failure report reads it.
private struct FailedDelivery {
    var id: Int64
    var incident: Int64
    var tier: String
    var unit: String
    var action: DispatchAction
    var receiver: String
    var person: String?
    var state: String
    var lastError: String?
    var priority: OutboxPriority
    var isFailureNotice: Bool

    init(_ row: Row) {
        id = row["id"]
        incident = row["incident_id"]
        tier = row["tier"]
        unit = row["unit_id"]
        action = DispatchAction(rawValue: row["action"]) ?? .notify
        receiver = row["receiver"]
        person = row["contact_name"]
        state = row["state"]
        lastError = row["last_error"]
        priority = OutboxPriority(rawValue: row["priority"]) ?? .fire
        isFailureNotice = row["is_failure_notice"]
    }

    /// `grid yq-c01-g01 via grid-wecom (王伟): refused: errcode 93000 …`
    var summary: String {
        let whom = person.map { " (\($0))" } ?? ""
        let what: String =
            switch state {
            case "refused": "refused for good"
            case "unknown": "outcome unknown, not resent"
            default: "not delivered after \(Int(DeliveryPolicy.bound(priority: priority, action: action) ?? 0)) s"
            }
        return "\(action.rawValue) to \(tier) \(unit) via \(receiver)\(whom): \(what)" + (lastError.map { ": \($0)" } ?? "")
    }
}
