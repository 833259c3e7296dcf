import GRDB

extension Schema {
    /// Maintenance calls grouped per unit and kind (see `DispatchGrouping`): each group, when
    /// its next message is due, and what its last message told of each member.
    static func registerDispatchGroups(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v9-dispatch-groups") { db in
            try db.create(table: "dispatch_group") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("tier", .text).notNull()
                t.column("unit_id", .text).notNull()
                t.column("kind", .text).notNull()
                // Messages sent so far; the next carries this plus one.
                t.column("revision", .integer).notNull().defaults(to: 0)
                t.column("last_sent_at", .datetime)
                // When the next message is due; NULL while nothing has changed since the last.
                t.column("due_at", .datetime)
                // The incident the group's outbox rows are filed under, fixed at its first message:
                // the outbox keeps one unit's messages about one incident in order, so all of a
                // group's messages leave in the order they were made.
                t.column("anchor_incident_id", .integer).references("incident")
                t.uniqueKey(["tier", "unit_id", "kind"])
            }
            try db.execute(sql: "CREATE INDEX dispatch_group_due ON dispatch_group(due_at) WHERE due_at IS NOT NULL")
            try db.create(table: "dispatch_group_member", options: [.withoutRowID]) { t in
                t.column("group_id", .integer).notNull().references("dispatch_group", onDelete: .cascade)
                t.column("incident_id", .integer).notNull()
                // The incident's state in the group's last message; NULL before its first.
                t.column("told", .text)
                t.primaryKey(["group_id", "incident_id"])
            }
            try db.create(index: "dispatch_group_member_by_incident", on: "dispatch_group_member", columns: ["incident_id"])
        }
    }
}
