import Foundation
import SmokeGateTestSupport
import Testing

/// The contract's field rules, tried as a street would meet them: the released `smokegated`
/// and `smokegate` on a real broker, ordinary field situations, and the calls as responders'
/// systems receive them. Each was a fire that called nobody before the rulebook.
@Suite(.serialized) struct FieldRuleTests {
    /// The registry of the end-to-end tests, plus a Zigbee2MQTT detector at det-1's venue.
    static let devices = TestConfiguration.devices + "\nkitchen-3,yq-c01-g01,北湖路1号3栋103室,北湖小区3栋,residential,\n"

    private func notifies(_ responders: TestSubscriber, after time: Date, incident: String? = nil) -> [TestSubscriber.Received] {
        responders.received.filter {
            $0.arrivedAt >= time && $0.field("action") == "notify" && (incident == nil || $0.field("incident") == incident)
        }
    }

    private func start(escalation: String = TestConfiguration.compressedLadder) async throws -> (
        RunningDaemon, TestSubscriber, TestPublisher, [String]
    ) {
        let broker = try MosquittoBroker()
        let files = try TestConfiguration(brokerPort: broker.port, escalation: escalation, devices: Self.devices)
        let running = try await RunningDaemon.start(broker: broker, files: files)
        let responders = try await TestSubscriber.connect(port: broker.port, filters: ["smokegate/notify/#"])
        return (running, responders, try await running.publisher(), ["--config", files.mainFile.path])
    }

