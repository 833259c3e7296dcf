import Foundation
import SmokeGateTestSupport
import Testing

/// `/metrics` and `/healthz` as a monitoring system sees them: plain HTTP against the
/// in-process daemon on a real broker.
@Suite(.serialized) struct MonitoringTests {
    private func harness(escalation: String = TestConfiguration.compressedLadder) throws -> (DaemonHarness, Int) {
        let port = try FreePort.find()
        let harness = try DaemonHarness(escalation: escalation, extra: "http:\n  listen: 127.0.0.1:\(port)")
        return (harness, port)
    }

    /// The value of one sample line, `name{labels} value`, in Prometheus text.
    private func sample(_ text: String, _ series: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last!) }
    }

    /// `/metrics` once it counts the community's call: the broker has confirmed it, and every
    /// figure of the alarm before it is in.
    private func metricsOnceTheCommunityCallIsConfirmed(port: Int) async -> String {
        var text = ""
        #expect(
            await eventually(timeout: 5) {
                text = HTTPProbe.get("/metrics", port: port)?.body ?? ""
                return sample(text, #"smokegate_notifications_sent_total{tier="community",action="notify"}"#) == 1
            }, "the community call is counted once the broker confirms it")
        return text
    }

    @Test func healthzIs200WhileConnectedAnd503WithTheBrokerGone() async throws {
        let (harness, port) = try harness()
        try await harness.start()
        var last: HTTPProbe.Response?
        #expect(
            await eventually(timeout: 20) {
                last = HTTPProbe.get("/healthz", port: port)
                return last?.status == 200
            }, "healthy once connected: \(last?.status ?? 0) \(last?.body ?? "no answer")")
        let healthy = try #require(HTTPProbe.get("/healthz", port: port))
        #expect(healthy.body.contains(#""broker_connected":true"#) && healthy.body.contains(#""database_writable":true"#))
        #expect(healthy.headers["content-type"] == "application/json")

        harness.broker.stop()
        #expect(await eventually(timeout: 10) { HTTPProbe.get("/healthz", port: port)?.status == 503 })
        let unhealthy = try #require(HTTPProbe.get("/healthz", port: port))
        #expect(unhealthy.body.contains("not connected to the broker"), "503 says why: \(unhealthy.body)")
        #expect(sample(HTTPProbe.get("/metrics", port: port)?.body ?? "", "smokegate_broker_connected") == 0)

        try harness.broker.start()
        #expect(await eventually(timeout: 20) { HTTPProbe.get("/healthz", port: port)?.status == 200 }, "healthy again once back")
        #expect(HTTPProbe.get("/nothing-here", port: port)?.status == 404)
        await harness.stop()
        #expect(HTTPProbe.get("/healthz", port: port, timeout: 1) == nil, "the listener closes with the daemon")
    }

    @Test func metricsCountMessagesRejectionsIncidentsCallsAndLateness() async throws {
        let (harness, port) = try harness(escalation: "{ grid: 0s, community: 1s, street: 1h }")
        try await harness.start()
        let responders = try await harness.responders()
        let publisher = try await harness.publisher()
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"heartbeat","seq":1,"battery":90}"#)
        try await publisher.publish("smokegate/detectors/det-1/event", "{not json")
        try await publisher.publish("zigbee2mqtt/garage", #"{"smoke":false,"battery":90}"#)
        try await publisher.publish(
            "ctwing/smoke/1", #"{"messageType":"dataReport","payload":{"serviceData":{"Alarm_Status":1}}}"#)
        try await publisher.publish("smokegate/detectors/det-2/event", #"{"type":"alarm","seq":7}"#)
        #expect(await eventually(timeout: 5) { responders.received.filter { $0.field("action") == "notify" }.count == 2 })

        let text = await metricsOnceTheCommunityCallIsConfirmed(port: port)
        #expect(sample(text, #"smokegate_messages_received_total{format="native"}"#) == 3)
        #expect(sample(text, #"smokegate_messages_received_total{format="zigbee2mqtt"}"#) == 1)
        #expect(sample(text, #"smokegate_messages_received_total{format="ctwing"}"#) == 1)
        #expect(sample(text, #"smokegate_messages_rejected_total{reason="invalid_json"}"#) == 1)
        #expect(sample(text, #"smokegate_messages_rejected_total{reason="missing_field"}"#) == 1)
        #expect(sample(text, "smokegate_heartbeats_total") == 2, "det-1's heartbeat and the Zigbee state report")
        #expect(sample(text, #"smokegate_open_incidents{kind="fire",tier="community"}"#) == 1)
        #expect(sample(text, #"smokegate_open_incidents{kind="fire",tier="grid"}"#) == 0)
        #expect(sample(text, #"smokegate_notifications_sent_total{tier="grid",action="notify"}"#) == 1)
        #expect(sample(text, #"smokegate_alarm_to_dispatch_seconds_count{tier="grid"}"#) == 1)
        let gridLatency = try #require(sample(text, #"smokegate_alarm_to_dispatch_seconds_sum{tier="grid"}"#))
        #expect(gridLatency > 0 && gridLatency < 1, "the grid call left within a second of the alarm: \(gridLatency) s")
        #expect(sample(text, "smokegate_escalation_lateness_seconds_count") == 1, "the community deadline fired once")
        #expect(sample(text, #"smokegate_escalation_lateness_seconds_bucket{le="1.0"}"#) == 1, "and not a second late")
        #expect(sample(text, "smokegate_broker_connected") == 1)
        #expect(sample(text, "smokegate_database_writable") == 1)
        #expect(sample(text, "smokegate_outbox_backlog") == 0)
        #expect(
            harness.database.isPostgres || (sample(text, "smokegate_sqlite_memory_bytes") ?? 0) > 0,
            "SQLite's caches, in use since the first query")
        #expect(text.contains("# HELP smokegate_messages_rejected_total"), "every family says what it counts")

        let again = HTTPProbe.get("/metrics", port: port)?.body ?? ""
        #expect(
            sample(again, #"smokegate_messages_received_total{format="native"}"#) == 3, "a second scrape adds nothing new")
        await harness.stop()
    }

    /// Where an alarm's time goes: each stage from libmosquitto's callback to the grid call's
    /// PUBACK, once per alarm, and the stages add up to the whole path. A call the scheduler
    /// makes later (the community's deadline) is not an alarm's path and is not timed.
    @Test func anAlarmsPathIsTimedStageByStage() async throws {
        let (harness, port) = try harness(escalation: "{ grid: 0s, community: 1s, street: 1h }")
        try await harness.start()
        let responders = try await harness.responders()
        let publisher = try await harness.publisher()
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"heartbeat","seq":1}"#)
        try await publisher.publish("smokegate/detectors/det-2/event", #"{"type":"alarm","seq":7}"#)
        #expect(await eventually(timeout: 5) { responders.received.filter { $0.field("action") == "notify" }.count == 2 })

        let text = await metricsOnceTheCommunityCallIsConfirmed(port: port)
        let stages = ["order", "decode", "lock", "statements", "commit", "wake", "read", "publish", "puback"]
        for stage in stages + ["total"] {
            #expect(sample(text, #"smokegate_alarm_stage_seconds_count{stage="\#(stage)"}"#) == 1, "\(stage), once")
        }
        let parts = stages.compactMap { sample(text, #"smokegate_alarm_stage_seconds_sum{stage="\#($0)"}"#) }
        let total = try #require(sample(text, #"smokegate_alarm_stage_seconds_sum{stage="total"}"#))
        #expect(parts.count == stages.count && parts.allSatisfy { $0 >= 0 })
        #expect(total > 0 && total < 1, "the grid call's PUBACK within a second of the alarm: \(total) s")
        #expect(
            abs(parts.reduce(0, +) - total) < 0.002, "the stages cover the path, no more: \(parts) against \(total)")
        await harness.stop()
    }
}
