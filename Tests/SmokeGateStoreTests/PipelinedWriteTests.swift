import Foundation
import GRDB
import SmokeGateCore
import SmokeGateTestSupport
import Testing

@testable import SmokeGateStore

/// On PostgreSQL a write transaction sends its statements without waiting for each answer
/// (`PostgresSQLConnection.pipelinesWrites`); the answers are collected at the next read, at a
/// row count, or at the COMMIT. These hold on either engine: a failure is still thrown, named
/// with its own statement, and still undoes the whole transaction; reads and counts see
/// every write before them.
@Suite struct PipelinedWriteTests {
    @Test func aFailingWriteAmongOthersUndoesTheTransactionAndNamesItsStatement() throws {
        let database = try TestDatabase.make(prefix: "pipelined")
        let store = try database.open()
        #expect {
            try store.durableWrite { db in
                try db.execute(sql: "INSERT INTO device (id, format, first_seen_at) VALUES ('det-1', 'native', 1)")
                try db.execute(sql: "INSERT INTO no_such_table (id) VALUES (1)")
                try db.execute(sql: "INSERT INTO device (id, format, first_seen_at) VALUES ('det-2', 'native', 1)")
            }
        } throws: { error in
            "\(error)".contains("no_such_table")
        }
        #expect(try store.devices().isEmpty, "nothing of the transaction is stored")
        // The connection is clean for the next transaction.
        try store.durableWrite { db in
            try db.execute(sql: "INSERT INTO device (id, format, first_seen_at) VALUES ('det-3', 'native', 1)")
        }
        #expect(try store.devices().map(\.id) == ["det-3"])
    }

    @Test func readsAndCountsSeeTheWritesSentBeforeThem() throws {
        let database = try TestDatabase.make(prefix: "pipelined")
        let store = try database.open()
        let (count, changed) = try store.durableWrite { db in
            for index in 1...50 {
                try db.execute(sql: "INSERT INTO device (id, format, first_seen_at) VALUES ('det-\(index)', 'native', 1)")
            }
            let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM device") ?? 0
            try db.execute(sql: "UPDATE device SET battery = 50 WHERE id LIKE 'det-1%'")
            return (count, try db.changesCount)
        }
        #expect(count == 50)
        #expect(changed == 11, "det-1 and det-10 to det-19")
    }

    @Test func aFailureSentAheadIsThrownByTheCommitWhenNothingReadsAfterIt() throws {
        let database = try TestDatabase.make(prefix: "pipelined")
        let store = try database.open()
        #expect(throws: (any Error).self) {
            try store.durableWrite { db in
                try db.execute(sql: "INSERT INTO device (id, format, first_seen_at) VALUES ('det-1', 'native', 1)")
                try db.execute(sql: "INSERT INTO device (id, format, first_seen_at) VALUES ('det-1', 'native', 1)")
            }
        }
        #expect(try store.devices().isEmpty)
    }
}
