import Foundation
import GRDB

extension Store {
    /// Every notification written, in the order written (at most `limit`): what each unit was
    /// told, for tests, benchmarks and the fault suite.
    public func notificationsWritten(limit: Int = 1_000_000) throws -> [WrittenNotification] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT notification, topic, action, payload, created_at, sent_at FROM outbox ORDER BY id LIMIT ?",
                arguments: [limit]
            ).map {
                WrittenNotification(
                    notification: $0["notification"], topic: $0["topic"], action: $0["action"], payload: $0["payload"],
                    createdAt: $0["created_at"], sentAt: $0["sent_at"])
            }
        }
    }
}
