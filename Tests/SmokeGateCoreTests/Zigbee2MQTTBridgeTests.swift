import Foundation
import SmokeGateCore
import Testing

/// Zigbee2MQTT as sites deploy it: friendly names with `/` and spaces, the bridge's own
/// topics and commands told apart from states, and the bridge's device list telling smoke
/// detectors from the lamps and door sensors on the same bridge.
@Suite struct Zigbee2MQTTBridgeTests {
    static func deviceList() throws -> Zigbee2MQTTDeviceList {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/zigbee2mqtt/bridge-devices.json", withExtension: nil))
        return try Zigbee2MQTTDeviceList(payload: Array(try Data(contentsOf: url)))
    }

    @Test func aPlusSourceIsSubscribedToEveryLevel() throws {
        let source = Source(filter: try TopicFilter("zigbee2mqtt/+"), format: .zigbee2mqtt)
        #expect(source.subscriptions == ["zigbee2mqtt/#"])
        let hash = Source(filter: try TopicFilter("zigbee2mqtt/#"), format: .zigbee2mqtt)
        #expect(hash.subscriptions == ["zigbee2mqtt/#"])
        let native = Source(filter: try TopicFilter("smokegate/detectors/+/event"), format: .native)
        #expect(native.subscriptions == ["smokegate/detectors/+/event"])
    }

    @Test func aFriendlyNameWithASlashAlarmsUnderTheShippedPlusSource() throws {
        // `Replayer` routes with the old `zigbee2mqtt/+` source, as configurations still say.
        var replayer = Replayer()
        let lines = try FixtureLoader.lines("zigbee2mqtt/bridge-traffic.jsonl")
        let alarm = try #require(lines.first { $0.message.topic == "zigbee2mqtt/kitchen/smoke" && $0.events == ["alarm"] })
        let outcome = replayer.replay(alarm.message)
        guard case .accepted(let decoded) = outcome else {
            Issue.record("zigbee2mqtt/kitchen/smoke: \(outcome)")
            return
        }
        #expect(decoded.deviceID == "kitchen/smoke")
        #expect(decoded.events.map(\.kind) == [.alarm])
        let offline = replayer.replay(
            RawMessage(
                topic: "zigbee2mqtt/kitchen/smoke/availability", payload: Array(#"{"state":"offline"}"#.utf8),
                receivedAt: FixtureLoader.testEpoch))
        #expect(offline.kinds == [.offline])
        #expect(
            replayer.replay(
                RawMessage(topic: "zigbee2mqtt/kitchen/smoke/set", payload: Array("{}".utf8), receivedAt: FixtureLoader.testEpoch)
            ) == .ignored)
    }

    @Test func topicsUnderTheBaseAreToldApart() {
        #expect(Zigbee2MQTTTopic("kitchen/smoke") == .state("kitchen/smoke"))
        #expect(Zigbee2MQTTTopic("Kitchen smoke") == .state("Kitchen smoke"))
        #expect(Zigbee2MQTTTopic("kitchen/smoke/availability") == .availability("kitchen/smoke"))
        #expect(Zigbee2MQTTTopic("availability") == .state("availability"))
        #expect(Zigbee2MQTTTopic("bridge/devices") == .bridge("bridge/devices"))
        #expect(Zigbee2MQTTTopic("bridge") == .bridge("bridge"))
        #expect(Zigbee2MQTTTopic("bridgetown/smoke") == .state("bridgetown/smoke"))
        for command in ["lamp/set", "lamp/get", "lamp/set/state", "living/lamp/l1/set", "lamp/get/brightness"] {
            #expect(Zigbee2MQTTTopic(command) == .command, "\(command)")
        }
        #expect(Zigbee2MQTTTopic("sunset/hall") == .state("sunset/hall"))
    }

