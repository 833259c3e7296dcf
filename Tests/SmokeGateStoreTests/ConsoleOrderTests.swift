import Foundation
import SmokeGateCore
import SmokeGateStore
import SmokeGateTestSupport
import Testing

/// The order the console lists incidents in, decided by the store so that a limit cuts the
/// least urgent rows: a fire opened after a thousand low-battery jobs is first, not cut.
@Suite struct ConsoleOrderTests {
    let store: Store
    let t0 = Date(timeIntervalSince1970: 1_795_334_400)
    let desk: IncidentDesk

    /// Detectors that report low batteries, far more than any screen or default limit holds.
    static let tiredDetectors = 1_005

    init() throws {
        let path = try TemporaryFolder.make(prefix: "console-order").appendingPathComponent("smokegate.db").path
        store = try TestDatabase(path: path).open()
        let grid = Grid(id: "g1", name: "第一网格", contacts: [Contact(id: "w", name: "网格员", phone: "1")], evacuation: nil)
        let chain = ResponseChain(
            stations: [Station(id: "wgxz", name: "站", contacts: [])],
            streets: [
                Street(
                    id: "yongquan", name: "涌泉街道", stationID: "wgxz", contacts: [],
                    communities: [Community(id: "c1", name: "社区", contacts: [], grids: [grid])])
            ])
        let ids = ["fire-a", "fire-b", "fire-silenced", "fire-new"] + (0..<Self.tiredDetectors).map { "lb-\($0)" }
        let devices = ids.map {
            RegisteredDevice(
                deviceID: $0, gridID: "g1", address: "\($0)室", venue: $0, venueType: "residential", profile: "default")
        }
        desk = IncidentDesk(
            ladder: .standard, directory: ResponseDirectory(chain: chain, devices: DeviceRegistry(devices)),
            topicPrefix: "smokegate/notify")
    }

    func at(_ seconds: TimeInterval) -> Date { t0.addingTimeInterval(seconds) }

    func send(_ kind: EventKind, from devices: [String], at seconds: TimeInterval) throws {
        let events = devices.enumerated().map { index, device in
            IncomingEvent(
                event: DetectorEvent(deviceID: device, kind: kind, format: .native, identity: .stamped("1")),
                topic: "smokegate/detectors/\(device)/event", payload: "{}", receivedAt: at(seconds + Double(index)))
        }
        let state = DeviceLiveState(
            deviceID: devices[0], format: .native, lastSeenAt: at(seconds), reading: DeviceReading(), condition: [])
        try store.commit(events, state: state, desk: desk)
    }

    /// Two fires, a thousand and five low batteries, a silenced fire, and a new fire last.
    func openTheStreet() throws -> (acked: Int64, open: Int64, silenced: Int64, new: Int64) {
        try send(.alarm, from: ["fire-a"], at: 10)
        try send(.alarm, from: ["fire-b"], at: 20)
        try send(.lowBattery, from: (0..<Self.tiredDetectors).map { "lb-\($0)" }, at: 100)
        _ = try store.addSilence(
            .device("fire-silenced"), reason: "厨房装修", by: "王伟", osUser: nil, from: at(1_400), until: at(90_000))
        try send(.alarm, from: ["fire-silenced"], at: 1_500)
        try send(.alarm, from: ["fire-new"], at: 2_000)
        let fires = try store.incidents(includeResolved: true, limit: 100_000).filter { $0.kind == .fire }
        func id(_ device: String) throws -> Int64 { try #require(fires.first { $0.site.deviceID == device }).id }
        let acked = try id("fire-a")
        _ = try store.acknowledge(acked, by: "王伟", note: nil, at: at(2_100), desk: desk)
        return (acked, try id("fire-b"), try id("fire-silenced"), try id("fire-new"))
    }

    @Test func aNewFireComesFirstWhateverMaintenanceIsOpen() throws {
        let fires = try openTheStreet()
        let all = try store.incidents()
        #expect(all.count == 4 + Self.tiredDetectors)
        #expect(all.prefix(4).map(\.id) == [fires.new, fires.open, fires.acked, fires.silenced])
        #expect(all[0].state == .open && all[0].silencedBy == nil, "the fire nobody has answered, newest first")
        let maintenance = all.dropFirst(4)
        #expect(maintenance.allSatisfy { $0.kind == .lowBattery })
        #expect(maintenance.first?.site.deviceID == "lb-\(Self.tiredDetectors - 1)", "maintenance newest first")
        #expect(zip(maintenance, maintenance.dropFirst()).allSatisfy { $0.openedAt >= $1.openedAt })

        // The console's default limit, and a screen of rows: the fires are what is kept.
        #expect(try store.incidents(limit: 1_000).first?.id == fires.new)
        #expect(try store.incidents(limit: 2).map(\.id) == [fires.new, fires.open])
        #expect(try store.incidents(kind: .fire, limit: 10).map(\.id) == [fires.new, fires.open, fires.acked, fires.silenced])
        #expect(try store.incidents(kind: .lowBattery, limit: 3).map(\.site.deviceID) == ["lb-1004", "lb-1003", "lb-1002"])
    }

    @Test func countsByKindAndStateAddUpWithWhatIsShown() throws {
        let fires = try openTheStreet()
        let (shown, counts) = try store.incidentsWithCounts(limit: 1_000)
        #expect(shown.count == 1_000 && shown.first?.id == fires.new)
        #expect(counts.count() == 4 + Self.tiredDetectors && counts.total == counts.count() && counts.resolved == 0)
        #expect(counts.count(kind: .fire) == 4 && counts.count(kind: .lowBattery) == Self.tiredDetectors)
        #expect(counts.count(kind: .fire, state: .open, silenced: false) == 2)
        #expect(counts.count(kind: .fire, state: .acknowledged) == 1 && counts.count(kind: .fire, silenced: true) == 1)
        #expect(counts.count(kind: .offline) == 0)
        #expect(try store.incidentCounts(kind: .fire).count() == 4)
    }

    @Test func resolvedIncidentsFollowTheUnresolvedNewestFirst() throws {
        let fires = try openTheStreet()
        _ = try store.resolve(fires.open, by: "王伟", cause: "cooking", note: nil, at: at(2_200), desk: desk)
        let lowest = try #require(try store.incidents(kind: .lowBattery, limit: 2_000).last)
        _ = try store.resolve(lowest.id, by: "王伟", cause: "battery replaced", note: nil, at: at(2_300), desk: desk)

        let everything = try store.incidents(includeResolved: true, limit: 10_000)
        #expect(everything.count == 4 + Self.tiredDetectors)
        #expect(everything.prefix(3).map(\.id) == [fires.new, fires.acked, fires.silenced])
        #expect(everything.suffix(2).map(\.id) == [lowest.id, fires.open], "resolved last, newest first")
        #expect(try store.incidents(includeResolved: true, kind: .fire, limit: 10).map(\.id).last == fires.open)

        let counts = try store.incidentCounts(includeResolved: true)
        #expect(counts.resolved == 2 && counts.count() == 2 + Self.tiredDetectors && counts.total == everything.count)
        #expect(try store.incidentCounts(includeResolved: true, kind: .fire).resolved == 1)
        #expect(try store.incidentCounts().resolved == 0, "resolved ones are counted only when asked for")
    }
}
