import Foundation
import SmokeGateConfig
import SmokeGateCore
import SmokeGateStore
import SmokeGateTestSupport

/// A database written straight through the store, as the daemon would have left it, for
/// running the built `smokegate` against a history no live test could wait for: a thousand
/// low batteries, fires at fixed times, silences.
struct ConsoleHistory {
    let files: TestConfiguration
    let store: Store
    let desk: IncidentDesk
    var config: [String] { ["--config", files.mainFile.path] }

    /// A configuration whose registry also holds `extraDetectors` detectors `lb-0`, `lb-1`, …
    /// at venues of their own.
    init(extraDetectors: Int = 0) throws {
        let extra = (0..<extraDetectors).map { "lb-\($0),yq-c01-g01,北湖路\($0)号,北湖\($0)号楼,residential," }
        files = try TestConfiguration(
            brokerPort: 1883, devices: ([TestConfiguration.devices] + extra).joined(separator: "\n") + "\n")
        let configuration = try GatewayConfiguration.load(from: files.mainFile.path)
        store = try Store(path: files.databaseFile.path)
        try store.syncRegistry(configuration.devices)
        desk = configuration.incidentDesk
    }

    /// Low batteries open on a street for a long time, far more than any list shows.
    static let tiredDetectors = 1_005

    /// 1,005 low batteries over the last hours, an acknowledged fire at a restaurant after
    /// them, and a new fire at a block of flats `newFireAgo` seconds ago, last.
    static func street(newFireAgo: TimeInterval) throws -> ConsoleHistory {
        let history = try ConsoleHistory(extraDetectors: tiredDetectors)
        let now = Date()
        try history.send(.lowBattery, from: (0..<tiredDetectors).map { "lb-\($0)" }, at: now.addingTimeInterval(-3 * 3_600))
        try history.send(.alarm, from: ["860000000000001"], at: now.addingTimeInterval(-20 * 60))
        let restaurant = try history.incident(of: "860000000000001")
        _ = try history.store.acknowledge(
            restaurant, by: "王伟", note: nil, at: now.addingTimeInterval(-15 * 60), desk: history.desk)
        try history.send(.alarm, from: ["det-1"], at: now.addingTimeInterval(-newFireAgo))
        return history
    }

    /// `kind` events from `devices`, a second apart from `start`, in one commit.
    func send(_ kind: EventKind, from devices: [String], at start: Date) throws {
        let events = devices.enumerated().map { index, device in
            IncomingEvent(
                event: DetectorEvent(deviceID: device, kind: kind, format: .native, identity: .stamped("\(index)")),
                topic: "smokegate/detectors/\(device)/event", payload: #"{"type":"\#(kind.rawValue)"}"#,
                receivedAt: start.addingTimeInterval(Double(index)))
        }
        let state = DeviceLiveState(
            deviceID: devices[0], format: .native, lastSeenAt: start, reading: DeviceReading(), condition: [])
        try store.commit(events, state: state, desk: desk)
    }

    /// The id of the newest incident of `device`.
    func incident(of device: String) throws -> Int64 {
        let all = try store.incidents(includeResolved: true, limit: 1_000_000)
        guard let incident = all.filter({ $0.site.deviceID == device }).max(by: { $0.id < $1.id }) else {
            throw TestSupportError("no incident of \(device)")
        }
        return incident.id
    }
}
