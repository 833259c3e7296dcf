import Foundation
import GRDB
import SmokeGateCore
import SmokeGateTestSupport
import Testing

@testable import SmokeGateStore

/// A PostgreSQL write transaction keeps its inserts back and sends those of one table
/// together (`KeptInserts`): a burst's group pays one statement per table, not one per row,
/// and what it stores is what it stored row by row. The order of the statements is a rule of
/// its own: a table others refer to goes first.
@Suite struct KeptInsertsTests {
    typealias Message = IDsTakenAheadTests.Message
    static let message = IDsTakenAheadTests.message
    static let desk = IDsTakenAheadTests.desk

    static let timeline = KeptInserts.Target(table: "timeline", columns: "incident_id, at", suffix: "")
    static let incident = KeptInserts.Target(table: "incident", columns: "id, kind", suffix: "")
    static let members = KeptInserts.Target(
        table: "incident_detector", columns: "device_id, incident_id", suffix: "ON CONFLICT DO NOTHING")

    @Test func rowsOfOneTableGoAsOneStatementAndAReferencedTableFirst() {
        var kept = KeptInserts()
        kept.keep([[1, 1.0]], for: Self.timeline)
        kept.keep([[2, "fire"]], for: Self.incident)
        kept.keep([["d2", 2]], for: Self.members)
        kept.keep([[2, 2.0], [2, 2.5]], for: Self.timeline)
        let statements = kept.take()
        #expect(
            statements.map(\.sql) == [
                "INSERT INTO incident (id, kind) VALUES (?, ?)",
                "INSERT INTO timeline (incident_id, at) VALUES (?, ?), (?, ?), (?, ?)",
                "INSERT INTO incident_detector (device_id, incident_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
            ])
        #expect(statements[1].arguments.count == 6)
        #expect(statements[1].arguments[0] as? Int == 1 && statements[1].arguments[5] as? Double == 2.5, "rows in order")
        #expect(kept.isEmpty)
    }

    @Test func aLongRunIsCutUnderPostgreSQLsParameterLimit() {
        var kept = KeptInserts()
        let wide = KeptInserts.Target(
            table: "wide", columns: (1...300).map { "c\($0)" }.joined(separator: ", "), suffix: "")
        kept.keep(Array(repeating: SQLArguments(repeating: 1, count: 300), count: 450), for: wide)
        let statements = kept.take()
        #expect(statements.map(\.rows) == [218, 218, 14])
        #expect(statements.allSatisfy { $0.arguments.count <= KeptInserts.parametersPerStatement })
    }

    @Test(.enabled(if: TestPostgres.requested, "PostgreSQL")) func aBurstSendsItsInsertsTableByTable() throws {
        let store = try TestDatabase.make(prefix: "kept-inserts").open()
        try store.commit([Self.message("burst-0", .alarm, 0)], desk: Self.desk)
        let before = try #require(store.postgresStatements)
        try store.commit((1...60).map { Self.message("burst-\($0)", .alarm, 1) }, desk: Self.desk)
        let statements = try #require(store.postgresStatements) - before
        #expect(try store.incidents(includeResolved: true, limit: 100).count == 61)
        #expect(try IDsTakenAheadTests.ids("outbox", store).count == 61)
        #expect(try store.timeline(of: try IDsTakenAheadTests.ids("incident", store).last!).isEmpty == false)
        // Its five inserts go table by table; its redelivery check goes with the group's reads
        // (`StoredStampsTests`).
        #expect(statements <= 60 + 20, "60 alarms in one group sent \(statements) statements")
    }

    /// An alarm of a fire already stored writes a timeline line first; a new fire after it in
    /// the same group writes its incident, then its line: sent table by table, the incidents
    /// must go first or the new fire's line names an incident not there yet.
    @Test func aGroupWhoseFirstLineIsAnOlderFiresStoresANewFireAfterIt() throws {
        let database = try TestDatabase.make(prefix: "kept-inserts")
        let store = try database.open()
        try store.commit([Self.message("burst-1", .alarm, 0)], desk: Self.desk)
        try store.commit(
            [Self.message("burst-1", .alarmClear, 5), Self.message("burst-2", .alarm, 5)], desk: Self.desk)
        let incidents = try store.incidents(includeResolved: true, limit: 10)
        #expect(incidents.count == 2)
        for incident in incidents { #expect(try !store.timeline(of: incident.id).isEmpty) }
    }

    @Test func aKeptInsertRefusedFailsItsTransactionAndStoresNothing() throws {
        let store = try TestDatabase.make(prefix: "kept-inserts").open()
        try store.commit([Self.message("burst-1", .alarm, 0)], desk: Self.desk)
        let incident = try #require(try IDsTakenAheadTests.ids("incident", store).first)
        #expect(throws: (any Error).self) {
            try store.patch { db in
                try db.insertLater(
                    into: "timeline", columns: "incident_id, at, action", rows: [[incident, 1.0, "note"]], suffix: "")
                // No incident 999999: refused by the foreign key, at the latest before the COMMIT.
                try db.insertLater(
                    into: "timeline", columns: "incident_id, at, action", rows: [[999_999, 1.0, "note"]], suffix: "")
            }
        }
        #expect(try store.timeline(of: incident).allSatisfy { $0.action.rawValue != "note" })
    }
}
