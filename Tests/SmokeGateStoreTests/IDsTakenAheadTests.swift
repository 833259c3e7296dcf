import Foundation
import GRDB
import RulebookScenarios
import SmokeGateCore
import SmokeGateTestSupport
import Testing

@testable import SmokeGateStore

/// On PostgreSQL a write transaction takes its incidents' and calls' ids ahead, with its rule
/// reads (`ReservedIDs`), so that a burst does not wait for the server twice per alarm to learn
/// them. The ids must stay what the sequences alone would give: in commit order, and with no
/// gap left by an id taken and not used.
@Suite(.enabled(if: TestPostgres.requested, "PostgreSQL's ids taken ahead"))
struct IDsTakenAheadTests {
    typealias Message = (events: [IncomingEvent], state: DeviceLiveState)

    /// Detectors `burst-0` … `burst-60`, each a venue of its own in grid g1 of the test street.
    static let desk: IncidentDesk = {
        let devices = (0...60).map {
            RegisteredDevice(
                deviceID: "burst-\($0)", gridID: "g1", address: "\($0)栋101", venue: "\($0)栋", venueType: "residential",
                profile: "default")
        }
        return IncidentDesk(
            ladder: RulebookScenario.ladder,
            directory: ResponseDirectory(chain: TestStreet.directory.chain, devices: DeviceRegistry(devices)),
            topicPrefix: "smokegate/notify")
    }()

    static let start = Date(timeIntervalSince1970: 1_795_000_000)

    static func message(_ device: String, _ kind: EventKind, second: Int) -> Message {
        let at = start.addingTimeInterval(Double(second))
        let event = DetectorEvent(deviceID: device, kind: kind, format: .native, identity: .stamped("\(device)-\(second)"))
        return (
            [IncomingEvent(event: event, topic: "smokegate/detectors/\(device)/event", payload: "{}", receivedAt: at)],
            DeviceLiveState(
                deviceID: device, format: .native, lastSeenAt: at, reading: DeviceReading(),
                condition: kind == .alarm ? [.smoke] : [])
        )
    }

    static func ids(_ table: String, _ store: Store) throws -> [Int64] {
        try store.inspect { db in try Int64.fetchAll(db, sql: "SELECT id FROM \(table) ORDER BY id") }
    }

    @Test func aBurstWaitsForItsReadsOnceNotTwiceForEachAlarm() throws {
        let store = try TestDatabase.make(prefix: "ids-ahead").open()
        // One alarm first: each statement's first run on a connection is waited for while it
        // is prepared. The group's own reads are new texts still, prepared in the count below.
        try store.commit([Self.message("burst-0", .alarm, second: 0)], desk: Self.desk)
        let before = try #require(store.postgresRoundTrips)
        try store.commit((1...60).map { Self.message("burst-\($0)", .alarm, second: 1) }, desk: Self.desk)
        let waits = try #require(store.postgresRoundTrips) - before
        #expect(try store.incidents(includeResolved: true, limit: 100).count == 61)
        #expect(try Self.ids("outbox", store).count == 61, "each fire's grid call")
        // BEGIN, the write lock, the group's four reads (each prepared at its first run) with
        // its ids, the writes' answers, COMMIT.
        #expect(waits <= 9, "60 alarms in one group waited for the server \(waits) times")
    }

    @Test func idsLeftUnusedAreGivenBack() throws {
        let store = try TestDatabase.make(prefix: "ids-ahead").open()
        // A group whose clears take ids they do not use, then single messages that do the same.
        try store.commit(
            [
                Self.message("burst-1", .alarm, second: 0), Self.message("burst-2", .alarmClear, second: 0),
                Self.message("burst-3", .alarm, second: 0), Self.message("burst-4", .alarmClear, second: 0),
            ], desk: Self.desk)
        try store.commit([Self.message("burst-5", .alarmClear, second: 1)], desk: Self.desk)
        try store.commit([Self.message("burst-6", .alarm, second: 2)], desk: Self.desk)
        try store.commit([Self.message("burst-7", .alarmClear, second: 3)], desk: Self.desk)
        try store.commit([Self.message("burst-8", .alarm, second: 4)], desk: Self.desk)
        let incidents = try Self.ids("incident", store)
        let calls = try Self.ids("outbox", store)
        #expect(incidents.count == 4)
        #expect(incidents == Array(incidents[0]..<(incidents[0] + 4)), "no gap: \(incidents)")
        #expect(calls == Array(calls[0]..<(calls[0] + 4)), "no gap: \(calls)")
    }

    @Test func aSequenceDrawnFromMeanwhileIsNotSetBack() throws {
        let store = try TestDatabase.make(prefix: "ids-ahead").open()
        let drawnMeanwhile = try store.patch { db in
            let reserved = try #require(db.reservedIDs)
            let draws = reserved.drawQueries(count: 5)
            reserved.keep(try db.fetchRowsTogether(draws.map(\.query))[...], drawnBy: draws)
            #expect(reserved.take(.incident) != nil)
            // Something outside the write lock draws from the sequence: giving the four unused
            // ids back would hand its id out again.
            return try store.writeOutsideLock { other in
                try Int64.fetchOne(other, sql: "SELECT nextval(pg_get_serial_sequence('incident', 'id'))")
            }
        }
        let meanwhile = try #require(drawnMeanwhile)
        try store.commit([Self.message("burst-1", .alarm, second: 0)], desk: Self.desk)
        let incidents = try Self.ids("incident", store)
        #expect(incidents.count == 1)
        #expect(incidents.allSatisfy { $0 > meanwhile }, "incident \(incidents) after the id \(meanwhile) drawn meanwhile")
    }

    @Test func aRolledBackGroupLeavesTheSequenceUsable() throws {
        let store = try TestDatabase.make(prefix: "ids-ahead").open()
        #expect(throws: (any Error).self) {
            try store.patch { db in
                let reserved = try #require(db.reservedIDs)
                let draws = reserved.drawQueries(count: 3)
                reserved.keep(try db.fetchRowsTogether(draws.map(\.query))[...], drawnBy: draws)
                try db.execute(sql: "INSERT INTO no_such_table (id) VALUES (1)")
            }
        }
        try store.commit(
            [Self.message("burst-1", .alarm, second: 0), Self.message("burst-2", .alarm, second: 0)], desk: Self.desk)
        #expect(try Self.ids("incident", store).count == 2)
        #expect(try Self.ids("outbox", store).count == 2)
    }
}
