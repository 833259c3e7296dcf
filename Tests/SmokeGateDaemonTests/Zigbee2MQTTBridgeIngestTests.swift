import Foundation
import SmokeGateCore
import SmokeGateStore
import SmokeGateTestSupport
import Testing

/// A Zigbee2MQTT bridge as sites run it, through the daemon and a real broker: friendly names
/// with `/` and spaces, lamps and door sensors beside the detectors, the bridge's retained
/// device list read although retained, commands and the bridge's own topics ignored.
@Suite(.serialized) struct Zigbee2MQTTBridgeIngestTests {
    static let devices = """
        device_id,grid,address,venue,venue_type,profile
        kitchen/smoke,yq-c01-g01,北湖路1号3栋101室,北湖小区3栋,residential,
        Kitchen smoke,yq-c01-g01,北湖路1号3栋102室,北湖小区3栋,residential,
        det-1,yq-c01-g01,北湖路1号3栋103室,北湖小区3栋,residential,
        """

    /// The bridge's device list captured from a site: two detectors, a lamp, a door sensor.
    static var deviceList: String {
        get throws {
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            return try String(
                contentsOf: root.appendingPathComponent("SmokeGateCoreTests/Fixtures/zigbee2mqtt/bridge-devices.json"),
                encoding: .utf8)
        }
    }

    static let smoke =
        #"{"battery":100,"battery_low":false,"linkquality":84,"smoke":true,"smoke_density":0,"tamper":false,"test":false}"#
    static let lamp =
        #"{"brightness":83,"color_mode":"color_temp","color_temp":354,"linkquality":112,"state":"ON","update":{"installed_version":16842784,"latest_version":16842784,"state":"idle"}}"#
    static let door = #"{"battery":100,"battery_low":false,"contact":false,"linkquality":120,"voltage":3100}"#

    @Test func aFriendlyNameWithASlashAlarmingOpensAFireForItsRegisteredDevice() async throws {
        // The harness's configuration still says `zigbee2mqtt/+`, as sites' files do.
        let harness = try DaemonHarness(devices: Self.devices)
        try await harness.start()
        let publisher = try await harness.publisher()
        try await publisher.publish("zigbee2mqtt/kitchen/smoke", Self.smoke)
        try await publisher.publish("zigbee2mqtt/Kitchen smoke", Self.smoke)
        let store = try harness.store
        #expect(try await eventually { try store.events(device: "kitchen/smoke").map(\.kind) == ["alarm"] })
        #expect(try await eventually { try store.events(device: "Kitchen smoke").map(\.kind) == ["alarm"] })
        #expect(
            try await eventually {
                let fires = try store.incidents(kind: .fire)
                return fires.contains { $0.members.contains("kitchen/smoke") }
                    && fires.contains { $0.members.contains("Kitchen smoke") }
            })
        #expect(try store.devices().filter { !$0.registered }.isEmpty, "no stranger 'kitchen' or 'smoke'")
        // The coordinator's word on `kitchen/smoke` is a liveness report for it, not a device.
        try await publisher.publish("zigbee2mqtt/kitchen/smoke/availability", #"{"state":"offline"}"#)
        #expect(try await eventually { try store.events(device: "kitchen/smoke").map(\.kind) == ["alarm", "offline"] })
        await harness.stop()
    }

