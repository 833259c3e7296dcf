import Foundation
import SmokeGateTestSupport
import Testing

/// A Zigbee2MQTT site through the released binaries: the bridge's device list published
/// retained with `mosquitto_pub -r` before the gateway starts, detectors named `kitchen/smoke`
/// and `Kitchen smoke`, and a lamp and a door sensor on the same bridge.
@Suite(.serialized) struct Zigbee2MQTTSiteTests {
    static let devices =
        TestConfiguration.devices
        + "\nkitchen/smoke,yq-c01-g01,北湖路1号3栋104室,北湖小区3栋,residential,\nKitchen smoke,yq-c01-g01,北湖路1号5栋105室,北湖小区5栋,residential,\n"

    static var deviceListFile: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("SmokeGateCoreTests/Fixtures/zigbee2mqtt/bridge-devices.json").path
    }

    /// Publishes as the bridge does, with the broker's own client; waits for it to finish.
    static func bridgePublishes(_ port: Int, _ topic: String, _ arguments: [String]) throws {
        let publisher = try ChildProcess(
            try Executables.find("mosquitto_pub", in: ["/usr/bin"]),
            ["-h", "127.0.0.1", "-p", "\(port)", "-q", "1", "-t", topic] + arguments)
        let status = publisher.reap(timeout: 20)
        #expect(status == 0, "mosquitto_pub \(topic) ended with \(String(describing: status))")
    }

    @Test func detectorsWithSlashesAndSpacesCallAndTheLampAndDoorSensorAreNoStrangers() async throws {
        let broker = try MosquittoBroker()
        defer { broker.stop() }
        // The site's file still says `zigbee2mqtt/+`: the daemon warns and subscribes to `#`.
        let files = try TestConfiguration(brokerPort: broker.port, devices: Self.devices)
        try Self.bridgePublishes(broker.port, "zigbee2mqtt/bridge/devices", ["-r", "-f", Self.deviceListFile])
        let running = try await RunningDaemon.start(broker: broker, files: files)
        let responders = try await TestSubscriber.connect(port: broker.port, filters: ["smokegate/notify/#"])
        let lamp = #"{"brightness":83,"color_mode":"color_temp","color_temp":354,"linkquality":112,"state":"ON"}"#
        try Self.bridgePublishes(broker.port, "zigbee2mqtt/living/lamp", ["-m", lamp])
        try Self.bridgePublishes(
            broker.port, "zigbee2mqtt/hall door", ["-m", #"{"battery":100,"contact":false,"linkquality":120}"#])
        try Self.bridgePublishes(broker.port, "zigbee2mqtt/hall door/availability", ["-m", #"{"state":"offline"}"#])
        try Self.bridgePublishes(broker.port, "zigbee2mqtt/living/lamp/set", ["-m", #"{"state":"OFF"}"#])
        try Self.bridgePublishes(broker.port, "zigbee2mqtt/kitchen/smoke/availability", ["-m", #"{"state":"offline"}"#])
        try Self.bridgePublishes(
            broker.port, "zigbee2mqtt/kitchen/smoke", ["-m", #"{"battery":97,"linkquality":84,"smoke":true}"#])
        try Self.bridgePublishes(
            broker.port, "zigbee2mqtt/Kitchen smoke", ["-m", #"{"battery":97,"linkquality":90,"smoke":true}"#])
        #expect(
            await eventually(timeout: 10) {
                let called = Set(responders.received.compactMap { $0.field("device") })
                return called.isSuperset(of: ["kitchen/smoke", "Kitchen smoke"])
            }, "both detectors' fires call the grid: \(responders.received.map(\.payload))")
        let config = ["--config", files.mainFile.path]
        let unregistered = try await BinaryProcess.run("smokegate", ["devices", "--unregistered"] + config)
        #expect(unregistered.status == 0, "\(unregistered.stderr)")
        #expect(!unregistered.stdout.contains("lamp") && !unregistered.stdout.contains("hall door"), "\(unregistered.stdout)")
        let all = try await BinaryProcess.run("smokegate", ["devices"] + config)
        #expect(all.stdout.contains("kitchen/smoke") && all.stdout.contains("Kitchen smoke"), "\(all.stdout)")
        #expect(running.process.standardError.contains("zigbee2mqtt/#"), "the daemon warns that '+' is read as '#'")
        #expect(await running.process.stop() == 0)
    }
}
