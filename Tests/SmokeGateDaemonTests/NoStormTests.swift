import Foundation
import SmokeGateStore
import SmokeGateTestSupport
import Testing

/// Field rule 6, "No storms", through the daemon with a real broker and database: strangers
/// are listed, not paged, and the gateway's own stall is nobody's silence.
@Suite(.serialized) struct NoStormTests {
    static let quickSupervision =
        "{ default: { heartbeat: 1s, offline_after: 2s }, nbiot: { heartbeat: 24h, offline_after: 25h } }"

    static let strangers = ["back_door", "det-l", "typo-2"]

    private func aboutStrangers(_ responders: TestSubscriber) -> [TestSubscriber.Received] {
        responders.received.filter { Self.strangers.contains($0.field("device") ?? "") }
    }

    @Test func strangersAreListedNeverPagedAcrossRestarts() async throws {
        let harness = try DaemonHarness(supervision: Self.quickSupervision)
        try await harness.start()
        let responders = try await harness.responders()
        let publisher = try await harness.publisher()
        // A typo id's heartbeat, a stranger's fault, and a door sensor on the Zigbee bridge with a low battery.
        try await publisher.publish("smokegate/detectors/det-l/event", #"{"type":"heartbeat"}"#)
        try await publisher.publish("smokegate/detectors/typo-2/event", #"{"type":"fault"}"#)
        try await publisher.publish("zigbee2mqtt/back_door", #"{"contact":true,"battery_low":true,"battery":9}"#)
        let store = try harness.store
        #expect(try await eventually { try store.events(kind: .fault).count == 1 && store.events(kind: .lowBattery).count == 1 })
        try await Task.sleep(for: .seconds(4))  // twice offline_after
        #expect(aboutStrangers(responders).isEmpty, "nobody is paged about devices nobody registered")
        #expect(try store.incidents().allSatisfy { !Self.strangers.contains($0.site.deviceID) })
        let strangers = try store.devices().filter { !$0.registered }.map(\.id).sorted()
        #expect(strangers == Self.strangers, "listed for the operator")
        await harness.stop()

        try await harness.start()
        try await Task.sleep(for: .seconds(4))
        #expect(aboutStrangers(responders).isEmpty, "a restart does not re-arm them")
        // A stranger's alarm is still a fire for every street.
        try await publisher.publish("smokegate/detectors/typo-2/event", #"{"type":"alarm"}"#)
        #expect(await eventually(timeout: 10) { !aboutStrangers(responders).isEmpty })
        #expect(aboutStrangers(responders).map(\.topic) == ["smokegate/notify/street/yongquan"])
        #expect(aboutStrangers(responders).first?.field("kind") == "fire")
        await harness.stop()
    }

    @Test func aDatabaseStallLongerThanOfflineAfterPagesNobody() async throws {
        let harness = try DaemonHarness(supervision: Self.quickSupervision)
        try await harness.start()
        let responders = try await harness.responders()
        let publisher = try await harness.publisher()
        let heartbeats = Task {
            // Both detectors keep reporting twice a second, for a bounded 14 s.
            for sequence in 1...35 {
                for device in ["det-1", "det-2"] {
                    try await publisher.publish(
                        "smokegate/detectors/\(device)/event", #"{"type":"heartbeat","seq":\#(sequence)}"#, qos: 0)
                }
                try await Task.sleep(for: .milliseconds(400))
            }
        }
        try await Task.sleep(for: .seconds(2))
        // Another process holds SQLite's write lock for 6 s, three times offline_after; a QoS 1
        // fault arriving meanwhile makes ingest wait for it, and heartbeats queue unread behind it.
        let lock = harness.database.holdWriteLock(for: 6)
        try await Task.sleep(for: .milliseconds(300))
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"tamper"}"#)
        try await lock.value
        try await heartbeats.value
        let store = try harness.store
        #expect(try store.events(kind: .tamper).count == 1, "the event waited for the database and was stored")
        #expect(try store.devicesOffline().isEmpty, "the gateway's stall is not the detectors' silence")
        #expect(responders.received.allSatisfy { $0.field("kind") != "offline" })
        await harness.stop()
    }

    @Test func aSiteThatGoesOfflineTogetherIsOneMessageToItsGridAndOneWhenItReturns() async throws {
        let detectors = (1...30).map { String(format: "site-%02d", $0) }
        let devices =
            "device_id,grid,address,venue,venue_type,profile\n"
            + detectors.map { "\($0),yq-c01-g01,北湖路7号,\($0),residential," }.joined(separator: "\n")
        let harness = try DaemonHarness(supervision: Self.quickSupervision, devices: devices)
        try await harness.start()
        let responders = try await harness.responders()
        let publisher = try await harness.publisher()
        func heartbeats(rounds: Int) async throws {
            for _ in 0..<rounds {
                for id in detectors {
                    try await publisher.publish("smokegate/detectors/\(id)/event", #"{"type":"heartbeat"}"#, qos: 0)
                }
                try await Task.sleep(for: .milliseconds(500))
            }
        }
        try await heartbeats(rounds: 3)
        // The site's network goes down: all thirty go offline together.
        let store = try harness.store
        #expect(try await eventually(timeout: 15) { try store.devicesOffline().count == 30 })
        #expect(await eventually(timeout: 10) { responders.received.contains { $0.field("kind") == "offline" } })
        try await Task.sleep(for: .seconds(3))
        let down = responders.received.filter { $0.field("kind") == "offline" }
        #expect(down.count <= 2, "one grouped message, not one per detector: \(down.count)")
        #expect(down.allSatisfy { $0.topic == "smokegate/notify/grid/yq-c01-g01" })
        // The network is back, and the detectors keep reporting (for a bounded 10 s).
        let back = Task { try await heartbeats(rounds: 20) }
        defer { back.cancel() }
        #expect(try await eventually(timeout: 15) { try store.devicesOffline().isEmpty })
        #expect(
            await eventually(timeout: 10) {
                responders.received.contains { $0.field("kind") == "offline" && $0.field("action") == "resolve" }
            })
        let all = responders.received.filter { $0.field("kind") == "offline" }
        #expect(all.count <= 3, "and one when they return: \(all.map { $0.field("action") ?? "" })")
        #expect(
            try store.incidents(includeResolved: true, kind: .offline).count == 30,
            "each detector's incident stays for the record")
        await harness.stop()
    }
}
