import Foundation
import SmokeGateCore
import SmokeGateStore
import SmokeGateTestSupport

/// A street whose units name receivers, on a real database file: grid `g1` reaches its
/// workers through a WeCom robot and texts (two workers, one listed twice), the community by
/// text, the street's command centre through its webhook and the same robot.
struct DeliveryStreet {
    let store: Store
    let desk: IncidentDesk
    let t0 = Date(timeIntervalSince1970: 1_795_334_400)

    init(prefix: String, gridReceivers: [String] = ["robot", "sms"]) throws {
        let path = try TemporaryFolder.make(prefix: prefix).appendingPathComponent("smokegate.db").path
        store = try TestDatabase(path: path).open()
        let grid = Grid(
            id: "g1", name: "第一网格",
            contacts: [
                Contact(id: "w1", name: "王伟", phone: "13800000002"), Contact(id: "w2", name: "李娜", phone: "13800000003"),
                Contact(id: "w1-again", name: "王伟", phone: "+86 138 0000 0002"),
            ], evacuation: nil, receivers: gridReceivers)
        let chain = ResponseChain(
            stations: [Station(id: "wgxz", name: "站", contacts: [])],
            streets: [
                Street(
                    id: "yongquan", name: "涌泉街道", stationID: "wgxz",
                    contacts: [Contact(id: "yq-duty", name: "应急办值班", phone: "13800000000")],
                    communities: [
                        Community(
                            id: "c1", name: "社区", contacts: [Contact(id: "c1-duty", name: "社区值班", phone: "13800000001")],
                            grids: [grid], receivers: ["sms"])
                    ], receivers: ["desk-hook", "robot"])
            ])
        let devices = ["fire-a", "m-1"].map {
            RegisteredDevice(
                deviceID: $0, gridID: "g1", address: "\($0)号", venue: "\($0)号", venueType: "residential", profile: "default")
        }
        desk = IncidentDesk(
            ladder: .standard, directory: ResponseDirectory(chain: chain, devices: DeviceRegistry(devices)),
            topicPrefix: "smokegate/notify",
            receivers: ReceiverBook(["robot": .wecom, "sms": .aliyunSMS, "desk-hook": .webhook, "voice": .aliyunVoice]))
    }

    func at(_ seconds: TimeInterval) -> Date { t0.addingTimeInterval(seconds) }

    func report(_ device: String, _ kind: EventKind, at seconds: TimeInterval, seq: Int = 1) throws {
        let event = DetectorEvent(deviceID: device, kind: kind, format: .native, identity: .stamped("\(seq)"))
        try store.commit(
            [IncomingEvent(event: event, topic: "smokegate/detectors/\(device)/event", payload: "{}", receivedAt: at(seconds))],
            state: DeviceLiveState(
                deviceID: device, format: .native, lastSeenAt: at(seconds), reading: DeviceReading(),
                condition: DeviceCondition().applying(kind)),
            desk: desk)
    }

    /// What `receiver` would send at `seconds`, as `action tier/unit [person]` lines.
    func due(_ receiver: String, at seconds: TimeInterval) throws -> [String] {
        try store.dueDeliveries(receiver: receiver, at: at(seconds), limit: 100).map(Self.line)
    }

    /// `receiver` sends what is due at `seconds`, each attempt ending as `outcome`.
    @discardableResult
    func send(_ receiver: String, at seconds: TimeInterval, _ outcome: DeliveryOutcome = .delivered(detail: nil)) throws
        -> [String]
    {
        let due = try store.dueDeliveries(receiver: receiver, at: at(seconds), limit: 100)
        try store.recordDeliveries(
            due.map { DeliveryAttempt(id: $0.id, attempts: $0.attempts, outcome: outcome) }, at: at(seconds))
        return due.map(Self.line)
    }

    static func line(_ delivery: PendingDelivery) -> String {
        "\(delivery.action) \(delivery.tier)/\(delivery.unit)" + (delivery.contact.map { " \($0.name)" } ?? "")
    }
}
