import Foundation
import GRDB
import SmokeGateCore
import SmokeGateTestSupport
import Testing

@testable import SmokeGateStore

/// A PostgreSQL server that dies while it answers (a crash, an immediate shutdown) ends the
/// connection after some of a statement's rows and before the rest. The store must fail that
/// try with the connection's error, which passes on a new connection, and lose nothing
/// stored. PostgresNIO alone stopped the process there (`UnaskedReadCompleteFilter`): the
/// fault suite's database crash took a gateway down with it.
@Suite(.enabled(if: TestPostgres.requested, "a PostgreSQL server gone in the middle of an answer"))
struct ServerGoneMidAnswerTests {
    static let insert = "INSERT INTO device (id, format, first_seen_at, battery, signal) VALUES (?, ?, ?, ?, ?)"
    static let batteries = "SELECT id FROM device WHERE battery > ? ORDER BY id"

    /// A store whose connections pass through `relay`.
    func store() throws -> (Store, TCPRelay) {
        var location = try #require(try TestDatabase.make(prefix: "mid-answer").postgres)
        let relay = try TCPRelay(to: location.port)
        location.port = relay.port
        return (try Store(postgres: location), relay)
    }

    func addDevices(_ range: ClosedRange<Int>, to store: Store) throws {
        try store.durableWrite { db in
            for index in range {
                try db.cachedStatement(sql: Self.insert).execute(arguments: ["det-\(index)", "native", 1.0, 80, -70])
            }
        }
    }

    /// The failure is the connection's, one that may pass: not the statement's, not a stop.
    func expectConnectionLost(_ error: (any Error)?) {
        let failure = error as? PostgresFailure
        #expect(failure != nil, "a PostgreSQL failure, got \(String(describing: error))")
        #expect(failure?.sqlState == nil, "the connection's failure: \(String(describing: failure))")
        #expect(failure?.isPermanent == false)
    }

    @Test func aWriteWhoseAnswerStopsAfterARowFailsAndTheNextOnePasses() throws {
        let (store, relay) = try store()
        try addDevices(1...20, to: store)

        relay.endAfterNextRow()
        var failure: (any Error)?
        do { try addDevices(21...21, to: store) } catch { failure = error }
        #expect(relay.connectionsEndedInAnswer == 1, "the relay ended the connection in an answer")
        expectConnectionLost(failure)

        try addDevices(21...40, to: store)
        #expect(try store.devices().map(\.id).sorted() == (1...40).map { "det-\($0)" }.sorted())
    }

    @Test func aReadWhoseRowsStopHalfwayFailsAndTheNextOneReadsThemAll() throws {
        let (store, relay) = try store()
        try addDevices(1...300, to: store)
        let read = { try store.read { db in try String.fetchAll(db.cachedStatement(sql: Self.batteries), arguments: [10]) } }
        #expect(try read().count == 300)

        relay.endAfterNextRow()
        var failure: (any Error)?
        do { _ = try read() } catch { failure = error }
        #expect(relay.connectionsEndedInAnswer == 1)
        expectConnectionLost(failure)
        #expect(try read().count == 300)
    }
}