    @Test func theDeviceListTellsSmokeDetectorsFromOtherDevices() throws {
        let list = try Self.deviceList()
        #expect(list.kind(of: "kitchen/smoke") == .smokeDetector)
        #expect(list.kind(of: "Kitchen smoke") == .smokeDetector)
        #expect(list.kind(of: "living/lamp") == .otherDevice)
        #expect(list.kind(of: "hall door") == .otherDevice)
        #expect(list.kind(of: "Coordinator") == .otherDevice)
        #expect(list.kind(of: "0x00124b0029aa0001") == .undetermined, "not interviewed: cannot be told, so heard")
        #expect(list.kind(of: "garage") == nil)
        // A smoke property nested in a composite's features, or only `smoke_state`, is a detector.
        let nested =
            #"[{"friendly_name":"a","type":"EndDevice","definition":{"model":"X","vendor":"Y","description":"Sensor","exposes":[{"type":"composite","features":[{"type":"enum","name":"smoke_state","property":"smoke_state"}]}]}}]"#
        #expect(try Zigbee2MQTTDeviceList(payload: Array(nested.utf8)).kind(of: "a") == .smokeDetector)
        #expect(throws: Rejection.self) { try Zigbee2MQTTDeviceList(payload: Array(#"{"devices":[]}"#.utf8)) }
        let groups = try Zigbee2MQTTDeviceList(
            groupsPayload: Array(
                #"[{"friendly_name":"downstairs lights","id":1,"members":[{"endpoint":1,"ieee_address":"0x8c8b48fffe23f09e"}],"scenes":[]}]"#
                    .utf8))
        #expect(groups.kind(of: "downstairs lights") == .otherDevice, "a group's state is its lamps', never a detector's")
    }

    @Test func trafficOnABridgeWithLampsAndDoorSensorsIsToldApart() throws {
        let list = try Self.deviceList()
        let normalizer = MessageNormalizer(sources: [Source(filter: try TopicFilter("zigbee2mqtt/#"), format: .zigbee2mqtt)])
        var conditions: [String: DeviceCondition] = [:]
        for line in try FixtureLoader.lines("zigbee2mqtt/bridge-traffic.jsonl") {
            let snapshot = conditions
            let context = DecodingContext(
                condition: { snapshot[$0] ?? [] },
                zigbeeListing: { bridge, name in
                    guard bridge == "zigbee2mqtt" else { return .noDirectory }
                    switch list.kind(of: name) {
                    case nil: return .unlisted
                    case .otherDevice?: return .otherDevice
                    case .smokeDetector?, .undetermined?: return .detector
                    }
                })
            let (_, outcome) = normalizer.normalize(line.message, context: context)
            if line.expect == "ignored" {
                #expect(outcome == .ignored, "bridge-traffic line \(line.number) \(line.message.topic): \(outcome)")
                continue
            }
            guard case .accepted(let decoded) = outcome else {
                Issue.record("bridge-traffic line \(line.number) \(line.message.topic): \(outcome)")
                continue
            }
            #expect(decoded.events.map(\.kind.rawValue) == line.events ?? [], "bridge-traffic line \(line.number)")
            conditions[decoded.deviceID] = decoded.condition(after: conditions[decoded.deviceID] ?? [])
        }
        #expect(conditions["kitchen/smoke"]?.contains(.smoke) == true)
        #expect(conditions["Kitchen smoke"]?.contains(.smoke) == true)
        #expect(conditions["living/lamp"] == nil && conditions["living/lamp/state"] == nil)
    }

    @Test func withoutADeviceListEveryNameIsHeardAsBefore() throws {
        let normalizer = MessageNormalizer(sources: [Source(filter: try TopicFilter("zigbee2mqtt/#"), format: .zigbee2mqtt)])
        let lamp = RawMessage(
            topic: "zigbee2mqtt/living/lamp", payload: Array(#"{"state":"ON","linkquality":112}"#.utf8),
            receivedAt: FixtureLoader.testEpoch)
        let (_, outcome) = normalizer.normalize(lamp, context: DecodingContext())
        guard case .accepted(let decoded) = outcome else {
            Issue.record("\(outcome)")
            return
        }
        #expect(decoded.deviceID == "living/lamp")
    }
}
