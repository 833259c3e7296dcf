import Foundation
import GRDB
import SmokeGateCore
import SmokeGateTestSupport
import Testing

@testable import SmokeGateStore

/// The broker's answers to a batch are recorded in a few statements, not one per call
/// (`markSent`, `markFailed`): on PostgreSQL each statement is a turn of the server under the write lock
/// that ingest waits for, and a burst's calls are confirmed by the hundred.
@Suite struct ConfirmedCallsTests {
    /// A store with one fire and `count` calls of it waiting in the outbox, in id order.
    static func outboxWithCalls(_ count: Int) throws -> (Store, [Int64]) {
        let store = try TestDatabase.make(prefix: "confirmed-calls").open()
        let first = IDsTakenAheadTests.message("burst-1", .alarm, second: 0)
        try store.commit([first], desk: IDsTakenAheadTests.desk)
        let incident = try #require(try IDsTakenAheadTests.ids("incident", store).first)
        try store.patch { db in
            for number in 2...count {
                try db.execute(
                    sql: """
                        INSERT INTO outbox (notification, incident_id, action, tier, topic, payload, created_at, next_attempt_at)
                        VALUES (?, ?, 'notify', 'grid', 'smokegate/notify/grid/g1', '{}', 0, 0)
                        """,
                    arguments: ["call-\(number)", incident])
            }
        }
        let ids = try IDsTakenAheadTests.ids("outbox", store)
        #expect(ids.count == count)
        return (store, ids)
    }

    /// Each row as (sent_at, attempts), in id order.
    static func outcomes(_ store: Store) throws -> [(sentAt: Double?, attempts: Int)] {
        try store.inspect { db in
            try Row.fetchAll(db, sql: "SELECT sent_at, attempts FROM outbox ORDER BY id").map { ($0["sent_at"], $0["attempts"]) }
        }
    }

    /// 300 calls: more than one statement names (`Store.idsPerUpdate`).
    @Test func aBatchLongerThanOneStatementIsMarkedSentOnceEach() throws {
        let (store, ids) = try Self.outboxWithCalls(300)
        let confirmed = Array(ids.dropLast(5))
        try store.markSent(confirmed, at: Date(timeIntervalSince1970: 1_000))
        let outcomes = try Self.outcomes(store)
        for (index, outcome) in outcomes.enumerated() {
            if index < confirmed.count {
                #expect(outcome.sentAt == 1_000 && outcome.attempts == 1, "call \(index + 1) confirmed once")
            } else {
                #expect(outcome.sentAt == nil && outcome.attempts == 0, "call \(index + 1) not confirmed")
            }
        }
        #expect(try store.outboxBacklog() == 5)
    }

    /// A batch the broker did not confirm: every call once more, half a second later.
    @Test func aBatchLongerThanOneStatementIsRetriedOnceEach() throws {
        let (store, ids) = try Self.outboxWithCalls(300)
        try store.markFailed(Array(ids.dropFirst(3)), error: "no PUBACK", at: Date(timeIntervalSince1970: 1_000))
        let rows = try store.inspect { db in
            try Row.fetchAll(db, sql: "SELECT attempts, next_attempt_at, last_error FROM outbox ORDER BY id")
        }
        for (index, row) in rows.enumerated() {
            let (attempts, next, error): (Int, Double, String?) = (row["attempts"], row["next_attempt_at"], row["last_error"])
            if index < 3 {
                #expect(attempts == 0 && error == nil, "call \(index + 1) not failed")
            } else {
                #expect(attempts == 1 && next == 1_000.5 && error == "no PUBACK", "call \(index + 1) failed once")
            }
        }
    }

    @Test(.enabled(if: TestPostgres.requested, "PostgreSQL")) func aBurstsConfirmationsTakeAStatementPerHundreds() throws {
        let (store, ids) = try Self.outboxWithCalls(300)
        // One confirmation first: a statement's first run on a connection prepares it.
        try store.markSent([ids[0]], at: Date(timeIntervalSince1970: 1_000))
        let one = try #require(store.postgresStatements)
        try store.markSent([ids[1]], at: Date(timeIntervalSince1970: 1_000))
        let perTransaction = try #require(store.postgresStatements) - one
        let before = try #require(store.postgresStatements)
        try store.markSent(Array(ids.dropFirst(2)), at: Date(timeIntervalSince1970: 1_001))
        let statements = try #require(store.postgresStatements) - before
        #expect(
            statements <= perTransaction + 1,
            "\(ids.count - 2) confirmations sent \(statements) statements; one sent \(perTransaction)")
        #expect(try store.outboxBacklog() == 0)
    }
}
