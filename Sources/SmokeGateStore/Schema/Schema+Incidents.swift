import GRDB

extension Schema {
    /// Incidents, their timelines, and the outbox of notifications waiting for the broker.
    static func registerIncidents(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v2-incidents") { db in
            try db.create(table: "incident") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("kind", .text).notNull()
                t.column("state", .text).notNull()
                t.column("device_id", .text).notNull()
                t.column("address", .text).notNull()
                t.column("venue", .text).notNull()
                t.column("venue_type", .text).notNull()
                t.column("venue_key", .text)
                t.column("grid", .text)
                t.column("community", .text)
                t.column("street", .text)
                t.column("opened_at", .datetime).notNull()
                // The ladder copied on opening, as `tier=milliseconds` pairs.
                t.column("ladder", .text).notNull()
                // Tiers called so far, one bit per tier in ladder order.
                t.column("called", .integer).notNull()
                t.column("tier", .text)
                t.column("next_deadline_at", .datetime)
                t.column("acked_by", .text)
                t.column("acked_at", .datetime)
                t.column("resolved_by", .text)
                t.column("resolved_at", .datetime)
                t.column("cause", .text)
            }
            // Partial indexes: only unresolved incidents are looked up by device and venue, and
            // only those with a deadline by time, so they stay small however long history grows.
            try db.execute(
                sql: """
                    CREATE INDEX incident_unresolved_by_device ON incident(device_id, kind) WHERE state != 'resolved';
                    CREATE INDEX incident_unresolved_fire_by_venue ON incident(venue_key)
                      WHERE state != 'resolved' AND kind = 'fire' AND venue_key IS NOT NULL;
                    CREATE INDEX incident_by_deadline ON incident(next_deadline_at) WHERE next_deadline_at IS NOT NULL;
                    CREATE INDEX incident_by_opening ON incident(opened_at);
                    """)
            try db.create(table: "timeline") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("incident_id", .integer).notNull().references("incident")
                t.column("at", .datetime).notNull()
                t.column("action", .text).notNull()
                t.column("tier", .text)
                t.column("by", .text)
                t.column("note", .text)
            }
            try db.create(index: "timeline_by_incident", on: "timeline", columns: ["incident_id", "id"])
            try db.create(table: "outbox") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("notification", .text).notNull().unique()
                t.column("incident_id", .integer).notNull().references("incident")
                t.column("action", .text).notNull()
                t.column("tier", .text).notNull()
                t.column("topic", .text).notNull()
                t.column("payload", .text).notNull()
                t.column("created_at", .datetime).notNull()
                t.column("attempts", .integer).notNull().defaults(to: 0)
                t.column("next_attempt_at", .datetime).notNull()
                t.column("last_error", .text)
                t.column("sent_at", .datetime)
            }
            try db.execute(sql: "CREATE INDEX outbox_pending ON outbox(next_attempt_at, id) WHERE sent_at IS NULL")
        }
    }
}
