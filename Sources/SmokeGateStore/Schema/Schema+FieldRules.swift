import GRDB

extension Schema {
    /// What the field rules need to remember: who belongs to each incident, where its ladder's
    /// clock starts, which silence hid it, which silences have been released, the notes on
    /// dropped readings, the last event each detector sent, and a status freshness that a
    /// wall-clock step cannot fool.
    static func registerFieldRules(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v7-field-rules") { db in
            try db.alter(table: "incident") { t in
                // Deadlines are this plus each tier's offset: the opening, or later when an
                // acknowledged fire is re-armed or a shielded one released (and moved with a
                // clock step, so the ladder keeps to the monotonic clock).
                t.add(column: "ladder_origin_at", .datetime)
                // The silence that covers it, by id, so its end can release it.
                t.add(column: "silence_id", .integer)
            }
            try db.execute(sql: "UPDATE incident SET ladder_origin_at = opened_at")
            // Incidents hidden before this version name their silence only in the label
            // ("silence 3 (grid …) until …"): take the id from it, so the silence's end releases them.
            try db.execute(
                sql: """
                    UPDATE incident SET silence_id = CAST(substr(shielded, 9, instr(shielded, ' (') - 9) AS INTEGER)
                    WHERE shielded LIKE 'silence % (%' AND silence_id IS NULL
                    """)
            // Detectors belonging to an incident: its own, and those that joined its fire at
            // the same venue. An event of any of them belongs to the incident; resolving it
            // re-latches any of them still sensing smoke.
            try db.create(table: "incident_detector", options: [.withoutRowID]) { t in
                t.column("device_id", .text).notNull()
                t.column("incident_id", .integer).notNull().references("incident")
                t.primaryKey(["device_id", "incident_id"])
            }
            try db.create(index: "incident_detector_by_incident", on: "incident_detector", columns: ["incident_id"])
            try db.execute(sql: "INSERT INTO incident_detector (device_id, incident_id) SELECT device_id, id FROM incident")
            try db.execute(
                sql: """
                    CREATE INDEX incident_shielded_by ON incident(silence_id) WHERE silence_id IS NOT NULL AND state != 'resolved';
                    """)
            // Optional fields dropped from the event's payload, and why.
            try db.alter(table: "event") { t in t.add(column: "notes", .text) }
            // The identity of the message of the detector's last stored event: a repeat of it at the start of a
            // new broker session is the only kind of message certainly redelivered.
            try db.alter(table: "device") { t in t.add(column: "last_event_key", .text) }
            // When the gateway released what a silence hid (at its end or its lifting).
            try db.alter(table: "silence") { t in t.add(column: "released_at", .datetime) }
            try db.execute(sql: "CREATE INDEX silence_unreleased ON silence(ends_at) WHERE released_at IS NULL")
            // The status row's time on the machine's monotonic boot clock, and which boot: how
            // old the status is, whatever the wall clock did.
            try db.alter(table: "gateway_status") { t in
                t.add(column: "updated_boottime", .double)
                t.add(column: "boot_id", .text)
            }
        }
    }
}
