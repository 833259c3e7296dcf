import GRDB

extension Schema {
    /// What several gateways on one database need (the same tables on PostgreSQL, where a
    /// cluster runs; on SQLite they stay empty): which node stored an event and which nodes'
    /// copies of it were recognised, the leader's lease, and each node's last word.
    static func registerCluster(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v12-cluster") { db in
            for statement in PostgresSchema.clusterTables(text: "TEXT", real: "REAL", integer: "INTEGER") {
                try db.execute(sql: statement)
            }
        }
    }
}