    @Test func anAlarmAfterTheDetectorClearedOnAnAcknowledgedFireCallsAgain() async throws {
        let (running, responders, publisher, config) = try await start(escalation: "{ grid: 0s, community: 30s, street: 60s }")
        defer { running.broker.stop() }
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"alarm","seq":1}"#)
        #expect(await eventually(timeout: 5) { notifies(responders, after: .distantPast).count == 1 })
        let ack = try await BinaryProcess.run("smokegate", ["ack", "1", "--by", "王伟"] + config)
        #expect(ack.status == 0, "\(ack.stderr)")
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"alarm_clear","seq":2}"#)
        #expect(try await eventually { try running.store.timeline(of: 1).contains { $0.action == .alarmCleared } })
        // Later the detector senses smoke again: the acknowledgement was for the smoke seen then.
        let again = Date()
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"alarm","seq":3}"#)
        #expect(
            await eventually(timeout: 3) { !notifies(responders, after: again).isEmpty },
            "an alarm after a clear on an acknowledged fire calls someone within a second")
        #expect(await running.process.stop() == 0)
    }

    @Test func anAlarmOnAFireThatHasCalledEveryTierCallsAgain() async throws {
        let (running, responders, publisher, _) = try await start()
        defer { running.broker.stop() }
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"alarm","seq":1}"#)
        #expect(await eventually(timeout: 10) { responders.received.contains { $0.field("tier") == "station" } })
        let again = Date()
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"alarm","seq":2}"#)
        #expect(await eventually(timeout: 3) { notifies(responders, after: again).count == 4 }, "every tier called is told again")
        #expect(await running.process.stop() == 0)
    }

    @Test func resolvingWhileADetectorStillSensesSmokeReLatches() async throws {
        let (running, responders, publisher, config) = try await start(escalation: "{ grid: 0s, community: 1m }")
        defer { running.broker.stop() }
        // D alarms (cooking); E, a Zigbee2MQTT detector at the same venue, alarms for real and
        // joins D's fire; D clears; the operator, standing at D, resolves as cooking.
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"alarm","seq":1}"#)
        try await publisher.publish("zigbee2mqtt/kitchen-3", #"{"smoke":true,"battery":90,"linkquality":120}"#)
        #expect(await eventually(timeout: 5) { responders.received.contains { $0.field("tier") == "community" } })
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"alarm_clear","seq":2}"#)
        #expect(try await eventually { try running.store.timeline(of: 1).contains { $0.action == .alarmCleared } })
        let resolvedAt = Date()
        let resolved = try await BinaryProcess.run("smokegate", ["resolve", "1", "--by", "王伟", "--cause", "cooking"] + config)
        #expect(resolved.status == 0, "\(resolved.stderr)")
        #expect(resolved.stdout.contains("RE-LATCHED") && resolved.stdout.contains("kitchen-3"), "\(resolved.stdout)")
        #expect(
            await eventually(timeout: 3) { notifies(responders, after: resolvedAt, incident: "2").count == 2 },
            "the fire is back at once, to the grid and the community it had reached")
        #expect(try running.store.incidents().first { $0.id == 2 }?.site.deviceID == "kitchen-3")
        // E keeps reporting the same state: no change, nothing more.
        try await publisher.publish("zigbee2mqtt/kitchen-3", #"{"smoke":true,"battery":90,"linkquality":118}"#)
        try await Task.sleep(for: .milliseconds(500))
        #expect(try running.store.incidents().count == 2)
        #expect(await running.process.stop() == 0)
    }

    @Test func aDetectorWhoseCounterRestartedIsHeard() async throws {
        let (running, responders, publisher, config) = try await start(escalation: "{ grid: 0s, community: 1m }")
        defer { running.broker.stop() }
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"alarm","seq":7}"#)
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"alarm_clear","seq":8}"#)
        #expect(try await eventually { try running.store.timeline(of: 1).contains { $0.action == .alarmCleared } })
        #expect(try await BinaryProcess.run("smokegate", ["resolve", "1", "--by", "王伟", "--cause", "test"] + config).status == 0)
        // The detector reboots, its counter starts again, and it alarms: the same bytes, a new fire.
        let rebooted = Date()
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"alarm","seq":7}"#)
        #expect(await eventually(timeout: 3) { !notifies(responders, after: rebooted, incident: "2").isEmpty })
        #expect(await running.process.stop() == 0)
    }

    @Test func aRetainedAlarmIsNotANewFire() async throws {
        let broker = try MosquittoBroker()
        defer { broker.stop() }
        // Left on the broker long ago, retained, before this gateway ever subscribed.
        let early = try await TestPublisher.connect(port: broker.port)
        try await early.publish("smokegate/detectors/det-1/event", #"{"type":"alarm"}"#, retain: true)
        let files = try TestConfiguration(brokerPort: broker.port, devices: Self.devices)
        let running = try await RunningDaemon.start(broker: broker, files: files)
        try await Task.sleep(for: .seconds(2))
        #expect(try running.store.incidents().isEmpty, "the broker's replay of an old alarm is not a fire")
        // A live alarm is.
        try await early.publish("smokegate/detectors/det-2/event", #"{"type":"alarm"}"#)
        #expect(try await eventually(timeout: 5) { try running.store.incidents().count == 1 })
        #expect(await running.process.stop() == 0)
    }

    @Test func aFireThatBeganUnderASilenceAndStillBurnsIsCalledWhenItEnds() async throws {
        let (running, responders, publisher, config) = try await start(escalation: "{ grid: 0s, community: 1m }")
        defer { running.broker.stop() }
        let added = try await BinaryProcess.run(
            "smokegate", ["silence", "add", "--device", "det-1", "--for", "3s", "--reason", "厨房改造", "--by", "王伟"] + config)
        #expect(added.status == 0, "\(added.stderr)")
        let silencedAt = Date()
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"alarm","seq":1}"#)
        try await Task.sleep(for: .seconds(2))
        #expect(notifies(responders, after: .distantPast).isEmpty, "nobody is called while the silence holds")
        #expect(await eventually(timeout: 4) { !notifies(responders, after: .distantPast).isEmpty })
        let call = try #require(notifies(responders, after: .distantPast).first)
        #expect(call.field("device") == "det-1" && call.field("tier") == "grid")
        #expect(call.arrivedAt.timeIntervalSince(silencedAt) < 3 + 2.5, "called soon after the silence ends")
        #expect(await running.process.stop() == 0)
    }

    @Test func anOldHiddenFireDoesNotSwallowTheSilenceOfARealOne() async throws {
        let broker = try MosquittoBroker()
        defer { broker.stop() }
        let files = try TestConfiguration(
            brokerPort: broker.port, escalation: "{ grid: 0s, community: 1m, street: 2m, station: 3m }",
            supervision: "{ default: { heartbeat: 1s, offline_after: 3s }, nbiot: { heartbeat: 24h, offline_after: 25h } }",
            devices: Self.devices)
        let running = try await RunningDaemon.start(broker: broker, files: files)
        let responders = try await TestSubscriber.connect(port: broker.port, filters: ["smokegate/notify/#"])
        let publisher = try await running.publisher()
        let config = ["--config", files.mainFile.path]
        // A fire hidden by a short silence is left open; the detector clears before it ends.
        let added = try await BinaryProcess.run(
            "smokegate", ["silence", "add", "--device", "det-1", "--for", "2s", "--reason", "检修", "--by", "王伟"] + config)
        #expect(added.status == 0, "\(added.stderr)")
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"alarm","seq":1}"#)
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"alarm_clear","seq":2}"#)
        try await Task.sleep(for: .milliseconds(2_500))
        // A real fire, then the detector goes offline during it: it may have burnt. (The hidden
        // fire calls nobody, so every fire call below is the real one's.)
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"alarm","seq":3}"#)
        let fireCalls = { notifies(responders, after: .distantPast).filter { $0.field("kind") == "fire" } }
        #expect(await eventually(timeout: 3) { fireCalls().contains { $0.field("tier") == "grid" } })
        #expect(
            await eventually(timeout: 8) { fireCalls().contains { $0.field("tier") == "station" } },
            "the real fire goes to every tier at once when its detector goes offline")
        #expect(Set(fireCalls().map { $0.field("incident") }).count == 1)
        #expect(await running.process.stop() == 0)
    }

    @Test func aZigbee2MQTTAlarmAtQoS0IsWarnedAboutOncePerDetector() async throws {
        let (running, responders, publisher, _) = try await start(escalation: "{ grid: 0s, community: 1m }")
        defer { running.broker.stop() }
        for smoke in [true, false, true] {
            try await publisher.publish("zigbee2mqtt/kitchen-3", #"{"smoke":\#(smoke),"battery":90}"#, qos: 0)
            try await Task.sleep(for: .milliseconds(300))
        }
        #expect(await eventually(timeout: 5) { !notifies(responders, after: .distantPast).isEmpty })
        #expect(await running.process.stop() == 0)
        let warnings = running.process.standardError.components(separatedBy: "arrived at QoS 0").count - 1
        #expect(warnings == 1, "one warning for kitchen-3, however often it alarms: \(warnings)")
        #expect(running.process.standardError.contains("queue_qos0_messages"))
    }
}
