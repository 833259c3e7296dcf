import Foundation
import SmokeGateCore
import SmokeGateTestSupport
import Testing

/// Every message type of every platform, as a real captured push body (the decoders'
/// fixtures, `Tests/SmokeGateCoreTests/Fixtures/{ctwing,onenet,iotda}/`), posted to the real
/// `smokegated`: each answered, and each stored as what it says, on the detector it names.
@Suite(.serialized) struct PlatformPushFixtureTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("SmokeGateCoreTests/Fixtures")

    /// The fixtures' detectors, each at a venue of its own; those whose pushes name only the
    /// platform's id carry it.
    static let devices = """
        device_id,grid,address,venue,venue_type,profile,platform_id
        860374052118732,yq-c01-g01,北湖路1号,甲店,restaurant,nbiot,acf7baaee65e431eadfb8f5fe50e8b81
        861941770261953,yq-c01-g01,北湖路2号,乙店,restaurant,nbiot,d01308047f864601a821e02dc328eab4
        862592051651472,yq-c01-g01,北湖路3号,丙店,restaurant,nbiot,44d0b9e48d404094bbbcf889e4e64ece
        864182059372541,yq-c01-g01,北湖路4号,丁店,restaurant,nbiot,
        860870050503148,yq-c01-g01,北湖路5号,戊店,restaurant,nbiot,
        stair-2,yq-c01-g01,北湖路6号,己店,residential,nbiot,52436170
        """

    /// (fixture, path, the detector it names, the events it stores).
    static let cases: [(file: String, path: String, device: String?, kinds: [EventKind])] = [
        ("ctwing/dataReport.json", PushStreet.ctwingPath, "860374052118732", [.alarm]),
        ("ctwing/dataReport-thingmodel.json", PushStreet.ctwingPath, "861941770261953", [.alarm]),
        ("ctwing/dataReportTupUnion.json", PushStreet.ctwingPath, "861941770261953", [.tamper, .alarm]),
        ("ctwing/eventReport.json", PushStreet.ctwingPath, "861941770261953", [.lowBattery]),
        ("ctwing/eventReport-fault.json", PushStreet.ctwingPath, "861941770261953", [.fault]),
        ("ctwing/deviceOnlineOfflineReport.json", PushStreet.ctwingPath, "861941770261953", [.offline]),
        ("ctwing/commandResponse.json", PushStreet.ctwingPath, nil, []),
        ("ctwing/dataReport-appdata.json", PushStreet.ctwingPath, "862592051651472", []),
        ("onenet/notify.json", PushStreet.onenetPath, "860870050503148", [.alarm]),
        ("onenet/notify-event.json", PushStreet.onenetPath, "860870050503148", [.tamper]),
        ("onenet/lifeCycle.json", PushStreet.onenetPath, "860870050503148", [.offline]),
        ("onenet/legacy-datapoint.json", PushStreet.onenetPath, "stair-2", [.alarm]),
        ("iotda/device.property.json", PushStreet.iotdaPath, "864182059372541", [.alarm]),
        ("iotda/device.message.json", PushStreet.iotdaPath, "864182059372541", [.fault]),
        ("iotda/device.status.json", PushStreet.iotdaPath, "864182059372541", [.offline]),
    ]

    @Test func everyMessageTypeOfEveryPlatformIsAnsweredAndStoredAsWhatItSays() async throws {
        let street = try await PushStreet.start(devices: Self.devices)
        for item in Self.cases {
            let body = try String(contentsOf: Self.fixtures.appendingPathComponent(item.file), encoding: .utf8)
            let before = try item.device.map { try street.daemon.store.events(device: $0).map(\.kind) } ?? []
            let response = street.push(item.path, body.trimmingCharacters(in: .whitespacesAndNewlines))
            #expect(response?.status == 200, "\(item.file) is answered 200: \(response?.status ?? 0)")
            guard let device = item.device else { continue }
            // Stored by the time of the answer: nothing waited for.
            let added = try street.daemon.store.events(device: device).map(\.kind).dropFirst(before.count)
            let expected = item.kinds.map(\.rawValue)
            #expect(
                Array(added) == expected,
                "\(item.file) stores \(expected) for \(device), stored \(Array(added))")
        }
        // The pass-through body is kept aside with its reason, and names no secret path.
        #expect(
            await eventually(
                timeout: 5,
                {
                    (try? street.daemon.store.rejected().contains { $0.topic == "push:ctwing" && $0.detail.contains("APPdata") })
                        == true
                }))
        // The alarms opened fires, each called to the grid.
        let fires = try street.daemon.store.incidents().filter { $0.kind == .fire }
        #expect(
            Set(fires.flatMap(\.members)) == [
                "860374052118732", "861941770261953", "860870050503148", "stair-2", "864182059372541",
            ])
        #expect(
            await eventually(
                timeout: 5,
                {
                    Set(street.grid("notify").compactMap { $0.field("device") }).isSuperset(of: Set(fires.flatMap(\.members)))
                }))
        await street.stop()
    }
}