    @Test func theRetainedDeviceListKeepsLampsAndDoorSensorsFromBecomingStrangers() async throws {
        // The test street's registry: none of the bridge's devices is registered.
        let harness = try DaemonHarness()
        let publisher = try await harness.publisher()
        // Zigbee2MQTT publishes its device list retained, long before the gateway starts.
        try await publisher.publish("zigbee2mqtt/bridge/devices", try Self.deviceList, retain: true)
        try await publisher.publish(
            "zigbee2mqtt/bridge/groups",
            #"[{"friendly_name":"downstairs lights","id":1,"members":[{"endpoint":1,"ieee_address":"0x8c8b48fffe23f09e"}],"scenes":[]}]"#,
            retain: true)
        try await harness.start()
        try await publisher.publish("zigbee2mqtt/living/lamp", Self.lamp)
        try await publisher.publish("zigbee2mqtt/downstairs lights", #"{"brightness":83,"state":"ON"}"#)
        try await publisher.publish("zigbee2mqtt/hall door", Self.door)
        try await publisher.publish("zigbee2mqtt/hall door/availability", #"{"state":"offline"}"#)
        try await publisher.publish("zigbee2mqtt/living/lamp/availability", #"{"state":"offline"}"#)
        try await publisher.publish("zigbee2mqtt/living/lamp/set", #"{"state":"OFF"}"#)
        try await publisher.publish("zigbee2mqtt/kitchen/smoke/set/sensitivity", "high")
        try await publisher.publish("zigbee2mqtt/bridge/state", #"{"state":"online"}"#)
        try await publisher.publish("zigbee2mqtt/bridge/logging", #"{"level":"info","message":"MQTT publish"}"#)
        // Last, so that everything above has been handled once it is stored (one session, in order).
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"alarm","seq":1}"#)
        let store = try harness.store
        #expect(try await eventually { try store.events(device: "det-1").map(\.kind) == ["alarm"] })
        let strangers = try store.devices().filter { !$0.registered }.map(\.id)
        #expect(strangers.isEmpty, "the lamp, the door sensor and the bridge are no strangers: \(strangers)")
        let heard = try store.events().map(\.deviceID)
        #expect(heard.allSatisfy { $0 == "det-1" }, "\(heard)")
        #expect(try store.rejectedMessages().isEmpty, "commands and the bridge's topics are ignored, not rejected")
        await harness.stop()
    }

    @Test func aRegisteredDeviceIsHeardWhatever() async throws {
        let harness = try DaemonHarness(devices: Self.devices + "\nhall door,yq-c01-g01,北湖路1号3栋门厅,北湖小区3栋,residential,")
        let publisher = try await harness.publisher()
        try await publisher.publish("zigbee2mqtt/bridge/devices", try Self.deviceList, retain: true)
        try await harness.start()
        // A device the list calls a lamp that is not on the list's smoke side, unregistered,
        // still alarms when it says smoke (a stale list): when in doubt it is a fire.
        try await publisher.publish("zigbee2mqtt/living/lamp", #"{"smoke":true,"state":"ON"}"#)
        try await publisher.publish(
            "zigbee2mqtt/hall door",
            Self.door.replacingOccurrences(of: "\"contact\":false", with: "\"contact\":false,\"tamper\":true"))
        let store = try harness.store
        #expect(try await eventually { try store.events(device: "hall door").map(\.kind) == ["tamper"] })
        #expect(try await eventually { try store.events(device: "living/lamp").map(\.kind) == ["alarm"] })
        await harness.stop()
    }

    @Test func aNewDeviceListReplacesTheOld() async throws {
        let harness = try DaemonHarness(devices: Self.devices)
        try await harness.start()
        let publisher = try await harness.publisher()
        // Before any list, a lamp is heard as before: a stranger.
        try await publisher.publish("zigbee2mqtt/living/lamp", Self.lamp)
        let store = try harness.store
        #expect(try await eventually { try store.devices().contains { $0.id == "living/lamp" && !$0.registered } })
        // The bridge republishes its list (live, so not retained on delivery); then a door sensor.
        try await publisher.publish("zigbee2mqtt/bridge/devices", try Self.deviceList, retain: true)
        try await publisher.publish("zigbee2mqtt/hall door", Self.door)
        try await publisher.publish("zigbee2mqtt/Kitchen smoke", Self.smoke)
        #expect(try await eventually { try store.events(device: "Kitchen smoke").map(\.kind) == ["alarm"] })
        #expect(try store.devices().contains { $0.id == "hall door" } == false)
        await harness.stop()
    }
}
