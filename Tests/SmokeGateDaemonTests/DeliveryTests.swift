import Foundation
import SmokeGateCore
import SmokeGateStore
import SmokeGateTestSupport
import Testing

/// Calls reaching people's phones, inside one process: a real broker, a real database, the
/// vendors' loopback doubles checking every request and signature as documented.
@Suite(.serialized) struct DeliveryTests {
    /// A daemon on the test street whose units name receivers pointed at `doubles`.
    private func street(
        _ doubles: ReceiverDoubles, escalation: String = TestConfiguration.compressedLadder, pace: String? = nil,
        devices: String = TestConfiguration.devices, timeout: String = "10s"
    ) throws -> DaemonHarness {
        let folder = try TemporaryFolder.make(prefix: "deliveries")
        let setup = try ReceiverSetup(folder: folder, doublesPort: doubles.port, pace: pace, timeout: timeout)
        return try DaemonHarness(
            escalation: escalation, extra: setup.mainExtra, devices: devices, chain: setup.chain, folder: folder)
    }

    @Test func aFireReachesTheGridRobotAndTextsAtOnceAndTheCommunityAtItsOffset() async throws {
        let doubles = ReceiverDoubles()
        try await doubles.start()
        let harness = try street(doubles, escalation: "{ grid: 0s, community: 3s, street: 1h }")
        try await harness.start()
        let publisher = try await harness.publisher()
        let alarmedAt = Date()
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"alarm","seq":1}"#)
        #expect(await doubles.waitUntil(count: 1, of: .wecom, timeout: .seconds(5)))
        #expect(await doubles.waitUntil(count: 1, of: .aliyunSMS, timeout: .seconds(5)))
        let robot = try #require(doubles.received(.wecom).first)
        #expect(robot.at.timeIntervalSince(alarmedAt) < 2, "the grid's robot hears of the fire at once")
        #expect(robot.text.contains("北湖路1号3栋101室") && robot.text.contains("社区文化广场"))
        let text = try #require(doubles.received(.aliyunSMS).first)
        #expect(text.to.contains("13800000002") && text.code?.count == 6)
        // The community's text at 3 s, not before.
        #expect(await doubles.waitUntil(count: 2, of: .aliyunSMS, timeout: .seconds(8)))
        let community = try #require(doubles.received(.aliyunSMS).last)
        #expect(community.to.contains("13800000001"))
        #expect(community.at.timeIntervalSince(alarmedAt) >= 2.9)
        // `show` lists each delivery and its attempt.
        let store = harness.daemon!.store
        // The double has the text before the daemon has its answer written down.
        #expect(
            await eventually(timeout: 3) {
                (try? store.deliveries(of: 1))?.allSatisfy { $0.state == "delivered" && $0.attempts.count == 1 } == true
            })
        #expect(try store.deliveries(of: 1).map(\.receiver).sorted() == ["grid-wecom", "sms", "sms"])
        await harness.stop()
        await doubles.stop()
    }

    @Test func aReceiverThatRefusesForGoodPutsCallFailedOnTheTimelineAndTheStreetHearsIt() async throws {
        let doubles = ReceiverDoubles()
        try await doubles.start()
        doubles.script(.wecom, [], thereafter: .badKey)
        let harness = try street(doubles, escalation: "{ grid: 0s, community: 1h }")
        try await harness.start()
        let responders = try await harness.responders()
        let publisher = try await harness.publisher()
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"alarm","seq":1}"#)
        // On MQTT, to the street's topic, with why.
        #expect(
            await eventually(timeout: 6) {
                responders.received.contains {
                    $0.topic == "smokegate/notify/street/yongquan" && $0.field("action") == "call_failed"
                }
            })
        let notice = try #require(responders.received.first { $0.field("action") == "call_failed" })
        #expect(notice.field("reason")?.contains("grid-wecom") == true)
        // Through the street's own receivers: its webhook and its DingTalk robot.
        #expect(await doubles.waitUntil(count: 1, of: .webhook, timeout: .seconds(5)))
        #expect(await doubles.waitUntil(count: 1, of: .dingtalk, timeout: .seconds(5)))
        #expect(doubles.received(.webhook).first?.fields["action"] == "call_failed")
        // On the timeline; the ladder was not stopped by it (the text to the grid went).
        let timeline = try harness.daemon!.store.timeline(of: 1)
        #expect(timeline.contains { $0.action == .callFailed && $0.tier == .grid && $0.note?.contains("grid-wecom") == true })
        #expect(doubles.received(.aliyunSMS).count == 1)
        await harness.stop()
        await doubles.stop()
    }

    @Test func aSlowProviderDelaysNobodyElse() async throws {
        let doubles = ReceiverDoubles()
        try await doubles.start()
        // The SMS provider answers after 5 s; the robot answers at once.
        doubles.script(.aliyunSMS, [], thereafter: .slow(seconds: 5))
        let harness = try street(doubles, escalation: "{ grid: 0s, community: 1h }", devices: ReceiverSetup.devices(5))
        try await harness.start()
        let publisher = try await harness.publisher()
        let alarmedAt = Date()
        for index in 1...5 {
            try await publisher.publish("smokegate/detectors/fire-\(index)/event", #"{"type":"alarm","seq":1}"#)
        }
        #expect(await doubles.waitUntil(count: 5, of: .wecom, timeout: .seconds(4)))
        let robotLast = try #require(doubles.received(.wecom).last)
        #expect(robotLast.at.timeIntervalSince(alarmedAt) < 2.5, "the robot's calls are not held behind the slow texts")
        // The five texts are in flight together: each taken as its alarm came, none waiting
        // behind another's slow answer.
        #expect(await doubles.waitUntil(count: 5, of: .aliyunSMS, timeout: .seconds(4)))
        let lastText = try #require(doubles.received(.aliyunSMS).last)
        #expect(lastText.at.timeIntervalSince(alarmedAt) < 2.5)
        await harness.stop()
        await doubles.stop()
    }

    @Test func textsFillingEveryConnectionToASlowProviderOnTheSameHostHoldNoRobotMessage() async throws {
        // The robot and the SMS provider are one host here (the doubles), as two receivers
        // behind one gateway would be: 40 slow texts must not take the robot's connections.
        let doubles = ReceiverDoubles()
        try await doubles.start()
        doubles.script(.aliyunSMS, [], thereafter: .slow(seconds: 5))
        // The robot's pace set wide: this is about connections, not its 20 messages a minute.
        let harness = try street(
            doubles, escalation: "{ grid: 0s, community: 1h }", pace: "{ count: 1000, window: 1m }",
            devices: ReceiverSetup.devices(40))
        try await harness.start()
        let publisher = try await harness.publisher()
        for index in 1...40 {
            try await publisher.publish("smokegate/detectors/fire-\(index)/event", #"{"type":"alarm","seq":1}"#)
        }
        let lastAlarm = Date()
        #expect(await doubles.waitUntil(count: 33, of: .aliyunSMS, timeout: .seconds(4)) == false, "32 texts in flight")
        let robotText = doubles.received(.wecom).map(\.text).joined(separator: "\n")
        for index in 1...40 { #expect(robotText.contains("北湖路\(index)号"), "fire-\(index) reached the robot") }
        #expect((doubles.received(.wecom).last?.at.timeIntervalSince(lastAlarm) ?? 99) < 3)
        await harness.stop()
        await doubles.stop()
    }

    @Test func aPacedRobotGetsMergedMessagesNoneLost() async throws {
        let doubles = ReceiverDoubles()
        try await doubles.start()
        // The robot takes a second over its first message: the other alarms are in by then.
        doubles.script(.wecom, [.slow(seconds: 1)])
        let harness = try street(
            doubles, escalation: "{ grid: 0s, community: 1h }", pace: "{ count: 2, window: 1m }",
            devices: ReceiverSetup.devices(8))
        try await harness.start()
        let publisher = try await harness.publisher()
        for index in 1...8 {
            try await publisher.publish("smokegate/detectors/fire-\(index)/event", #"{"type":"alarm","seq":1}"#)
        }
        // Two messages a minute: the first alone, the other seven merged into the second.
        #expect(await doubles.waitUntil(count: 2, of: .wecom, timeout: .seconds(6)))
        try await Task.sleep(for: .milliseconds(500))
        let messages = doubles.received(.wecom)
        #expect(messages.count == 2)
        let text = messages.map(\.text).joined(separator: "\n")
        for index in 1...8 { #expect(text.contains("北湖路\(index)号"), "fire-\(index) is in a message") }
        let store = harness.daemon!.store
        let delivered = try (1...8).flatMap { try store.deliveries(of: Int64($0)) }.filter { $0.receiver == "grid-wecom" }
        #expect(delivered.count == 8 && delivered.allSatisfy { $0.state == "delivered" })
        await harness.stop()
        await doubles.stop()
    }

    @Test func aNotifyStillWaitingWhenTheIncidentIsAcknowledgedIsNeverSentButTheAckIs() async throws {
        let doubles = ReceiverDoubles()
        try await doubles.start()
        // The robot is busy (errcode -1) for its first three answers.
        doubles.script(.wecom, [.busy, .busy, .busy])
        let harness = try street(doubles, escalation: "{ grid: 0s, community: 1h }")
        try await harness.start()
        let publisher = try await harness.publisher()
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"alarm","seq":1}"#)
        #expect(await eventually(timeout: 5) { doubles.attempts.filter { $0.vendor == .wecom }.count >= 1 })
        // The grid worker heard by text and acknowledged while the robot's call waited its retry.
        let store = harness.daemon!.store
        try store.acknowledge(1, by: "网格员王", note: nil, at: Date(), desk: harness.desk)
        #expect(await doubles.waitUntil(count: 1, of: .wecom, timeout: .seconds(15)))
        try await Task.sleep(for: .seconds(1))
        let taken = doubles.received(.wecom)
        #expect(taken.count == 1 && taken[0].text.contains("网格员王"), "only the ack went: \(taken.map(\.text))")
        let robot = try store.deliveries(of: 1).filter { $0.receiver == "grid-wecom" }
        #expect(robot.map(\.state) == ["skipped", "delivered"])
        await harness.stop()
        await doubles.stop()
    }

    @Test func aDeliveryWaitingItsRetryIsSentOnceAfterARestart() async throws {
        let doubles = ReceiverDoubles()
        try await doubles.start()
        doubles.script(.wecom, [.busy])
        let harness = try street(doubles, escalation: "{ grid: 0s, community: 1h }")
        try await harness.start()
        let publisher = try await harness.publisher()
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"alarm","seq":1}"#)
        #expect(await eventually(timeout: 5) { doubles.attempts.contains { $0.vendor == .wecom } })
        await harness.stop()
        #expect(doubles.received(.wecom).isEmpty)
        // The next start finds the delivery in the database and sends it, once, with the same link.
        try await harness.start()
        #expect(await doubles.waitUntil(count: 1, of: .wecom, timeout: .seconds(10)))
        try await Task.sleep(for: .seconds(1.5))
        #expect(doubles.received(.wecom).count == 1)
        let robot = try #require(try harness.daemon!.store.deliveries(of: 1).first { $0.receiver == "grid-wecom" })
        #expect(robot.state == "delivered" && robot.attempts.map(\.outcome) == ["retry", "delivered"])
        await harness.stop()
        await doubles.stop()
    }
}
