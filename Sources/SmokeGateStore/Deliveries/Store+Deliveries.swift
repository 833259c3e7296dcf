import Foundation
import GRDB
import SmokeGateCore

extension Store {
    /// The deliveries of `receiver` due by `now`, first of their threads (one unit's or one
    /// person's messages about one incident), fires first, then in the order they fell due.
    public func dueDeliveries(receiver: String, at now: Date, limit: Int) throws -> [PendingDelivery] {
        try read { db in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT waiting.*, outbox.payload AS payload, incident.acked_at AS acked_at,
                               incident.resolved_at AS resolved_at
                        FROM delivery AS waiting INDEXED BY delivery_waiting
                        JOIN outbox ON outbox.id = waiting.outbox_id
                        LEFT JOIN incident ON incident.id = waiting.incident_id
                        WHERE waiting.state = 'waiting' AND waiting.receiver = ? AND waiting.next_attempt_at <= ?
                          AND \(Self.firstDeliveryOfItsThread)
                        ORDER BY waiting.priority, waiting.next_attempt_at, waiting.id LIMIT ?
                        """), arguments: [receiver, now.epoch, limit]
            ).map(Self.pendingDelivery)
        }
    }

    /// The condition on a waiting delivery that no earlier one of its thread still waits.
    static let firstDeliveryOfItsThread = """
        NOT EXISTS (SELECT 1 FROM delivery AS earlier INDEXED BY delivery_thread
                    WHERE earlier.state = 'waiting' AND earlier.receiver = waiting.receiver
                      AND earlier.incident_id = waiting.incident_id AND earlier.unit_id = waiting.unit_id
                      AND earlier.phone IS waiting.phone AND earlier.id < waiting.id)
        """

    private static func pendingDelivery(_ row: Row) -> PendingDelivery {
        let created: Double = row["created_at"]
        let acked: Double? = row["acked_at"]
        let resolved: Double? = row["resolved_at"]
        let contactID: String? = row["contact_id"]
        return PendingDelivery(
            id: row["id"], notification: row["notification"], incident: row["incident_id"], tier: row["tier"],
            unit: row["unit_id"], action: row["action"], receiver: row["receiver"],
            contact: contactID.map { Contact(id: $0, name: row["contact_name"] ?? $0, phone: row["phone"] ?? "") },
            answerCode: row["answer_code"], payload: row["payload"],
            priority: OutboxPriority(rawValue: row["priority"]) ?? .fire, createdAt: Date(timeIntervalSince1970: created),
            attempts: row["attempts"], answeredSince: (acked ?? 0) > created || (resolved ?? 0) > created)
    }

    /// When the next delivery of `receiver` is due, if one waits (first of its thread).
    public func nextDeliveryAttempt(receiver: String) throws -> Date? {
        try read { db in
            try Date.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT min(next_attempt_at) FROM delivery AS waiting INDEXED BY delivery_waiting
                        WHERE waiting.state = 'waiting' AND waiting.receiver = ? AND \(Self.firstDeliveryOfItsThread)
                        """), arguments: [receiver])
        }
    }

    /// Records what the attempts at these deliveries came to, each with how long it took.
    /// Delivered, refused and unknown end a delivery; a retry waits out `DeliveryPolicy`'s
    /// backoff, a rate limit until the vendor's time. `skipped` ends deliveries that were not
    /// sent because the incident was answered first.
    public func recordDeliveries(_ attempts: [DeliveryAttempt], at now: Date) throws {
        guard !attempts.isEmpty else { return }
        try write { db in
            let log = try db.cachedStatement(
                sql: "INSERT INTO delivery_attempt (delivery_id, at, outcome, detail, latency_ms) VALUES (?, ?, ?, ?, ?)")
            let finish = try db.cachedStatement(
                sql: """
                    UPDATE delivery SET state = ?, attempts = attempts + ?, last_error = ?, finished_at = ? WHERE id = ?
                    """)
            let retry = try db.cachedStatement(
                sql: """
                    UPDATE delivery SET attempts = attempts + 1, last_error = ?,
                      next_attempt_at = max(next_attempt_at, ?) WHERE id = ?
                    """)
            for attempt in attempts {
                let sent = attempt.outcome != nil
                if let outcome = attempt.outcome {
                    try log.execute(arguments: [
                        attempt.id, now.epoch, outcome.name, outcome.detail, attempt.latency.map { $0 * 1_000 },
                    ])
                }
                switch attempt.outcome {
                case .delivered(let detail):
                    try finish.execute(arguments: ["delivered", 1, detail, now.epoch, attempt.id])
                case .refused(let why):
                    try finish.execute(arguments: ["refused", 1, why, now.epoch, attempt.id])
                case .unknown(let why):
                    try finish.execute(arguments: ["unknown", 1, why, now.epoch, attempt.id])
                case .retryLater(let why):
                    let next = now.epoch + DeliveryPolicy.backoff(afterAttempts: attempt.attempts + 1)
                    try retry.execute(arguments: [why, next, attempt.id])
                case .rateLimited(let until, let why):
                    let next = (until ?? now.addingTimeInterval(DeliveryPolicy.rateLimitPause)).epoch
                    try retry.execute(arguments: [why, next, attempt.id])
                case nil:
                    try finish.execute(arguments: [
                        "skipped", sent ? 1 : 0, attempt.skipReason ?? "answered before it was sent", now.epoch, attempt.id,
                    ])
                }
            }
        }
    }
}
