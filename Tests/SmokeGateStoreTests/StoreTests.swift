import Foundation
import GRDB
import SmokeGateCore
import SmokeGateTestSupport
import Testing

@testable import SmokeGateStore

/// The SQLite store on a real database file.
@Suite struct StoreTests {
    let database: TestDatabase
    let store: Store
    let t0 = Date(timeIntervalSince1970: 1_795_334_400)

    init() throws {
        database = try TestDatabase.make(prefix: "store")
        store = try database.open()
    }

    func alarm(_ device: String, identity: EventIdentity, at time: Date) -> IncomingEvent {
        IncomingEvent(
            event: DetectorEvent(deviceID: device, kind: .alarm, format: .native, identity: identity),
            topic: "smokegate/detectors/\(device)/event", payload: #"{"type":"alarm"}"#, receivedAt: time)
    }

    func state(_ device: String, at time: Date, condition: DeviceCondition = [.smoke]) -> DeviceLiveState {
        DeviceLiveState(
            deviceID: device, format: .native, lastSeenAt: time, reading: DeviceReading(battery: 80), condition: condition)
    }

    @Test func aRedeliveredStampedEventIsStoredOnce() throws {
        let event = alarm("det-1", identity: .stamped("1795334400#42"), at: t0)
        #expect(try store.commit([event], state: state("det-1", at: t0), desk: nil).stored == [true])
        var later = event
        later.receivedAt = t0.addingTimeInterval(3_600)
        #expect(try store.commit([later], state: state("det-1", at: later.receivedAt), desk: nil).stored == [false])
        #expect(try store.events(device: "det-1").count == 1)
    }

    @Test func anUnstampedRepeatIsARedeliveryOnlyAtASessionsStartAndOnlyOfTheLastEvent() throws {
        // `{"type":"alarm","seq":7}` again after the detector rebooted: the same bytes, and new.
        let event = alarm("det-1", identity: .payloadDigest(7), at: t0)
        #expect(try store.commit([event], state: state("det-1", at: t0), desk: nil).stored == [true])
        var again = event
        again.receivedAt = t0.addingTimeInterval(5)
        #expect(
            try store.commit([again], state: state("det-1", at: again.receivedAt), desk: nil).stored == [true],
            "a counter restarted")
        // The broker resending it as a new session opens: a redelivery of the last event.
        var resent = again
        resent.mayBeRedelivery = true
        #expect(try store.commit([resent], state: state("det-1", at: resent.receivedAt), desk: nil).stored == [false])
        // Not the detector's last event any more (it cleared since): new, whenever it comes.
        let clear = IncomingEvent(
            event: DetectorEvent(deviceID: "det-1", kind: .alarmClear, format: .native, identity: .payloadDigest(8)),
            topic: "smokegate/detectors/det-1/event", payload: "{}", receivedAt: t0.addingTimeInterval(10))
        try store.commit([clear], state: state("det-1", at: clear.receivedAt), desk: nil)
        resent.receivedAt = t0.addingTimeInterval(20)
        #expect(try store.commit([resent], state: state("det-1", at: resent.receivedAt), desk: nil).stored == [true])
        #expect(try store.events(device: "det-1").filter { $0.kind == "alarm" }.count == 3)
    }

    @Test func readingsDroppedFromAnEventAreNotedOnItsRow() throws {
        var event = alarm("det-1", identity: .stamped("n"), at: t0)
        event.event.notes = ["battery: 101 is outside 0–100, dropped", "ts: no zone, dropped"]
        try store.commit([event], state: state("det-1", at: t0), desk: nil)
        #expect(try store.events(device: "det-1").first?.notes == "battery: 101 is outside 0–100, dropped; ts: no zone, dropped")
    }

    @Test func aHeartbeatFlushNeverPutsAnOlderConditionBack() throws {
        // A batch read from memory with the detector clear; an alarm committed before it is written.
        let batch = [state("det-1", at: t0, condition: [])]
        try store.commit(
            [alarm("det-1", identity: .stamped("a"), at: t0.addingTimeInterval(1))],
            state: state("det-1", at: t0, condition: [.smoke]), desk: nil)
        try store.flush(batch)
        #expect(try store.devices().first { $0.id == "det-1" }?.condition == [.smoke])
    }

