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
