import Foundation
import SmokeGateCore
import SmokeGateStore
import SmokeGateTestSupport

/// A street for outbox tests, on a real database file: `grids` grids with one maintenance
/// detector each (`m-1`, `m-2`, …, in `g1`, `g2`, …) and smoke detectors in `g1` at two
/// venues (`fire-a` and `fire-a2` at one, `fire-b` at the other).
struct OutboxStreet {
    let path: String
    let database: TestDatabase
    let store: Store
    let desk: IncidentDesk
    let t0 = Date(timeIntervalSince1970: 1_795_334_400)

    init(grids: Int = 2, prefix: String = "outbox") throws {
        path = try TemporaryFolder.make(prefix: prefix).appendingPathComponent("smokegate.db").path
        database = try TestDatabase(path: path)
        store = try database.open()
        let gridList = (1...grids).map {
            Grid(id: "g\($0)", name: "网格\($0)", contacts: [Contact(id: "w\($0)", name: "网格员", phone: "1")], evacuation: nil)
        }
        let chain = ResponseChain(
            stations: [Station(id: "wgxz", name: "站", contacts: [])],
            streets: [
                Street(
                    id: "yongquan", name: "涌泉街道", stationID: "wgxz", contacts: [],
                    communities: [Community(id: "c1", name: "社区", contacts: [], grids: gridList)])
            ])
        let maintenance = (1...grids).map {
            RegisteredDevice(
                deviceID: "m-\($0)", gridID: "g\($0)", address: "\($0)号", venue: "\($0)号", venueType: "residential",
                profile: "default")
        }
        let fires = [("fire-a", "a"), ("fire-a2", "a"), ("fire-b", "b")].map {
            RegisteredDevice(
                deviceID: $0.0, gridID: "g1", address: "\($0.1)栋", venue: "\($0.1)栋", venueType: "residential", profile: "default"
            )
        }
        desk = IncidentDesk(
            ladder: .standard, directory: ResponseDirectory(chain: chain, devices: DeviceRegistry(maintenance + fires)),
            topicPrefix: "smokegate/notify")
    }

    func at(_ seconds: TimeInterval) -> Date { t0.addingTimeInterval(seconds) }

    /// `device` reports `kind` at `seconds`, committed as the ingest pipeline commits it.
    func report(_ device: String, _ kind: EventKind, at seconds: TimeInterval, seq: Int = 1) throws {
        let event = DetectorEvent(deviceID: device, kind: kind, format: .native, identity: .stamped("\(seq)"))
        let condition = DeviceCondition().applying(kind)
        try store.commit(
            [IncomingEvent(event: event, topic: "smokegate/detectors/\(device)/event", payload: "{}", receivedAt: at(seconds))],
            state: DeviceLiveState(
                deviceID: device, format: .native, lastSeenAt: at(seconds), reading: DeviceReading(), condition: condition),
            desk: desk)
    }

    /// What the dispatcher would take at `seconds`, as `action topic` lines.
    func batch(at seconds: TimeInterval, limit: Int = 200) throws -> [String] {
        try store.pendingNotifications(at: at(seconds), limit: limit).map { "\($0.action) \($0.topic.dropFirst(17))" }
    }

    /// The dispatcher publishes the batch due at `seconds`; the broker confirms it (or not).
    @discardableResult
    func dispatch(at seconds: TimeInterval, confirmed: Bool = true, limit: Int = 200) throws -> [String] {
        let batch = try store.pendingNotifications(at: at(seconds), limit: limit)
        if confirmed {
            try store.markSent(batch.map(\.id), at: at(seconds))
        } else {
            try store.markFailed(batch.map(\.id), error: "the broker did not acknowledge in time", at: at(seconds))
        }
        return batch.map { "\($0.action) \($0.topic.dropFirst(17))" }
    }
}
