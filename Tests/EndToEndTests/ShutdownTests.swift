import Foundation
import SmokeGateStore
import SmokeGateTestSupport
import Testing

/// SIGTERM, as systemd sends it on `systemctl stop` or a restart, while alarms and heartbeats
/// are still arriving: the daemon exits 0 having stored and called for everything it took,
/// and what it had not taken yet is waiting at the broker for the next start.
@Suite(.serialized) struct ShutdownTests {
    @Test func sigtermWithAlarmsAndHeartbeatsInFlightLosesNothing() async throws {
        let broker = try MosquittoBroker()
        defer { broker.stop() }
        let files = try TestConfiguration(brokerPort: broker.port, escalation: "{ grid: 0s, community: 1h }")
        let arguments = ["--config", files.mainFile.path]
        let responders = try await TestSubscriber.connect(port: broker.port, filters: ["smokegate/notify/#"], persistent: true)
        let first = try BinaryProcess("smokegated", arguments)
        let store = StoreWatcher(path: files.databaseFile.path)
        #expect(try await eventually(timeout: 30) { try store.connected() }, "\(first.standardError)")

        let publisher = try await TestPublisher.connect(port: broker.port)
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"heartbeat","seq":1,"battery":33}"#)
        // Detectors outside the registry: each alarm opens its own incident and reaches the street,
        // the first few each on its own, the rest of the flood in the street's fire group.
        let alarms = 300
        let burst = Task {
            for n in 1...alarms {
                try await publisher.publish("smokegate/detectors/u-\(n)/event", #"{"type":"alarm","seq":\#(n)}"#)
            }
        }
        #expect(try await eventually(timeout: 30) { try store.alarms() >= 40 })
        let status = await first.stop(signal: SIGTERM, grace: 30)
        try await burst.value
        #expect(status == 0, "SIGTERM mid-burst is a clean exit: \(first.standardError)")

        let stored = try store.alarms()
        #expect(stored >= 40 && stored <= alarms, "some alarms taken before the stop: \(stored)")
        let afterStop = try Store(path: files.databaseFile.path, readOnly: true)
        #expect(try afterStop.outboxBacklog() == 0, "every call for an alarm it took was handed to the broker before exit")
        #expect(
            try afterStop.devices().first { $0.id == "det-1" }?.battery == 33, "the last heartbeat was flushed on the way out")
        #expect(try afterStop.readStatus()?.stoppedAt != nil, "the status says it stopped")

        let second = try BinaryProcess("smokegated", arguments)
        #expect(
            try await eventually(timeout: 60) { try store.alarms() == alarms },
            "the alarms it had not taken were waiting at the broker: \(second.standardError)")
        let told = { Set(responders.received.flatMap { Self.devicesTold(in: $0) }) }
        #expect(await eventually(timeout: 30) { told().count >= alarms }, "every alarm reached the street")
        try await Task.sleep(for: .seconds(1))
        let calls = responders.received.filter { $0.field("action") == "notify" }
        let ids = calls.compactMap { $0.field("notification") }
        #expect(Set(ids).count == ids.count, "no call twice: \(ids.count) calls")
        #expect(calls.count < alarms / 10, "a flood is grouped, not one call per alarm: \(calls.count) calls")
        #expect(told().count == alarms)
        #expect(try store.incidents().count == alarms, "one incident per alarm")
        #expect(await second.stop() == 0, "\(second.standardError)")
    }

    /// The detectors a call tells of: its own, and those its `group` lists.
    static func devicesTold(in call: TestSubscriber.Received) -> [String] {
        let json = (try? JSONSerialization.jsonObject(with: Data(call.payload.utf8))) as? [String: Any] ?? [:]
        let listed = ((json["group"] as? [String: Any])?["detectors"] as? [[String: Any]] ?? []).compactMap {
            $0["device"] as? String
        }
        return [json["device"] as? String].compactMap { $0 } + listed
    }

    @Test func sigtermWhileTheBrokerIsAwayIsStillACleanExit() async throws {
        let broker = try MosquittoBroker()
        defer { broker.stop() }
        let files = try TestConfiguration(brokerPort: broker.port)
        let daemon = try BinaryProcess("smokegated", ["--config", files.mainFile.path])
        let store = StoreWatcher(path: files.databaseFile.path)
        #expect(try await eventually(timeout: 30) { try store.connected() }, "\(daemon.standardError)")
        broker.stop()
        #expect(try await eventually(timeout: 10) { try store.connected() == false })
        // Let it fail to reconnect at least once, then ask it to stop.
        try await Task.sleep(for: .seconds(2))
        let asked = Date()
        let status = await daemon.stop(signal: SIGTERM, grace: 20)
        #expect(status == 0, "exit 0 with the broker away: \(daemon.standardError)")
        #expect(Date().timeIntervalSince(asked) < 5, "and promptly, not after systemd's stop timeout")
    }
}
