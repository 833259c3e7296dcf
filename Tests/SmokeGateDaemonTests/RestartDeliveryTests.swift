import Foundation
import SmokeGateTestSupport
import Testing

/// What reaches the gateway across its own restart, with the broker configured as shipped.
@Suite(.serialized) struct RestartDeliveryTests {
    @Test func aZigbee2MQTTAlarmAtQoS0WhileTheDaemonRestartsOpensAFire() async throws {
        #expect(try MosquittoBroker.shipped("queue_qos0_messages") == "queue_qos0_messages true")
        let harness = try DaemonHarness()
        try await harness.start()
        let responders = try await harness.responders()
        let publisher = try await harness.publisher()
        await harness.stop()
        // Zigbee2MQTT publishes at QoS 0 unless the device is set to qos: 1.
        try await publisher.publish("zigbee2mqtt/det-2", #"{"smoke":true,"battery":90,"linkquality":120}"#, qos: 0)
        try await harness.start()

        #expect(await eventually(timeout: 10) { responders.received.contains { $0.field("action") == "notify" } })
        let grid = try #require(responders.received.first)
        #expect(grid.topic == "smokegate/notify/grid/yq-c01-g01" && grid.field("device") == "det-2")
        #expect(try harness.store.incidents().map(\.kind) == [.fire])
        await harness.stop()
    }
}

extension RestartDeliveryTests {
    /// mosquitto 2.0 strands queued QoS 1 messages behind a full in-flight window when QoS 0
    /// messages are queued too: the shipped configuration lifts the window (see
    /// config/mosquitto.conf), and this is the restart that catches a configuration without it.
    @Test func alarmsQueuedAmongHeartbeatsWhileTheDaemonRestartsAllArrive() async throws {
        let harness = try DaemonHarness()
        try await harness.start()
        let publisher = try await harness.publisher()
        await harness.stop()
        let alarms = 150
        for index in 1...alarms {
            try await publisher.publish("smokegate/detectors/queued-\(index)/event", #"{"type":"alarm","seq":1}"#)
            try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"heartbeat","seq":\#(index)}"#, qos: 0)
        }
        try await harness.start()
        let store = try harness.store
        let arrived = try await eventually(timeout: 20) { try store.events(kind: .alarm).count == alarms }
        let stored = try store.events(kind: .alarm).count
        #expect(arrived, "stored \(stored) of \(alarms) alarms")
        await harness.stop()
    }
}