    @Test func committedStateSurvivesAndSeedsTheNextStart() throws {
        try store.commit([alarm("det-1", identity: .stamped("a"), at: t0)], state: state("det-1", at: t0), desk: nil)
        try store.flush([state("det-2", at: t0, condition: [.batteryLow])])
        let reopened = try database.open()
        let states = try reopened.loadLiveStates()
        #expect(states["det-1"]?.condition == [.smoke])
        #expect(states["det-2"]?.condition == [.batteryLow])
        #expect(states["det-2"]?.reading.battery == 80)
        #expect(try reopened.devices().first { $0.id == "det-1" }?.lastEvent == "alarm")
    }

    @Test func aFlushNeverMovesLastSeenBackwards() throws {
        try store.flush([state("det-1", at: t0.addingTimeInterval(10))])
        try store.flush([state("det-1", at: t0)])
        #expect(try store.devices().first?.lastSeenAt == t0.addingTimeInterval(10))
    }

    @Test func theRegistryIsSyncedAndUnlistedDevicesKept() throws {
        try store.flush([state("stranger", at: t0)])
        try store.syncRegistry([
            RegisteredDevice(
                deviceID: "det-1", gridID: "g1", address: "北湖路1号", venue: "北湖小区3栋", venueType: "residential", profile: "default")
        ])
        let devices = try store.devices()
        #expect(devices.map(\.id) == ["det-1", "stranger"])
        #expect(devices[0].registered && !devices[1].registered)
        #expect(devices[0].address == "北湖路1号")

        // A later registry: det-1 moves, det-2 and 设备-3 are new, and the stranger stays unlisted.
        let moved = [
            RegisteredDevice(
                deviceID: "设备-3", gridID: "g2", address: "东街3号", venue: "东街", venueType: "shop", profile: "default"),
            RegisteredDevice(
                deviceID: "det-2", gridID: "g1", address: "北湖路2号", venue: "北湖小区3栋", venueType: "residential", profile: "nbiot"),
            RegisteredDevice(
                deviceID: "det-1", gridID: "g2", address: "北湖路1号", venue: "北湖小区3栋", venueType: "residential", profile: "default"),
        ]
        try store.syncRegistry(DeviceRegistry(moved))
        try store.syncRegistry(DeviceRegistry(moved))
        let again = try store.devices()
        #expect(
            Dictionary(uniqueKeysWithValues: again.map { ($0.id, $0.registered) })
                == ["det-1": true, "det-2": true, "设备-3": true, "stranger": false])
        #expect(again.first { $0.id == "det-1" }?.grid == "g2" && again.first { $0.id == "det-2" }?.profile == "nbiot")

