import Foundation
import GRDB
import SmokeGateCore
import SmokeGateTestSupport
import Testing

@testable import SmokeGateStore

/// A group's stamped messages are checked for redeliveries in one statement (`StoredStamps`),
/// with each message's own window, as one message alone is checked (`redeliveryQuery`).
@Suite struct StoredStampsTests {
    static let desk = IDsTakenAheadTests.desk
    static let start = IDsTakenAheadTests.start

    /// `device`'s `kind` stamped `stamp` by its sender, received `days` after `start`.
    static func message(_ device: String, _ kind: EventKind, stamp: String, days: Double) -> IDsTakenAheadTests.Message {
        let at = start.addingTimeInterval(days * 86_400)
        let event = DetectorEvent(deviceID: device, kind: kind, format: .native, identity: .stamped(stamp))
        return (
            [IncomingEvent(event: event, topic: "smokegate/detectors/\(device)/event", payload: "{}", receivedAt: at)],
            DeviceLiveState(
                deviceID: device, format: .native, lastSeenAt: at, reading: DeviceReading(),
                condition: kind == .alarm ? [.smoke] : [])
        )
    }

    static func stored(_ stamp: String, _ store: Store) throws -> Int {
        try store.inspect { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM event WHERE dedupe_key = ?", arguments: ["s:" + stamp])
        }
            ?? 0
    }

    @Test func aGroupRecognisesEachStampWithinItsOwnWindow() throws {
        let store = try TestDatabase.make(prefix: "stored-stamps").open()
        try store.commit([Self.message("burst-1", .alarm, stamp: "old", days: 0)], desk: Self.desk)
        try store.commit([Self.message("burst-2", .alarm, stamp: "recent", days: 2)], desk: Self.desk)
        let window = Store.stampedWindow / 86_400
        try store.commit(
            [
                // Past its window: a new message that happens to carry an old stamp.
                Self.message("burst-1", .alarm, stamp: "old", days: window + 0.5),
                // Within it: the platform sending again what was stored.
                Self.message("burst-2", .alarm, stamp: "recent", days: window + 0.5),
                Self.message("burst-3", .alarm, stamp: "new", days: window + 0.5),
                // Another kind under a stamp stored for an alarm: not the same message.
                Self.message("burst-2", .fault, stamp: "recent", days: window + 0.5),
            ], desk: Self.desk)
        #expect(try Self.stored("old", store) == 2)
        #expect(try Self.stored("recent", store) == 2, "the alarm once, the fault once")
        #expect(try Self.stored("new", store) == 1)
    }

    @Test(.enabled(if: TestPostgres.requested, "PostgreSQL")) func aBurstsStampsAreCheckedInOneStatement() throws {
        let store = try TestDatabase.make(prefix: "stored-stamps").open()
        try store.commit([IDsTakenAheadTests.message("burst-0", .alarm, second: 0)], desk: Self.desk)
        try store.commit(
            (1...2).map { IDsTakenAheadTests.message("burst-\($0)", .alarm, second: 1) }, desk: Self.desk)
        let before = try #require(store.postgresStatements)
        try store.commit(
            (3...60).map { IDsTakenAheadTests.message("burst-\($0)", .alarm, second: 2) }, desk: Self.desk)
        let statements = try #require(store.postgresStatements) - before
        #expect(try store.incidents(includeResolved: true, limit: 100).count == 61)
        // The group's reads, its ids, its inserts table by table, its detectors' rows: none per alarm.
        #expect(statements <= 30, "58 stamped alarms in one group sent \(statements) statements")
    }

    /// Each identity is found through the event table's identity index, on a table long
    /// enough for a planner to care, not by a scan or through the time index.
    @Test func theReadGoesThroughTheIdentityIndex() throws {
        let store = try TestDatabase.make(prefix: "stored-stamps").open()
        try store.patch { db in
            let rows: [SQLArguments] = (0..<20_000).map { number in
                [
                    "d\(number % 2_000)", "alarm", "native", "t", nil, Double(number), nil, "s:k\(number)", nil, nil, nil,
                    nil, "{}", nil, nil,
                ]
            }
            try db.insertLater(into: "event", columns: Store.eventColumns, rows: rows, suffix: "")
        }
        try store.patch { db in try db.execute(sql: "ANALYZE event") }
        let firsts = (0..<60).map { Self.message("d\($0)", .alarm, stamp: "k\($0)", days: 0).0[0] }
        let query = try #require(StoredStamps.query(firsts))
        let explain = store.postgresStatements == nil ? "EXPLAIN QUERY PLAN " : "EXPLAIN "
        let plan = try store.inspect { db in
            try Row.fetchAll(db, sql: explain + query.sql, arguments: query.arguments)
                .flatMap { row in row.databaseValues.compactMap { String.fromDatabaseValue($0) } }
        }.joined(separator: "\n")
        #expect(plan.contains("event_by_identity"), "\(plan)")
        #expect(!plan.contains("event_by_time"), "\(plan)")
    }
}
