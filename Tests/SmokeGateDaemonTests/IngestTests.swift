import Foundation
import SmokeGateCore
import SmokeGateStore
import SmokeGateTestSupport
import Testing

/// The ingest path end to end inside one process: a real broker, a real database file.
@Suite(.serialized) struct IngestTests {
    @Test func heartbeatsUpdateDevicesInBatchesWithoutEventRows() async throws {
        let harness = try DaemonHarness()
        try await harness.start()
        let publisher = try await harness.publisher()
        for sequence in 1...50 {
            try await publisher.publish(
                "smokegate/detectors/det-1/event", #"{"type":"heartbeat","seq":\#(sequence),"battery":\#(100 - sequence)}"#,
                qos: 0)
        }
        try await publisher.publish("smokegate/detectors/det-2/event", #"{"type":"heartbeat","rssi":-80}"#)
        let store = try harness.store
        let flushed = try await eventually {
            let devices = try store.devices()
            return devices.first { $0.id == "det-1" }?.battery == 50 && devices.first { $0.id == "det-2" }?.signal == -80
        }
        #expect(flushed, "heartbeat state reaches the database within the flush interval")
        #expect(try store.events().isEmpty, "heartbeats are never event rows")
        #expect(try await eventually { try store.readStatus()?.heartbeats == 51 })
        await harness.stop()
    }

    @Test func badInputIsRejectedWithReasonsAndIngestCarriesOn() async throws {
        let harness = try DaemonHarness()
        try await harness.start()
        let publisher = try await harness.publisher()
        try await publisher.publish("smokegate/detectors/det-1/event", "{not json")
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"explode"}"#)
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"alarm","device":"det-2"}"#)
        try await publisher.publish("smokegate/detectors/det-1/event", Array(repeating: UInt8(ascii: " "), count: 70_000))
        try await publisher.publish(
            "ctwing/smoke/1", #"{"messageType":"dataReport","payload":{"serviceData":{"Alarm_Status":1}}}"#)
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"alarm","seq":1}"#)
        let store = try harness.store
        #expect(try await eventually { try store.events(kind: .alarm).count == 1 })
        #expect(try await eventually { try store.rejectedMessages().count == 5 })
        let reasons = try store.rejectedMessages().map(\.reason)
        #expect(reasons == ["invalid_json", "unknown_type", "device_mismatch", "oversized", "missing_field"])
        #expect(try await eventually { try store.readStatus()?.received == 6 })
        let status = try #require(try store.readStatus())
        #expect(status.rejected == 5)
        #expect(status.byReason["oversized"] == 1)
        await harness.stop()
    }

    @Test func aDetectorSendingTheSameAlarmTwiceIsHeardTwice() async throws {
        // Not a broker's redelivery (that comes only as a resumed session opens, and
        // DurabilityTests kills the daemon to make one): the detector said it twice, and when in
        // doubt it is a new fire. A counter that restarted looks exactly like this.
        let harness = try DaemonHarness()
        try await harness.start()
        let publisher = try await harness.publisher()
        let alarm = #"{"type":"alarm","ts":"2026-11-22T08:00:00Z","seq":42}"#
        try await publisher.publish("smokegate/detectors/det-1/event", alarm)
        try await publisher.publish("smokegate/detectors/det-1/event", alarm)
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"test","seq":43}"#)
        let store = try harness.store
        #expect(try await eventually { try store.events().count == 3 })
        #expect(try store.events(kind: .alarm).count == 2)
        #expect(try store.readStatus()?.duplicates == 0)
        #expect(try store.devices().first { $0.id == "det-1" }?.lastTestAt != nil)
        await harness.stop()
    }

    @Test func mixedQoSTrafficIsAllAccountedForInOrder() async throws {
        let harness = try DaemonHarness()
        try await harness.start()
        let publisher = try await harness.publisher()
        for sequence in 1...200 {
            try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"heartbeat","seq":\#(sequence)}"#, qos: 0)
        }
        try await publisher.publish("smokegate/detectors/det-2/event", #"{"type":"alarm","seq":1}"#, qos: 0)
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"heartbeat","battery":42}"#, qos: 1)
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"alarm","seq":2}"#, qos: 1)
        let store = try harness.store
        #expect(try await eventually { try store.events(kind: .alarm).count == 2 }, "a QoS 0 alarm is stored too")
        #expect(try await eventually { try store.readStatus()?.received == 203 })
        #expect(try await eventually { try store.devices().first { $0.id == "det-1" }?.battery == 42 })
        await harness.stop()
    }

    @Test func anUnknownDetectorIsTrackedNotDropped() async throws {
        let harness = try DaemonHarness()
        try await harness.start()
        try await harness.publisher().publish("zigbee2mqtt/garage", #"{"smoke":true,"battery":64,"linkquality":90}"#)
        let store = try harness.store
        #expect(try await eventually { try store.events(device: "garage").map(\.kind) == ["alarm"] })
        let device = try #require(try store.devices().first { $0.id == "garage" })
        #expect(!device.registered)
        #expect(device.condition.contains(.smoke))
        #expect(device.battery == 64)
        await harness.stop()
    }

    @Test func anOfflineReportIsStoredButIsNoProofOfLife() async throws {
        let harness = try DaemonHarness()
        try await harness.start()
        let publisher = try await harness.publisher()
        try await publisher.publish("zigbee2mqtt/hall/availability", #"{"state":"offline"}"#)
        let store = try harness.store
        #expect(try await eventually { try store.events(device: "hall").map(\.kind) == ["offline"] })
        #expect(try store.devices().first { $0.id == "hall" }?.lastSeenAt == nil, "never heard from the detector itself")
        try await publisher.publish("zigbee2mqtt/hall/availability", #"{"state":"online"}"#)
        #expect(try await eventually { try store.devices().first { $0.id == "hall" }?.lastSeenAt != nil })
        await harness.stop()
    }

    @Test func alarmsPublishedWhileTheDaemonIsDownArriveWhenItReturns() async throws {
        let harness = try DaemonHarness()
        try await harness.start()
        await harness.stop()
        let publisher = try await harness.publisher()
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"alarm","seq":7}"#)
        try await publisher.publish(
            "ctwing/smoke/1",
            #"{"messageType":"dataReport","IMEI":"860000000000001","timestamp":1795334400000,"payload":{"serviceData":{"Alarm_Status":1}}}"#
        )
        try await harness.start()
        let store = try harness.store
        #expect(
            try await eventually { try store.events(kind: .alarm).count == 2 },
            "the broker kept the persistent session's QoS 1 messages")
        await harness.stop()
    }

    @Test func theDaemonReconnectsAndSubscribesAgainAfterTheBrokerRestarts() async throws {
        let harness = try DaemonHarness()
        try await harness.start()
        let daemon = try #require(harness.daemon)
        harness.broker.stop()
        #expect(await eventually { !daemon.isConnected }, "the lost broker is noticed")
        try harness.broker.start()
        // The broker kept no session (no persistence): only subscribing again brings traffic.
        #expect(await eventually(timeout: 40) { daemon.isConnected }, "reconnected with backoff")
        try await harness.publisher().publish("smokegate/detectors/det-1/event", #"{"type":"alarm","seq":9}"#)
        let store = try harness.store
        #expect(try await eventually { try store.events(kind: .alarm).count == 1 })
        await harness.stop()
    }

    @Test func theStatusIsFreshAndSaysConnected() async throws {
        let harness = try DaemonHarness()
        try await harness.start()
        let store = try harness.store
        #expect(try await eventually { try store.readStatus()?.connected == true })
        let first = try #require(try store.readStatus()?.updatedAt)
        #expect(try await eventually { try store.readStatus()!.updatedAt > first }, "rewritten while the daemon runs")
        await harness.stop()
        let last = try #require(try store.readStatus())
        #expect(last.stoppedAt != nil && !last.connected)
    }
}