        // And a registry that drops det-2: it stays known, unregistered.
        try store.syncRegistry(DeviceRegistry(moved.filter { $0.deviceID != "det-2" }))
        #expect(try store.devices().first { $0.id == "det-2" }?.registered == false)
    }

    @Test func aRestartOnTheSameRegistryWritesNothing() throws {
        let registry: DeviceRegistry = [
            RegisteredDevice(
                deviceID: "det-1", gridID: "g1", address: "北湖路1号", venue: "北湖小区3栋", venueType: "residential", profile: "default")
        ]
        try store.syncRegistry(registry)
        let synced = try store.inspect { db in try Row.fetchOne(db, sql: "SELECT fingerprint, devices FROM registry_sync") }
        #expect(synced?["fingerprint"] == registry.fingerprint && synced?["devices"] == 1)
        // Whatever commits moves SQLite's `data_version` (seen from a second connection), or
        // PostgreSQL's transaction counter.
        let observer = database.isPostgres ? nil : try DatabaseQueue(path: store.path)
        let version = try commitMark(observer)
        try store.syncRegistry(DeviceRegistry(Array(registry)))
        #expect(try commitMark(observer) == version, "no commit at all")

        var moved = registry
        moved.insertOrReplace(
            RegisteredDevice(
                deviceID: "det-1", gridID: "g2", address: "北湖路1号", venue: "北湖小区3栋", venueType: "residential", profile: "default"))
        try store.syncRegistry(moved)
        #expect(try commitMark(observer) != version)
        #expect(try store.devices().first?.grid == "g2")
        #expect(
            try store.inspect { db in try String.fetchOne(db, sql: "SELECT fingerprint FROM registry_sync") } == moved.fingerprint
        )
    }

    /// A mark that moves whenever a transaction commits a change to the registry's rows:
    /// SQLite's `data_version` as the second connection `observer` sees it, or on PostgreSQL the ids of the
    /// transactions that last wrote each row (`xmin`).
    private func commitMark(_ observer: DatabaseQueue?) throws -> String {
        if let observer { return try observer.read { db in try String.fetchOne(db, sql: "PRAGMA data_version") } ?? "" }
        return try store.inspect { db in
            try String.fetchOne(
                db,
                sql: """
                    SELECT (SELECT string_agg(xmin::text, ',' ORDER BY id) FROM device) || '/'
                      || (SELECT string_agg(xmin::text, ',') FROM registry_sync)
                    """) ?? ""
        }
    }

    @Test func aRegistryWrittenInPartsIsTrustedOnlyOnceTheLastPartIsIn() throws {
        func detector(_ n: Int, grid: String = "g1") -> RegisteredDevice {
            RegisteredDevice(
                deviceID: "det-\(n)", gridID: grid, address: "北湖路\(n)号", venue: n.isMultiple(of: 5) ? "" : "北湖小区\(n / 4)栋",
                venueType: "residential", profile: "default")
        }
        try store.syncRegistry([
            detector(0, grid: "g0"),
            RegisteredDevice(
                deviceID: "old-1", gridID: "g1", address: "西街1号", venue: "", venueType: "shop", profile: "default"),
        ])
        let registry = DeviceRegistry((0..<25).map { detector($0) })
        func registered() throws -> Set<String> { Set(try store.devices().filter(\.registered).map(\.id)) }

        // 25 detectors to write (det-0 moved grid) and old-1 to unregister.
        let changes = try #require(try store.registryChanges(registry))
        #expect(changes.rowCount == 26)
        try store.write(changes, of: registry, rows: 0..<10)
        #expect(try store.inspect { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM registry_sync") } == 0)
        #expect(try registered() == Set((0..<10).map { "det-\($0)" } + ["old-1"]))

        // Stopped there, the next start compares again and finds only what is left.
        let rest = try #require(try store.registryChanges(registry), "a half-written table is not trusted")
        #expect(rest.rowCount == 16)
        try store.write(rest, of: registry, rows: 0..<10)
        try store.write(rest, of: registry, rows: 10..<16)
        #expect(try registered() == Set((0..<25).map { "det-\($0)" }))
        #expect(try store.registryChanges(registry) == nil)
        #expect(try store.devices().first { $0.id == "det-0" }?.grid == "g1")

        // Compared byte for byte, empty venues included, the table now matches the registry.
        try store.patch { db in try db.execute(sql: "DELETE FROM registry_sync") }
        #expect(try store.registryChanges(registry)?.rowCount == 0)
    }

    /// An empty field is stored as empty text, never NULL, even when no detector in the
    /// registry has that field at all and its packed column holds no bytes.
    @Test func emptyFieldsAreStoredAsEmptyTextNotNull() throws {
        let registry = DeviceRegistry(
            (0..<3).map {
                RegisteredDevice(deviceID: "det-\($0)", gridID: "g1", address: "", venue: "", venueType: "", profile: "default")
            })
        try store.syncRegistry(registry)
        let nulls = try store.inspect { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM device WHERE address IS NULL OR venue IS NULL OR venue_type IS NULL")
        }
        #expect(nulls == 0)
        try store.patch { db in try db.execute(sql: "DELETE FROM registry_sync") }
        #expect(try store.registryChanges(registry)?.rowCount == 0, "compared again, nothing differs")
    }

    @Test func rejectedMessagesAreKeptAndPrunedOldestFirst() throws {
        let rejections = (0..<30).map {
            RejectedMessage(
                receivedAt: t0, topic: "t/\($0)", format: .native, rejection: Rejection(.invalidJSON, "bad \($0)"),
                payload: [0xFF])
        }
        try store.record(rejections, keep: 10)
        let kept = try store.rejectedMessages()
        #expect(kept.count == 10)
        #expect(kept.first?.topic == "t/20")
        #expect(kept.last?.detail == "bad 29")
    }

    @Test func statusRoundTrips() throws {
        let status = GatewayStatus(
            pid: 7, clientID: "c", broker: "127.0.0.1:1883", startedAt: t0, updatedAt: t0, connected: true, received: 5,
            rejected: 1, heartbeats: 3, events: 1, duplicates: 0, byFormat: ["native": 5], byReason: ["invalid_json": 1])
        try store.write(status)
        #expect(try database.open(readOnly: true).readStatus() == status)
    }
}
