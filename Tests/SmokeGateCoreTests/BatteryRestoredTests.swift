import Foundation
import SmokeGateCore
import Testing

/// A battery that was low and is good again closes its `low_battery` job with a
/// `battery_restored` event: from Zigbee2MQTT's flags, and from a charge reading at or above
/// `DeviceReading.restoredPercent` in the native and CTWing formats.
@Suite struct BatteryRestoredTests {
    /// Each file walks detectors through low, not quite restored, restored and low again; each
    /// line names the events it must yield.
    @Test(arguments: ["native", "zigbee2mqtt", "ctwing"])
    func aLowBatteryIsRestoredOnlyByAGoodReading(format: String) throws {
        var replayer = Replayer()
        for line in try FixtureLoader.lines("battery/\(format).jsonl") {
            let outcome = replayer.replay(line.message)
            let kinds = try #require(outcome.kinds, "battery/\(format).jsonl line \(line.number): \(outcome)")
            #expect(kinds.map(\.rawValue) == line.events, "battery/\(format).jsonl line \(line.number)")
        }
    }

    @Test func aNativeHeartbeatAfterALowBatteryIsDurable() throws {
        let topic = "smokegate/detectors/det-1/event"
        var replayer = Replayer()
        _ = replayer.replay(
            RawMessage(
                topic: topic, payload: Array(#"{"type":"low_battery","battery":9}"#.utf8), receivedAt: FixtureLoader.testEpoch))
        let heartbeat = RawMessage(
            topic: topic, payload: Array(#"{"type":"heartbeat","battery":95}"#.utf8), receivedAt: FixtureLoader.testEpoch)
        #expect(replayer.normalizer.isNativeHeartbeat(heartbeat), "it still takes the heartbeat path to the worker")
        guard case .accepted(let decoded) = replayer.replay(heartbeat) else {
            Issue.record("not accepted")
            return
        }
        #expect(!decoded.isHeartbeat, "an event to commit, not only proof of life")
        #expect(decoded.events.map(\.kind) == [.batteryRestored])
        #expect(decoded.events.first?.identity == .payloadDigest(heartbeat.digest))
        #expect(decoded.events.first?.reading.battery == 95)
        #expect(!decoded.condition(after: [.batteryLow, .tamper]).contains(.batteryLow))
        #expect(replayer.conditions["det-1"] == [])
    }

    @Test func batteryRestoredIsNoNativeType() {
        var replayer = Replayer()
        let outcome = replayer.replay(
            RawMessage(
                topic: "smokegate/detectors/det-1/event", payload: Array(#"{"type":"battery_restored","battery":95}"#.utf8),
                receivedAt: FixtureLoader.testEpoch))
        #expect(outcome.rejection?.reason == .unknownType)
    }

}
