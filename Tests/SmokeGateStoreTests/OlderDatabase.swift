import Foundation
import GRDB
import SmokeGateTestSupport

@testable import SmokeGateStore

/// The SQLite file an older version left behind, for the tests of an upgrade: migrated only up
/// to `migration`, with `rows` (SQL in that schema) written into it, and closed.
enum OlderDatabase {
    static func make(prefix: String, upTo migration: String, rows: String) throws -> String {
        let path = try TemporaryFolder.make(prefix: prefix).appendingPathComponent("smokegate.db").path
        let old = try DatabasePool(path: path)
        try Schema.migrator.migrate(old, upTo: migration)
        try old.write { db in try db.execute(sql: rows) }
        try old.close()
        return path
    }
}
