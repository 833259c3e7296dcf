import GRDB

extension Schema {
    /// What retention of the outbox and of closed incidents' detail needs to find its rows
    /// without reading the table.
    static func registerRetention(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v10-retention") { db in
            // Sent calls by the time the broker took them, oldest first: the outbox's retention
            // walks this from its start and stops at its window.
            try db.execute(sql: "CREATE INDEX outbox_sent ON outbox(sent_at) WHERE sent_at IS NOT NULL")
        }
    }
}
