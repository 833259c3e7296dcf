import GRDB

extension Schema {
    /// What the status row says of the broker's refusals (field rule 8: a refusal is not a
    /// delivery): calls it refuses, and subscriptions it refused or downgraded.
    static func registerDispatchRefusals(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v10-dispatch-refusals") { db in
            try db.alter(table: "gateway_status") { t in
                t.add(column: "dispatch_refusing", .boolean).notNull().defaults(to: false)
                t.add(column: "calls_refused", .integer).notNull().defaults(to: 0)
                t.add(column: "refusal", .text)
                // A JSON object: each refused filter and the broker's answer.
                t.add(column: "subscriptions_refused", .text)
            }
        }
    }
}
