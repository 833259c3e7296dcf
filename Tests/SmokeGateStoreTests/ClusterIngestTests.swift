import Foundation
import GRDB
import SmokeGateCore
import SmokeGateTestSupport
import Synchronization
import Testing

@testable import SmokeGateStore

/// Two gateways of a cluster, gw-a and gw-b, each holding its own broker session and
/// committing every message it hears into the one shared store (on SQLite: two stores on one
/// file; with `SMOKEGATE_TEST_STORE=postgres`: one PostgreSQL database). Timelines in seconds
/// from t0, each copy stamped with the moment its node heard it.
@Suite struct ClusterIngestTests {
    let database: TestDatabase
    let a: Store
    let b: Store
    let desk: IncidentDesk
    static let t0 = Date(timeIntervalSince1970: 1_795_334_400)

    init() throws {
        database = try TestDatabase.make(prefix: "cluster-ingest")
        a = try database.open(node: "gw-a")
        b = try database.open(node: "gw-b")
        let grid = Grid(id: "g1", name: "第一网格", contacts: [Contact(id: "w", name: "网格员", phone: "1")], evacuation: nil)
        let chain = ResponseChain(
            stations: [Station(id: "wgxz", name: "站", contacts: [])],
            streets: [
                Street(
                    id: "yongquan", name: "涌泉街道", stationID: "wgxz", contacts: [],
                    communities: [Community(id: "c1", name: "社区", contacts: [], grids: [grid])])
            ])
        let devices = [
            RegisteredDevice(
                deviceID: "det-1", gridID: "g1", address: "3栋", venue: "3栋", venueType: "residential", profile: "default")
        ]
        desk = IncidentDesk(
            ladder: .standard, directory: ResponseDirectory(chain: chain, devices: DeviceRegistry(devices)),
            topicPrefix: "smokegate/notify")
    }

    /// A native detector's message: no stamp of its own, known by its bytes.
    struct Message {
        var device: String
        var kind: EventKind
        var payload: String

        init(_ payload: String, kind: EventKind = .alarm, device: String = "det-1") {
            self.payload = payload
            self.kind = kind
            self.device = device
        }

        var topic: String { "smokegate/detectors/\(device)/event" }

        func copy(at seconds: TimeInterval, catchUp: Bool = false) -> IncomingEvent {
            let digest = RawMessage(topic: topic, payload: Array(payload.utf8), receivedAt: ClusterIngestTests.t0).digest
            return IncomingEvent(
                event: DetectorEvent(deviceID: device, kind: kind, format: .native, identity: .payloadDigest(digest)),
                topic: topic, payload: payload, receivedAt: ClusterIngestTests.at(seconds), mayBeRedelivery: catchUp)
        }
    }

    static func at(_ seconds: TimeInterval) -> Date { t0.addingTimeInterval(seconds) }

