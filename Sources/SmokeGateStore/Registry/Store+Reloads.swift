import Foundation
import GRDB

extension Store {
    /// Keeps `record` as the last reload (one row: only the last one is told).
    public func write(_ record: ReloadRecord) throws {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO reload (id, at, pid, summary, problems) VALUES (1, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET at = excluded.at, pid = excluded.pid, summary = excluded.summary,
                      problems = excluded.problems
                    """,
                arguments: [
                    record.at.timeIntervalSince1970, record.pid, record.summary,
                    record.problems.isEmpty ? nil : record.problems.joined(separator: "\n"),
                ])
        }
    }

    /// The daemon's last reload, if it ever reloaded.
    public func lastReload() throws -> ReloadRecord? {
        try read { db in
            guard try db.tableExists("reload"), let row = try Row.fetchOne(db, sql: "SELECT * FROM reload WHERE id = 1") else {
                return nil
            }
            let problems: String? = row["problems"]
            return ReloadRecord(
                at: Date(timeIntervalSince1970: row["at"]), pid: row["pid"], summary: row["summary"],
                problems: problems.map { $0.split(separator: "\n").map(String.init) } ?? [])
        }
    }
}

extension Schema {
    static func registerReload(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v10-reload") { db in
            // The last `systemctl reload smokegated`: when, by which daemon, what it changed, and
            // the problems that refused it (NULL when it took).
            try db.create(table: "reload") { t in
                t.primaryKey("id", .integer).check { $0 == 1 }
                t.column("at", .datetime).notNull()
                t.column("pid", .integer).notNull()
                t.column("summary", .text).notNull()
                t.column("problems", .text)
            }
        }
    }
}
