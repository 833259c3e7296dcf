import Foundation
import SmokeGateTestSupport
import Testing

/// A new fire's first call leaves from the thread that committed the fire, as its commit
/// returns (`ExpressCalls`), not when the dispatcher next wakes and reads the outbox; the
/// dispatcher still records the broker's answer, so the outbox says what became of it.
@Suite(.serialized) struct FirstFireCallTests {
    private func harness(devices: String = TestConfiguration.devices) throws -> (DaemonHarness, Int) {
        let port = try FreePort.find()
        let harness = try DaemonHarness(
            escalation: "{ grid: 0s, community: 1h, street: 2h, station: 3h }", extra: "http:\n  listen: 127.0.0.1:\(port)",
            devices: devices)
        return (harness, port)
    }

    /// The value of one sample line, `name{labels} value`, in Prometheus text.
    private func sample(_ text: String, _ series: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last!) }
    }

    /// `/metrics` once `count` grid calls are counted as confirmed by the broker.
    private func metrics(port: Int, gridCallsSent count: Int) async -> String {
        var text = ""
        #expect(
            await eventually(timeout: 10) {
                text = HTTPProbe.get("/metrics", port: port)?.body ?? ""
                return sample(text, #"smokegate_notifications_sent_total{tier="grid",action="notify"}"#) == Double(count)
            }, "\(count) grid calls counted once the broker confirms them")
        return text
    }

    /// Alarm at 0: the grid worker's call leaves with no outbox read between the commit and
    /// the PUBLISH, and is marked sent at its PUBACK. A fault after it is maintenance, and
    /// waits for the dispatcher as before.
    @Test func aNewFiresGridCallLeavesAsItsCommitReturns() async throws {
        let (harness, port) = try harness()
        try await harness.start()
        let responders = try await harness.responders()
        let publisher = try await harness.publisher()
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"alarm","seq":1}"#)
        #expect(await eventually(timeout: 5) { responders.received.filter { $0.field("action") == "notify" }.count == 1 })
        let text = await metrics(port: port, gridCallsSent: 1)
        #expect(sample(text, "smokegate_first_fire_calls_total") == 1, "the fire's grid call left as its commit returned")
        #expect(
            sample(text, #"smokegate_alarm_stage_seconds_sum{stage="read"}"#) == 0,
            "no outbox read between the alarm's commit and its call's PUBLISH")
        #expect(
            await eventually(timeout: 5) { (try? harness.database.open().outboxBacklog()) == 0 },
            "the call is marked sent at its PUBACK")

        try await publisher.publish("smokegate/detectors/det-2/event", #"{"type":"fault","seq":2}"#)
        try await Task.sleep(for: .milliseconds(500))
        let after = HTTPProbe.get("/metrics", port: port)?.body ?? ""
        #expect(sample(after, "smokegate_first_fire_calls_total") == 1, "a fault is maintenance: not a fire's first call")
        await harness.stop()
    }

    /// Forty fires at once, committed in groups while the dispatcher reads the outbox: each
    /// grid call reaches the responders once (one side publishes each row), and every row is
    /// marked sent.
    @Test func firesAtOnceAreEachCalledOnce() async throws {
        let fires = 40
        let (harness, port) = try harness(devices: ReceiverSetup.devices(fires))
        try await harness.start()
        let responders = try await harness.responders()
        let publisher = try await harness.publisher()
        try await publisher.publishBurst(
            (1...fires).map { ("smokegate/detectors/fire-\($0)/event", #"{"type":"alarm","seq":1}"#) })
        let text = await metrics(port: port, gridCallsSent: fires)
        // Time for a second copy of any call to arrive.
        try await Task.sleep(for: .milliseconds(500))
        let calls = responders.received.filter { $0.field("action") == "notify" }
        #expect(calls.count == fires, "one call per fire: \(calls.count)")
        #expect(Set(calls.compactMap { $0.field("notification") }).count == fires, "no call sent twice")
        #expect((sample(text, "smokegate_first_fire_calls_total") ?? 0) >= 1, "fires' first calls left as committed")
        #expect(try harness.database.open().outboxBacklog() == 0, "every call marked sent")
        await harness.stop()
    }
}
