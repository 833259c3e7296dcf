import Foundation
import SmokeGateCore
import SmokeGateStore
import SmokeGateTestSupport
import Testing

/// The response chain inside one process: a real broker, a real database file, the
/// notifications as responders' systems receive them.
@Suite(.serialized) struct EscalationTests {
    private func calls(_ subscriber: TestSubscriber, action: String = "notify") -> [TestSubscriber.Received] {
        subscriber.received.filter { $0.field("action") == action }
    }

    @Test func anAcknowledgementWrittenByAnotherProcessStopsTheLadderAndIsToldToTheGrid() async throws {
        // The community is due 8 s after the alarm: room for a loaded machine to deliver the grid
        // call and write the acknowledgement first.
        let harness = try DaemonHarness(escalation: "{ grid: 0s, community: 8s, street: 16s }")
        try await harness.start()
        let responders = try await harness.responders()
        let publisher = try await harness.publisher()
        let alarmedAt = Date()
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"alarm","seq":1}"#)
        #expect(await eventually(timeout: 5) { calls(responders).count == 1 })
        let grid = try #require(calls(responders).first)
        #expect(grid.topic == "smokegate/notify/grid/yq-c01-g01")
        #expect(grid.field("device") == "det-1" && grid.field("kind") == "fire" && grid.field("incident") == "1")
        #expect(
            grid.payload.contains("网格员") && grid.payload.contains("社区文化广场"),
            "contacts and the evacuation circle travel with the call")

        // The CLI is another process on the same database file.
        let operatorStore = try harness.database.open()
        let acknowledgedAt = Date()
        try operatorStore.acknowledge(1, by: "网格员王", note: nil, at: acknowledgedAt, desk: harness.desk)
        #expect(await eventually(timeout: 3) { calls(responders, action: "ack").count == 1 })
        let ack = try #require(calls(responders, action: "ack").first)
        #expect(ack.topic == grid.topic && ack.field("by") == "网格员王")
        #expect(
            ack.arrivedAt.timeIntervalSince(acknowledgedAt) < 1.5, "the daemon notices another process's change within a second")
        #expect(acknowledgedAt.timeIntervalSince(alarmedAt) < 8, "acknowledged before the community was due")
        // Past the community's deadline, with a second to spare.
        try await Task.sleep(for: .seconds(max(0, 9 - Date().timeIntervalSince(alarmedAt))))
        #expect(calls(responders).count == 1, "nobody else is called once someone has acknowledged")
        await harness.stop()
    }

    @Test func anUnknownDetectorGoesToTheStreetAndASecondDetectorEscalatesEverything() async throws {
        let harness = try DaemonHarness(escalation: "{ grid: 0s, community: 1m, street: 2m, station: 3m }")
        try await harness.start()
        let responders = try await harness.responders()
        let publisher = try await harness.publisher()
        try await publisher.publish("zigbee2mqtt/kitchen", #"{"smoke":true,"battery":90}"#)
        #expect(await eventually(timeout: 5) { calls(responders).contains { $0.topic == "smokegate/notify/street/yongquan" } })
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"alarm","seq":1}"#)
        try await publisher.publish("smokegate/detectors/det-2/event", #"{"type":"alarm","seq":1}"#)
        #expect(await eventually(timeout: 5) { calls(responders).count == 6 })
        // Calls to one unit about one incident keep their order; across units the broker may interleave.
        let det1 = calls(responders).filter { $0.field("device") == "det-1" }.map(\.topic).sorted()
        #expect(
            det1
                == ["community/yq-c01", "grid/yq-c01-g01", "grid/yq-c01-g01", "station/wgxz", "street/yongquan"].map {
                    "smokegate/notify/" + $0
                },
            "the second detector at 北湖小区3栋 tells the grid again and sends the first one's incident to every tier")
        #expect(try harness.store.incidents().count == 2)
        await harness.stop()
    }

    @Test func offlineDetectorsGoOfflineAndABurntOneEscalatesItsFire() async throws {
        let harness = try DaemonHarness(
            escalation: "{ grid: 0s, community: 1m, street: 2m, station: 3m }",
            supervision: "{ default: { heartbeat: 1s, offline_after: 3s }, nbiot: { heartbeat: 24h, offline_after: 25h } }",
            dispatch: "{ topic_prefix: smokegate/notify, group_interval: 1s }")
        try await harness.start()
        let responders = try await harness.responders()
        let publisher = try await harness.publisher()
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"alarm","seq":1}"#)
        // det-2 keeps reporting; det-1 (in alarm) and nothing else goes quiet.
        for sequence in 1...12 {
            try await publisher.publish("smokegate/detectors/det-2/event", #"{"type":"heartbeat","seq":\#(sequence)}"#, qos: 0)
            try await Task.sleep(for: .milliseconds(500))
        }
        let fire = calls(responders).filter { $0.field("kind") == "fire" }.map { $0.topic.split(separator: "/")[2] }
        #expect(
            fire == ["grid", "grid", "community", "street", "station"],
            "a burnt detector escalates its fire at once, and the grid is told why")
        let offline = calls(responders).filter { $0.field("kind") == "offline" }
        #expect(offline.map { $0.field("device") } == ["det-1"], "det-2 was heard; the NB-IoT detector has 25 hours")
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"heartbeat","seq":2}"#, qos: 0)
        // det-2 goes offline too once its heartbeats stop: the grid's offline group tells det-1's return.
        #expect(
            await eventually(timeout: 5) {
                responders.received.contains { $0.field("kind") == "offline" && $0.payload.contains(#""returned":["det-1"]"#) }
            })
        await harness.stop()
    }

    @Test func nobodyGoesOfflineWhileTheGatewayCannotHear() async throws {
        let broker = try MosquittoBroker(persistence: true)
        let harness = try DaemonHarness(
            broker: broker,
            supervision: "{ default: { heartbeat: 1s, offline_after: 2s }, nbiot: { heartbeat: 24h, offline_after: 25h } }")
        try await harness.start()
        broker.stop()
        try await Task.sleep(for: .seconds(3))
        try broker.start()
        let reconnected = Date()
        #expect(await eventually(timeout: 40) { harness.daemon?.isConnected == true })
        let store = try harness.store
        #expect(try store.incidents().isEmpty, "the broker outage is not the detectors' silence")
        #expect(try await eventually(timeout: 10) { try store.devicesOffline() == ["det-1", "det-2"] })
        let opened = try store.incidents().map(\.openedAt)
        #expect(opened.allSatisfy { $0.timeIntervalSince(reconnected) >= 1.9 }, "a full offline_after from the reconnection")
        await harness.stop()
    }

    @Test func callsWaitInTheOutboxWhileTheBrokerIsDownAndKeepTheirIDs() async throws {
        let broker = try MosquittoBroker(persistence: true)
        let harness = try DaemonHarness(broker: broker, escalation: "{ grid: 0s, community: 2s }")
        try await harness.start()
        let responders = try await harness.responders(persistent: true)
        let publisher = try await harness.publisher()
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"alarm","seq":1}"#)
        #expect(await eventually(timeout: 5) { calls(responders).count == 1 })
        broker.stop()
        try await Task.sleep(for: .seconds(3))  // the community falls due while the broker is away
        let store = try harness.store
        let waiting = try store.pendingNotifications(at: Date().addingTimeInterval(60))
        #expect(waiting.map(\.topic) == ["smokegate/notify/community/yq-c01"], "stored before it is sent")
        try broker.start()
        #expect(await eventually(timeout: 40) { calls(responders).count == 2 })
        #expect(calls(responders).last?.field("notification") == waiting.first?.notification, "the same id across retries")
        #expect(try await eventually { try store.outboxBacklog() == 0 })
        await harness.stop()
    }
}