    static let alarm = Message(#"{"type":"alarm","seq":7}"#)
    static let clear = Message(#"{"type":"alarm_clear","seq":8}"#, kind: .alarmClear)

    /// `store`'s node hears `message` at `seconds`; whether it stored it.
    @discardableResult
    static func hear(
        _ store: Store, _ message: Message, at seconds: TimeInterval, catchUp: Bool = false, desk: IncidentDesk? = nil
    ) throws -> CommittedEvents {
        let condition: DeviceCondition = message.kind == .alarm ? [.smoke] : []
        return try store.commit(
            [message.copy(at: seconds, catchUp: catchUp)],
            state: DeviceLiveState(
                deviceID: message.device, format: .native, lastSeenAt: at(seconds), reading: DeviceReading(),
                condition: condition),
            desk: desk)
    }

    func hear(_ store: Store, _ message: Message, at seconds: TimeInterval, catchUp: Bool = false) throws -> Bool {
        try Self.hear(store, message, at: seconds, catchUp: catchUp).stored == [true]
    }

    /// The events stored, oldest first: which node stored each, and when it heard it.
    func events() throws -> [(id: Int64, node: String?, at: TimeInterval)] {
        try a.inspect { db in
            try Row.fetchAll(db, sql: "SELECT id, node, received_at FROM event ORDER BY id").map {
                ($0["id"], $0["node"], ($0["received_at"] as Double) - Self.t0.timeIntervalSince1970)
            }
        }
    }

    /// The copies recognised: (event id, node whose copy it was).
    func echoes() throws -> [(event: Int64, node: String)] {
        try a.inspect { db in
            try Row.fetchAll(db, sql: "SELECT event_id, node FROM event_echo ORDER BY event_id, node").map {
                ($0["event_id"], $0["node"])
            }
        }
    }

    @Test func theOtherNodesCopyOfAnAlarmIsRecognisedAndOpensNothing() throws {
        let first = try Self.hear(a, Self.alarm, at: 0, desk: desk)
        #expect(first.stored == [true] && first.effects.opened == 1 && first.effects.notifications == 1)
        // gw-b heard the same message from its own session 200 ms later.
        let second = try Self.hear(b, Self.alarm, at: 0.2, desk: desk)
        #expect(second.stored == [false] && second.effects.isEmpty)
        let events = try events()
        #expect(events.count == 1 && events[0].node == "gw-a")
        #expect(try echoes().map(\.event) == [events[0].id] && echoes().map(\.node) == ["gw-b"])
        #expect(try a.incidents(includeResolved: true).count == 1)
        #expect(try a.notifications(of: 1).map(\.topic) == ["smokegate/notify/grid/g1"], "one grid call")
    }

    @Test func identicalRepeatsStayAsManyEventsAsOneNodeHeard() throws {
        // The detector sends the same bytes twice; both nodes hear both.
        #expect(try hear(a, Self.alarm, at: 0))
        #expect(try hear(a, Self.alarm, at: 5))
        #expect(try !hear(b, Self.alarm, at: 0.3))
        #expect(try !hear(b, Self.alarm, at: 5.2))
        // A third time, which gw-a missed: no event of gw-a's is left unmatched, so it is new.
        #expect(try hear(b, Self.alarm, at: 10.1))
        let events = try events()
        #expect(events.map(\.node) == ["gw-a", "gw-a", "gw-b"])
        #expect(try echoes().map(\.event) == [events[0].id, events[1].id], "one copy matches one event, the oldest first")
    }

    @Test func whicheverNodeCommitsFirstStoresAndTheOtherMatches() throws {
        #expect(try hear(b, Self.alarm, at: 0.1))
        #expect(try !hear(a, Self.alarm, at: 0.4))
        // gw-a heard this one first but committed second (it waited for the write lock): its
        // stamp is earlier than the event it matches.
        #expect(try hear(b, Self.clear, at: 3.0))
        #expect(try !hear(a, Self.clear, at: 2.9))
        #expect(try events().map(\.node) == ["gw-b", "gw-b"])
        #expect(try echoes().map(\.node) == ["gw-a", "gw-a"])
    }

    @Test func aCopyOutsideTheWindowIsStoredAndACatchUpCopyWithinFifteenMinutesMatches() throws {
        #expect(try hear(a, Self.alarm, at: 0))
        #expect(try hear(b, Self.alarm, at: Store.clusterEchoWindow + 1), "too late to be the same message: heard")

        // gw-b is away; gw-a hears an alarm and its clear. Ten minutes on, gw-b's session is
        // resumed and the broker hands it both.
        let alarm = Message(#"{"type":"alarm","seq":9}"#)
        let clear = Message(#"{"type":"alarm_clear","seq":10}"#, kind: .alarmClear)
        #expect(try hear(a, alarm, at: 100))
        #expect(try hear(a, clear, at: 160))
        #expect(try !hear(b, alarm, at: 700, catchUp: true))
        // The clear repeats the detector's last stored event at a session's start: the
        // redelivery rule drops it, and it is marked as gw-b's copy all the same.
        #expect(try !hear(b, clear, at: 700.1, catchUp: true))
        #expect(try events().count == 4)
        #expect(try echoes().count == 2)

        // Back after more than fifteen minutes: stored again (a duplicate line, not a lost alarm).
        let late = Message(#"{"type":"alarm","seq":11}"#)
        #expect(try hear(a, late, at: 2_000))
        #expect(try hear(a, Message(#"{"type":"alarm_clear","seq":12}"#, kind: .alarmClear), at: 2_060))
        #expect(try hear(b, late, at: 2_000 + Store.clusterCatchUpWindow + 1, catchUp: true))
    }

    @Test func aCopyTheRedeliveryRulesDroppedStillUsesUpItsTwin() throws {
        // gw-b's session resumes as gw-a stores an alarm; gw-b's copy repeats the detector's
        // last stored event at a session's start, so the redelivery rule drops it.
        #expect(try hear(a, Self.alarm, at: 0))
        #expect(try !hear(b, Self.alarm, at: 2, catchUp: true))
        #expect(try echoes().count == 1)
        // The detector sends the same bytes again and only gw-b hears it: new, not a second
        // copy of the first.
        #expect(try hear(b, Self.alarm, at: 10))
        #expect(try events().map(\.node) == ["gw-a", "gw-b"])
    }

    @Test func aStampedCopyIsKnownByItsStampAndMarked() throws {
        let stamped = IncomingEvent(
            event: DetectorEvent(deviceID: "det-1", kind: .alarm, format: .ctwing, identity: .stamped("1795334400#42")),
            topic: "push:ctwing", payload: "{}", receivedAt: Self.at(0))
        let state = DeviceLiveState(
            deviceID: "det-1", format: .ctwing, lastSeenAt: Self.at(0), reading: DeviceReading(), condition: [.smoke])
        #expect(try a.commit([stamped], state: state, desk: nil).stored == [true])
        #expect(try b.commit([stamped], state: state, desk: nil).stored == [false])
        #expect(try echoes().map(\.node) == ["gw-b"])
    }

    @Test func aGatewayOnItsOwnIngestsAsBefore() throws {
        let single = try database.open()
        #expect(try hear(single, Self.alarm, at: 0))
        #expect(try hear(single, Self.alarm, at: 5), "the same bytes again: a new alarm")
        #expect(try !hear(single, Self.alarm, at: 6, catchUp: true), "the broker resending the last: a redelivery")
        // Events a node stored are nobody's twin for a gateway that is not in the cluster.
        #expect(try hear(a, Self.clear, at: 10))
        #expect(try hear(single, Self.clear, at: 10.2))
        #expect(try events().map(\.node) == [nil, nil, "gw-a", nil])
        #expect(try echoes().isEmpty)
    }

    @Test func aGatewayOnItsOwnRunsNoStatementOfTheCluster() throws {
        let single = try database.open()
        // The statements its commit runs, as SQLite's writer connection sees them.
        guard case .sqlite(let pool) = single.engine else { return }
        let statements = Mutex<[String]>([])
        try pool.write { db in db.trace { event in statements.withLock { $0.append("\(event)") } } }
        #expect(try hear(single, Self.alarm, at: 0))
        let seen = statements.withLock { $0 }
        #expect(seen.contains { $0.contains("INSERT INTO event (") })
        #expect(!seen.contains { $0.contains("event_echo") })
    }
}

extension TestDatabase {
    /// A store on this database that writes for cluster node `node`.
    func open(node: String) throws -> Store {
        if let postgres { return try Store(postgres: postgres, node: node) }
        return try Store(path: path, node: node)
    }
}
