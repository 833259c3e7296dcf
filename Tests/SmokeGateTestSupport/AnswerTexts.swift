import Foundation
import GRDB
import SmokeGateStore

/// Writes the delivery row of a text that carried reply code `code` to `phone`, as the
/// delivery writer does when a call goes out by SMS: what a reply `1 CODE` is matched with.
/// Tests of answers make their own, so they do not depend on the delivery service.
public enum AnswerTexts {
    /// The row written into the SQLite file at `databasePath`.
    @discardableResult
    public static func insert(
        databasePath: String, incident: Int64, tier: String = "grid", unit: String = "yq-c01-g01",
        contactID: String? = "yq-c01-g01-w", contactName: String? = "网格员", phone: String, code: String, createdAt: Date
    ) throws -> Int64 {
        try insert(
            store: try Store(path: databasePath), incident: incident, tier: tier, unit: unit, contactID: contactID,
            contactName: contactName, phone: phone, code: code, createdAt: createdAt)
    }

    /// The row written through `store`, whichever engine holds it.
    @discardableResult
    public static func insert(
        store: Store, incident: Int64, tier: String = "grid", unit: String = "yq-c01-g01",
        contactID: String? = "yq-c01-g01-w", contactName: String? = "网格员", phone: String, code: String, createdAt: Date
    ) throws -> Int64 {
        try store.patch { db in
            try db.execute(
                sql: """
                    INSERT INTO delivery (outbox_id, notification, incident_id, tier, unit_id, action, receiver, contact_id,
                      contact_name, phone, answer_code, priority, created_at, next_attempt_at, state)
                    VALUES (0, ?, ?, ?, ?, 'notify', 'sms', ?, ?, ?, ?, 0, ?, ?, 'delivered')
                    """,
                arguments: [
                    UUID().uuidString.lowercased(), incident, tier, unit, contactID, contactName, phone, code,
                    createdAt.timeIntervalSince1970, createdAt.timeIntervalSince1970,
                ])
            return try db.lastInsertedRowID()
        }
    }
}
