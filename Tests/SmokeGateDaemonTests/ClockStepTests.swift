import Foundation
import SmokeGateCore
import SmokeGateStore
import SmokeGateTestSupport
import Testing

/// Field rule 5 inside one process: the daemon's wall clock is stepped (as NTP steps a
/// machine's) while a fire climbs its ladder, and every tier is still called at its offset
/// in real time, and nobody is declared offline. The test keeps the real clock, so the
/// offsets it measures are real elapsed time.
@Suite(.serialized) struct ClockStepTests {
    private func calls(_ subscriber: TestSubscriber, action: String = "notify") -> [TestSubscriber.Received] {
        subscriber.received.filter { $0.field("action") == action }
    }

    /// Seconds from `start` to the call of each tier.
    private func offsets(_ subscriber: TestSubscriber, since start: Date) -> [String: TimeInterval] {
        Dictionary(
            calls(subscriber).compactMap { call in call.field("tier").map { ($0, call.arrivedAt.timeIntervalSince(start)) } },
            uniquingKeysWith: min)
    }

    /// Each tier of `due` was called once, no earlier than its offset and at most `slack` after
    /// (3 s: room for a loaded CI machine, and still far from "at once" or "an hour late").
    private func expectOnTime(
        _ subscriber: TestSubscriber, since start: Date, due: [(String, TimeInterval)], slack: TimeInterval = 3
    ) {
        let measured = offsets(subscriber, since: start)
        for (tier, offset) in due {
            let at = measured[tier] ?? .infinity
            #expect(at >= offset - 0.25 && at <= offset + slack, "\(tier) called \(at) s after the alarm; due at \(offset) s")
        }
        for tier in Set(calls(subscriber).compactMap { $0.field("tier") }) {
            #expect(calls(subscriber).filter { $0.field("tier") == tier }.count == 1, "\(tier) called once")
        }
    }

    private func sleep(until moment: Date) async throws {
        try await Task.sleep(for: .milliseconds(max(0, Int(moment.timeIntervalSinceNow * 1_000))))
    }

    @Test func aForwardStepAfterAFireOpensCallsNoTierEarlyAndDeclaresNobodyOffline() async throws {
        let port = try FreePort.find()
        let harness = try DaemonHarness(
            escalation: "{ grid: 0s, community: 4s, street: 8s, station: 12s }", extra: "http:\n  listen: 127.0.0.1:\(port)")
        try await harness.start()
        let responders = try await harness.responders()
        let publisher = try await harness.publisher()
        // det-2 is heard once; the NB-IoT detector never: neither may go offline (5 min, 25 h).
        try await publisher.publish("smokegate/detectors/det-2/event", #"{"type":"heartbeat","seq":1}"#)
        let alarmedAt = Date()
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"alarm","seq":1}"#)
        #expect(await eventually(timeout: 5) { calls(responders).count == 1 })
        try await sleep(until: alarmedAt.addingTimeInterval(1.5))
        harness.wall.step(by: 16 * 60)

        #expect(await eventually(timeout: 20) { calls(responders).count == 4 })
        try await Task.sleep(for: .seconds(1))
        expectOnTime(responders, since: alarmedAt, due: [("grid", 0), ("community", 4), ("street", 8), ("station", 12)])
        let store = try harness.store
        #expect(try store.devicesOffline().isEmpty, "a step is not silence")
        #expect(try store.incidents().map(\.kind) == [.fire], "no offline incident")
        let notes = try store.timeline(of: 1).compactMap(\.note)
        #expect(!notes.contains { $0.contains("late by") }, "no call marked late: \(notes)")
        let metrics = HTTPProbe.get("/metrics", port: port)?.body ?? ""
        #expect(metrics.contains("smokegate_clock_steps_total 1"), "the step is counted")
        #expect(
            try store.incident(1)!.openedAt.timeIntervalSince(alarmedAt) < 1,
            "opened_at is a record: it keeps the time the fire was reported")
        await harness.stop()
    }

    @Test func aBackwardStepCallsTheCommunityAtItsOffsetNotAnHourLate() async throws {
        let harness = try DaemonHarness(escalation: "{ grid: 0s, community: 4s, street: 8s }")
        try await harness.start()
        let responders = try await harness.responders()
        let publisher = try await harness.publisher()
        let alarmedAt = Date()
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"alarm","seq":1}"#)
        #expect(await eventually(timeout: 5) { calls(responders).count == 1 })
        try await sleep(until: alarmedAt.addingTimeInterval(1.5))
        harness.wall.step(by: -3_600)

        #expect(await eventually(timeout: 20) { calls(responders).count == 3 })
        try await Task.sleep(for: .seconds(1))
        expectOnTime(responders, since: alarmedAt, due: [("grid", 0), ("community", 4), ("street", 8)])
        // The gateway's clock agrees with the wall clock again: what it writes now is an hour back.
        let street = try harness.store.timeline(of: 1).last { $0.tier == .street }
        #expect(abs((street?.at ?? .distantPast).timeIntervalSince(harness.wall.now())) < 10)
        await harness.stop()
    }

    @Test func aRetryIsNotDelayedByABackwardStep() async throws {
        let broker = try MosquittoBroker(persistence: true)
        let harness = try DaemonHarness(broker: broker, escalation: "{ grid: 0s, community: 1h }")
        try await harness.start()
        let responders = try await harness.responders(persistent: true)
        let publisher = try await harness.publisher()
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"alarm","seq":1}"#)
        #expect(await eventually(timeout: 5) { calls(responders).count == 1 })
        broker.stop()
        // The CLI acknowledges while the broker is away; the call fails five times, so its next
        // attempt is planned 8 s ahead.
        let operatorStore = try harness.database.open()
        try operatorStore.acknowledge(1, by: "网格员王", note: nil, at: Date(), desk: harness.desk)
        let waiting = try operatorStore.pendingNotifications(at: Date().addingTimeInterval(60))
        #expect(waiting.map(\.action) == ["ack"])
        for _ in 0..<5 { try operatorStore.markFailed(waiting.map(\.id), error: "refused in a test", at: Date()) }
        let plannedAt = Date().addingTimeInterval(8)
        try broker.start()
        try await Task.sleep(for: .seconds(1))
        harness.wall.step(by: -3_600)

        #expect(await eventually(timeout: 20) { calls(responders, action: "ack").count == 1 })
        let arrived = try #require(calls(responders, action: "ack").first?.arrivedAt)
        #expect(arrived.timeIntervalSince(plannedAt) > -1, "not before its planned attempt: the retry moved with the step")
        #expect(arrived.timeIntervalSince(plannedAt) < 5, "not an hour late")
        await harness.stop()
    }

    @Test func aStepWhileTheDaemonIsStoppedIsMeasuredOnTheBootClock() async throws {
        let harness = try DaemonHarness(escalation: "{ grid: 0s, community: 6s, street: 10s }")
        try await harness.start()
        let responders = try await harness.responders()
        let publisher = try await harness.publisher()
        let alarmedAt = Date()
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"alarm","seq":1}"#)
        #expect(await eventually(timeout: 5) { calls(responders).count == 1 })
        await harness.stop()
        // Stopped, the machine's clock is set back an hour; the daemon starts again in this boot.
        harness.wall.step(by: -3_600)
        try await harness.start()

        #expect(await eventually(timeout: 20) { calls(responders).count == 3 })
        try await Task.sleep(for: .seconds(1))
        expectOnTime(responders, since: alarmedAt, due: [("grid", 0), ("community", 6), ("street", 10)])
        await harness.stop()
    }
}
