import GRDB

extension Schema {
    /// Calls that reach people (issue 17): one `delivery` row per (call, receiver), or per
    /// (call, receiver, person) for texts and voice calls, written in the same transaction as
    /// the call's outbox row; every attempt at it in `delivery_attempt`; and the channel an
    /// answer came by (`cli`, `link`, `sms`) on the timeline.
    static func registerReceivers(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v11-receivers") { db in
            try db.create(table: "delivery") { t in
                t.autoIncrementedPrimaryKey("id")
                /// The call it carries; its payload is the outbox row's.
                t.column("outbox_id", .integer).notNull()
                t.column("notification", .text).notNull()
                t.column("incident_id", .integer).notNull()
                t.column("tier", .text).notNull()
                t.column("unit_id", .text).notNull()
                t.column("action", .text).notNull()
                t.column("receiver", .text).notNull()
                /// The person a text or call goes to; NULL for groups and webhooks.
                t.column("contact_id", .text)
                t.column("contact_name", .text)
                t.column("phone", .text)
                /// The short code a text carries (`1 CODE` acknowledges).
                t.column("answer_code", .text)
                t.column("priority", .integer).notNull()
                t.column("created_at", .double).notNull()
                t.column("next_attempt_at", .double).notNull()
                t.column("attempts", .integer).notNull().defaults(to: 0)
                /// waiting, delivered, skipped (the incident was answered first), refused,
                /// unknown (sent, answer lost: never resent).
                t.column("state", .text).notNull().defaults(to: "waiting")
                t.column("last_error", .text)
                t.column("finished_at", .double)
                /// When the street is told the call has not arrived, if it is still waiting then
                /// (`DeliveryPolicy.bound` after it was made; NULL: never, for failure notices).
                /// A schedule, not a record: a step of the wall clock moves it.
                t.column("tell_after", .double)
                /// When the street was told this call failed (NULL: not told).
                t.column("failure_told_at", .double)
                /// Set on a failure notice's own deliveries: a notice about a notice is never made.
                t.column("is_failure_notice", .boolean).notNull().defaults(to: false)
            }
            try db.execute(
                sql: """
                    CREATE INDEX delivery_waiting ON delivery(receiver, priority, next_attempt_at, id) WHERE state = 'waiting';
                    CREATE INDEX delivery_thread ON delivery(receiver, incident_id, unit_id, phone, id) WHERE state = 'waiting';
                    CREATE INDEX delivery_overdue ON delivery(tell_after)
                      WHERE state = 'waiting' AND failure_told_at IS NULL AND tell_after IS NOT NULL;
                    CREATE INDEX delivery_failed_untold ON delivery(id)
                      WHERE state IN ('refused', 'unknown') AND failure_told_at IS NULL;
                    CREATE INDEX delivery_by_incident ON delivery(incident_id, id);
                    CREATE INDEX delivery_by_code ON delivery(answer_code) WHERE answer_code IS NOT NULL;
                    CREATE INDEX delivery_by_outbox ON delivery(outbox_id);
                    """)
            try db.create(table: "delivery_attempt") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("delivery_id", .integer).notNull()
                t.column("at", .double).notNull()
                t.column("outcome", .text).notNull()
                t.column("detail", .text)
                t.column("latency_ms", .double)
            }
            try db.create(index: "delivery_attempt_by_delivery", on: "delivery_attempt", columns: ["delivery_id", "id"])
            try db.alter(table: "timeline") { t in t.add(column: "channel", .text) }
            try db.alter(table: "gateway_status") { t in t.add(column: "receivers_in_trouble", .text) }
        }
    }
}
