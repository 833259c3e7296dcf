import GRDB

extension Schema {
    /// The outbox's order (field rule 7): fires first, and within one unit and incident the
    /// order the calls were made in.
    static func registerOutboxOrder(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v8-outbox-order") { db in
            // `OutboxPriority`: 0 for a fire's messages, 1 for maintenance. The default is a
            // fire's, so that a writer that forgets it can never put a fire behind maintenance.
            try db.alter(table: "outbox") { t in t.add(column: "priority", .integer).notNull().defaults(to: 0) }
            // Rows still waiting take their incident's priority; sent ones no longer queue.
            try db.execute(
                sql: """
                    UPDATE outbox SET priority = 1
                    WHERE sent_at IS NULL AND incident_id IN (SELECT id FROM incident WHERE kind != 'fire')
                    """)
            // The dispatcher's query: per priority, the rows due by now in the order they fell
            // due, a range of this index. Rows waiting out a backoff lie beyond the range and are
            // never read; a million waiting maintenance rows lie behind every fire's.
            try db.execute(sql: "CREATE INDEX outbox_waiting ON outbox(priority, next_attempt_at, id) WHERE sent_at IS NULL")
            // One unit's messages about one incident (a thread): only the first unsent one may
            // go, so an `ack` never overtakes a `notify` waiting out a retry.
            try db.execute(
                sql: "CREATE INDEX outbox_waiting_by_thread ON outbox(incident_id, topic, id) WHERE sent_at IS NULL")
        }
    }
}
