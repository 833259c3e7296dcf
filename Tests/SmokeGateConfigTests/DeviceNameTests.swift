import Foundation
import SmokeGateConfig
import SmokeGateCore
import SmokeGateTestSupport
import Testing

/// A Zigbee2MQTT detector's id is its friendly name, and sites name them `kitchen/smoke` or
/// `Kitchen smoke`: the registry takes any name Zigbee2MQTT allows, and refuses, every one at
/// once with its line, what Zigbee2MQTT would refuse or the gateway would read as the bridge's
/// own topics.
@Suite struct DeviceNameTests {
    static func write(devices: String, zigbeeTopic: String = "zigbee2mqtt/#") throws -> String {
        let folder = try TemporaryFolder.make(prefix: "device-names")
        try """
        broker: { host: 127.0.0.1 }
        database: x.db
        sources:
          - { topic: "smokegate/detectors/+/event", format: native }
          - { topic: "\(zigbeeTopic)", format: zigbee2mqtt }
        registry: { chain: chain.yaml, devices: devices.csv }
        """.write(to: folder.appendingPathComponent("smokegate.yaml"), atomically: true, encoding: .utf8)
        try TestConfiguration.chain.write(to: folder.appendingPathComponent("chain.yaml"), atomically: true, encoding: .utf8)
        try devices.write(to: folder.appendingPathComponent("devices.csv"), atomically: true, encoding: .utf8)
        return folder.appendingPathComponent("smokegate.yaml").path
    }

    @Test func friendlyNamesWithSlashesAndSpacesAreDeviceIds() throws {
        let path = try Self.write(
            devices: """
                device_id,grid,address,venue,venue_type,profile
                kitchen/smoke,yq-c01-g01,北湖路1号,北湖小区,residential,
                Kitchen smoke,yq-c01-g01,北湖路1号,北湖小区,residential,
                2F/east wing/hall smoke,yq-c01-g01,北湖路1号,北湖小区,residential,
                厨房 烟感,yq-c01-g01,北湖路1号,北湖小区,residential,
                det-1,yq-c01-g01,北湖路1号,北湖小区,residential,
                """)
        let configuration = try GatewayConfiguration.load(from: path)
        for id in ["kitchen/smoke", "Kitchen smoke", "2F/east wing/hall smoke", "厨房 烟感", "det-1"] {
            #expect(configuration.devices.position(of: id) != nil, "\(id)")
        }
        #expect(configuration.warnings.isEmpty, "\(configuration.warnings)")
    }

    @Test func everyNameZigbee2MQTTWouldRefuseIsReportedAtOnceWithItsLine() throws {
        let path = try Self.write(
            devices: """
                device_id,grid,address,venue,venue_type,profile
                kitchen/,yq-c01-g01,a,v,residential,
                /kitchen,yq-c01-g01,a,v,residential,
                smoke/2,yq-c01-g01,a,v,residential,
                a+b,yq-c01-g01,a,v,residential,
                a#b,yq-c01-g01,a,v,residential,
                hall\u{85}smoke,yq-c01-g01,a,v,residential,
                bridge/devices,yq-c01-g01,a,v,residential,
                lamp/set,yq-c01-g01,a,v,residential,
                hall/availability,yq-c01-g01,a,v,residential,
                smoke/2F,yq-c01-g01,a,v,residential,
                """)
        do {
            _ = try GatewayConfiguration.load(from: path)
            Issue.record("a registry with names Zigbee2MQTT refuses loaded")
        } catch {
            let lines = error.problems.map(\.description).joined(separator: "\n")
            func expectProblem(_ line: Int, _ fragment: String) {
                #expect(
                    error.problems.contains {
                        $0.file.hasSuffix("devices.csv") && $0.line == line && $0.message.contains(fragment)
                    },
                    "no problem '\(fragment)' at devices.csv:\(line) in:\n\(lines)")
            }
            expectProblem(2, "device 'kitchen/' starts or ends with '/'")
            expectProblem(3, "device '/kitchen' starts or ends with '/'")
            expectProblem(4, "device 'smoke/2' ends with '/2'")
            expectProblem(5, "contains the wildcard '+'")
            expectProblem(6, "contains the wildcard '#'")
            expectProblem(7, "contains the control character U+0085")
            expectProblem(8, "'bridge'")
            expectProblem(9, "level 'set'")
            expectProblem(10, "ends with '/availability'")
            #expect(error.problems.count == 9, "'smoke/2F' is a fine name\n\(lines)")
        }
    }

    @Test func aPlusZigbeeSourceLoadsWithAWarningThatItIsReadAsHash() throws {
        let path = try Self.write(
            devices: "device_id,grid,address,venue,venue_type,profile\nkitchen/smoke,yq-c01-g01,a,v,residential,\n",
            zigbeeTopic: "zigbee2mqtt/+")
        let configuration = try GatewayConfiguration.load(from: path)
        let warning = try #require(configuration.warnings.first { $0.message.contains("zigbee2mqtt/+") })
        #expect(warning.message.contains("'zigbee2mqtt/#'"))
        #expect(warning.line == 5)
        #expect(configuration.sources.flatMap(\.subscriptions).contains("zigbee2mqtt/#"))
    }

    @Test func theShippedConfigurationsSubscribeZigbee2MQTTToEveryLevel() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        for file in ["config/demo/smokegate.yaml", "config/smokegate.yaml"] {
            let configuration = try GatewayConfiguration.load(from: root.appendingPathComponent(file).path)
            #expect(configuration.sources.contains { $0.format == .zigbee2mqtt && $0.filter.text == "zigbee2mqtt/#" }, "\(file)")
            #expect(configuration.warnings.allSatisfy { !$0.message.contains("zigbee2mqtt") }, "\(file)")
        }
    }
}
