import GRDB

/// The database schema, as an ordered list of migrations that are never edited once shipped.
/// Every time column holds Unix seconds as a REAL.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-ingest") { db in
            try db.create(table: "device") { t in
                t.primaryKey("id", .text)
                t.column("grid", .text)
                t.column("address", .text)
                t.column("venue", .text)
                t.column("venue_type", .text)
                t.column("profile", .text).notNull().defaults(to: "default")
                t.column("registered", .boolean).notNull().defaults(to: false)
                t.column("format", .text)
                t.column("first_seen_at", .datetime)
                t.column("last_seen_at", .datetime)
                t.column("battery", .integer)
                t.column("signal", .integer)
                t.column("condition", .integer).notNull().defaults(to: 0)
                t.column("last_event", .text)
                t.column("last_event_at", .datetime)
                t.column("last_test_at", .datetime)
            }
            try db.create(table: "event") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("device_id", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("format", .text).notNull()
                t.column("topic", .text).notNull()
                t.column("occurred_at", .datetime)
                t.column("received_at", .datetime).notNull()
                t.column("seq", .integer)
                t.column("dedupe_key", .text).notNull()
                t.column("battery", .integer)
                t.column("signal", .integer)
                t.column("smoke", .double)
                t.column("temperature", .double)
                t.column("payload", .text).notNull()
            }
            try db.create(index: "event_by_identity", on: "event", columns: ["device_id", "kind", "dedupe_key"])
            try db.create(index: "event_by_time", on: "event", columns: ["received_at"])
            try db.create(table: "rejected_message") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("received_at", .datetime).notNull()
                t.column("topic", .text).notNull()
                t.column("format", .text)
                t.column("reason", .text).notNull()
                t.column("detail", .text).notNull()
                t.column("payload", .blob).notNull()
            }
            try db.create(table: "gateway_status") { t in
                t.primaryKey("id", .integer).check { $0 == 1 }
                t.column("pid", .integer).notNull()
                t.column("client_id", .text).notNull()
                t.column("broker", .text).notNull()
                t.column("started_at", .datetime).notNull()
                t.column("updated_at", .datetime).notNull()
                t.column("connected", .boolean).notNull()
                t.column("received", .integer).notNull()
                t.column("rejected", .integer).notNull()
                t.column("heartbeats", .integer).notNull()
                t.column("events", .integer).notNull()
                t.column("duplicates", .integer).notNull()
                t.column("by_format", .text).notNull()
                t.column("by_reason", .text).notNull()
                t.column("stopped_at", .datetime)
            }
        }
        registerIncidents(in: &migrator)
        migrator.registerMigration("v3-audit") { db in
            // The operating-system account that ran an operator's command, beside the name
            // given with --by: who acknowledged, resolved or silenced, beyond doubt.
            try db.alter(table: "timeline") { t in t.add(column: "os_user", .text) }
        }
        migrator.registerMigration("v4-console") { db in
            // `smokegate alarms` lists unresolved incidents in id order: this index holds only
            // those, in that order, so a long history is never scanned.
            try db.execute(sql: "CREATE INDEX incident_unresolved ON incident(id) WHERE state != 'resolved'")
        }
        migrator.registerMigration("v5-silences") { db in
            // Silencing a detector or a whole grid for a while (renovation, maintenance): its
            // incidents are recorded and listed, but nobody is called.
            try db.create(table: "silence") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("target_kind", .text).notNull()
                t.column("target", .text).notNull()
                t.column("reason", .text).notNull()
                t.column("by", .text).notNull()
                t.column("os_user", .text)
                t.column("starts_at", .datetime).notNull()
                t.column("ends_at", .datetime).notNull()
                t.column("lifted_at", .datetime)
                t.column("lifted_by", .text)
                t.column("lifted_os_user", .text)
            }
            try db.create(index: "silence_by_target", on: "silence", columns: ["target_kind", "target", "ends_at"])
            try db.alter(table: "incident") { t in t.add(column: "shielded", .text) }
        }
        migrator.registerMigration("v6-registry-fingerprint") { db in
            // The fingerprint of the registry last written into `device`: a restart on the same
            // registry compares one value instead of a million rows.
            try db.create(table: "registry_sync") { t in
                t.primaryKey("id", .integer).check { $0 == 1 }
                t.column("fingerprint", .text).notNull()
                t.column("devices", .integer).notNull()
                t.column("synced_at", .datetime).notNull()
            }
        }
        registerFieldRules(in: &migrator)
        registerDispatchGroups(in: &migrator)
        registerReload(in: &migrator)
        registerDispatchRefusals(in: &migrator)
        registerOutboxOrder(in: &migrator)
        registerRetention(in: &migrator)
        registerReceivers(in: &migrator)
        registerCluster(in: &migrator)
        registerVocabulary(in: &migrator)
        return migrator
    }
}
