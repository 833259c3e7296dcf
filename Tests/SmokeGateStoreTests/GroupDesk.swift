import Foundation
import GRDB
import RulebookScenarios
import SmokeGateCore
import SmokeGateStore
import SmokeGateTestSupport

/// A real store with maintenance grouping on, driven by a virtual clock: events, silences and
/// answers go in as the daemon's services put them, and time passes as the scheduler lets it
/// (every deadline and every group message at the moment it falls due).
struct GroupDesk {
    static let grouping = DispatchGrouping(wait: 2, interval: 60)
    /// Detectors a-01…a-24 in grid g1 and b-01…b-16 in g2, each at a venue of its own.
    static let devices: [RegisteredDevice] =
        (1...24).map {
            RegisteredDevice(
                deviceID: String(format: "a-%02d", $0), gridID: "g1", address: "a\($0)", venue: "a\($0)",
                venueType: "residential", profile: "default")
        }
        + (1...16).map {
            RegisteredDevice(
                deviceID: String(format: "b-%02d", $0), gridID: "g2", address: "b\($0)", venue: "b\($0)",
                venueType: "residential", profile: "default")
        }

    static let start = VirtualDesk.start

    let store: Store
    let desk: IncidentDesk
    let folder: URL
    private(set) var now: TimeInterval = 0
    private var events = 0

    init() throws {
        folder = try TemporaryFolder.make(prefix: "groups")
        store = try TestDatabase(path: folder.appendingPathComponent("smokegate.db").path).open()
        try store.syncRegistry(DeviceRegistry(Self.devices))
        desk = IncidentDesk(
            ladder: .standard,
            directory: ResponseDirectory(chain: TestStreet.directory.chain, devices: DeviceRegistry(Self.devices)),
            topicPrefix: "smokegate/notify", grouping: Self.grouping)
    }

    func discard() { try? FileManager.default.removeItem(at: folder) }

    func date(_ seconds: TimeInterval) -> Date { VirtualDesk.start.addingTimeInterval(seconds) }

    mutating func wentOffline(_ devices: [String], at seconds: TimeInterval) throws {
        try advance(to: seconds)
        try store.wentOffline(devices.map { ($0, nil) }, at: date(seconds), desk: desk)
    }

    mutating func heard(_ devices: [String], at seconds: TimeInterval) throws {
        try advance(to: seconds)
        try store.heardAgain(devices, at: date(seconds), desk: desk)
    }

    mutating func event(_ kind: EventKind, from device: String, at seconds: TimeInterval) throws {
        try advance(to: seconds)
        events += 1
        let event = DetectorEvent(deviceID: device, kind: kind, format: .native, identity: .stamped("event-\(events)"))
        try store.commit(
            [IncomingEvent(event: event, topic: "smokegate/detectors/\(device)/event", payload: "{}", receivedAt: date(seconds))],
            state: DeviceLiveState(
                deviceID: device, format: .native, lastSeenAt: date(seconds), reading: DeviceReading(),
                condition: DeviceCondition().applying(kind)),
            desk: desk)
    }

    mutating func acknowledge(_ id: Int64, at seconds: TimeInterval) throws {
        try advance(to: seconds)
        try store.acknowledge(id, by: "网格员", note: nil, at: date(seconds), desk: desk)
    }

    mutating func resolve(_ id: Int64, at seconds: TimeInterval) throws {
        try advance(to: seconds)
        try store.resolve(id, by: "网格员", cause: "fixed", note: nil, at: date(seconds), desk: desk)
    }

    /// Lets time pass to `seconds`, firing deadlines and sending group messages as they fall due.
    mutating func advance(to seconds: TimeInterval) throws {
        while let next = [try store.nextDeadline(), try store.nextGroupDue()].compactMap({ $0 }).min(),
            next.timeIntervalSince(VirtualDesk.start) <= seconds
        {
            now = max(now, next.timeIntervalSince(VirtualDesk.start))
            _ = try store.fireDeadlines(at: date(now), desk: desk)
            _ = try store.flushDueGroups(at: { date(now) }, desk: desk)
        }
        now = max(now, seconds)
    }

    /// Every message written to the outbox, in order.
    func messages() throws -> [SentMessage] {
        try store.notificationsWritten().map { row in
            let json = (try? JSONSerialization.jsonObject(with: Data(row.payload.utf8))) as? [String: Any] ?? [:]
            let group = json["group"] as? [String: Any]
            return SentMessage(
                at: row.createdAt.timeIntervalSince(VirtualDesk.start), topic: row.topic, action: row.action,
                kind: json["kind"] as? String ?? "", group: (group?["id"] as? Int).map(Int64.init),
                detectors: Set((group?["detectors"] as? [[String: Any]] ?? []).compactMap { $0["device"] as? String }),
                returned: group?["returned"] as? [String] ?? [])
        }
    }
}
