import Foundation
import GRDB
import SmokeGateCore
import SmokeGateTestSupport
import Testing

@testable import SmokeGateStore

/// On PostgreSQL a statement the store runs again and again is prepared once per connection
/// and then run by name (`PreparedStatements`): the server neither parses nor plans it again.
/// Its results must be those of the unnamed statement, whatever its arguments' types, and a
/// prepared statement the server loses or can no longer run must cost one failed try at most.
@Suite(.enabled(if: TestPostgres.requested, "PostgreSQL's prepared statements"))
struct PreparedStatementTests {
    static let insert = "INSERT INTO device (id, format, first_seen_at, battery, signal) VALUES (?, ?, ?, ?, ?)"

    /// The statements the store's connection has prepared on the server whose text holds `fragment`.
    func preparedOnServer(_ fragment: String, _ db: any SQLConnection) throws -> Int {
        try Int.fetchOne(
            db, sql: "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE ?", arguments: ["%\(fragment)%"]) ?? 0
    }

    @Test func aRepeatedStatementIsPreparedOnceAndRunByName() throws {
        let store = try TestDatabase.make(prefix: "prepared").open()
        let prepared = try store.durableWrite { db in
            for index in 1...20 {
                try db.cachedStatement(sql: Self.insert).execute(arguments: ["det-\(index)", "native", 1.0, 80, -70])
            }
            return try preparedOnServer("INSERT INTO device (id, format, first_seen_at, battery, signal)", db)
        }
        #expect(prepared == 1, "one statement on the server for twenty runs")
        #expect(try store.devices().count == 20)
        #expect(try store.devices().allSatisfy { $0.battery == 80 })
    }

    @Test func aNullFirstAndValuesAfterBindAsTheUnnamedStatementWould() throws {
        let store = try TestDatabase.make(prefix: "prepared").open()
        try store.durableWrite { db in
            try db.cachedStatement(sql: Self.insert).execute(arguments: ["det-1", "native", 1.0, nil, nil])
            try db.cachedStatement(sql: Self.insert).execute(arguments: ["det-2", "native", 2.5, 55, -80])
            try db.cachedStatement(sql: Self.insert).execute(arguments: ["det-3", "native", nil, nil, -90])
        }
        let devices = Dictionary(uniqueKeysWithValues: try store.devices().map { ($0.id, $0) })
        #expect(devices["det-1"]?.battery == nil)
        #expect(devices["det-2"]?.battery == 55)
        #expect(devices["det-2"]?.signal == -80)
        #expect(devices["det-3"]?.signal == -90)
        let count = try store.read { db in
            try Int.fetchOne(
                db.cachedStatement(sql: "SELECT count(*) FROM device WHERE battery IS NULL AND id != ?"), arguments: ["x"])
        }
        #expect(count == 2)
    }

    @Test func statementsByNameAndUnnamedKeepTheOrderTheyWereSentIn() throws {
        let store = try TestDatabase.make(prefix: "prepared").open()
        let updated = try store.durableWrite { db in
            for index in 1...200 {
                // By name, sent ahead; then unnamed, sent ahead: the update must find the row.
                try db.cachedStatement(sql: Self.insert).execute(arguments: ["det-\(index)", "native", 1.0, 80, -70])
                try db.execute(sql: "UPDATE device SET battery = 10 WHERE id = 'det-\(index)'")
            }
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM device WHERE battery = 10") ?? 0
        }
        #expect(updated == 200)
    }

    @Test func aStatementPreparedInATransactionThatFailedStillRuns() throws {
        let store = try TestDatabase.make(prefix: "prepared").open()
        #expect(throws: (any Error).self) {
            try store.durableWrite { db in
                try db.cachedStatement(sql: Self.insert).execute(arguments: ["det-1", "native", 1.0, 80, -70])
                try db.execute(sql: "INSERT INTO no_such_table (id) VALUES (1)")
            }
        }
        try store.durableWrite { db in
            try db.cachedStatement(sql: Self.insert).execute(arguments: ["det-2", "native", 1.0, 80, -70])
        }
        #expect(try store.devices().map(\.id) == ["det-2"])
    }

    @Test func aTableChangedUnderAPreparedStatementCostsOneTryThatMayPass() throws {
        let database = try TestDatabase.make(prefix: "prepared")
        let store = try database.open()
        let select = "SELECT * FROM device WHERE id = ?"
        try store.durableWrite { db in
            try db.cachedStatement(sql: Self.insert).execute(arguments: ["det-1", "native", 1.0, 80, -70])
        }
        for _ in 1...3 { _ = try store.read { db in try Row.fetchOne(db.cachedStatement(sql: select), arguments: ["det-1"]) } }
        // Another node, a newer version, adds a column: the prepared SELECT * no longer fits.
        try database.open().durableWrite { db in try db.execute(sql: "ALTER TABLE device ADD COLUMN added_later INTEGER") }
        var failures: [PostgresFailure] = []
        var row: Row?
        for _ in 1...2 where row == nil {
            do {
                row = try store.read { db in try Row.fetchOne(db.cachedStatement(sql: select), arguments: ["det-1"]) }
            } catch let failure as PostgresFailure {
                failures.append(failure)
            }
        }
        #expect(failures.count <= 1)
        #expect(failures.allSatisfy { !$0.isPermanent }, "a retry prepares it again: \(failures)")
        #expect(row?.hasColumn("added_later") == true)
    }
}
