import Foundation
import SmokeGateCore
import SmokeGateStore
import SmokeGateTestSupport
import Testing

/// Group commit (`IngestPipeline+Batch.swift`): a burst's alarms are stored a read pass at a
/// time, in one transaction each, and still in each detector's order.
@Suite(.serialized) struct GroupCommitTests {
    private func harness() throws -> (DaemonHarness, Int) {
        let port = try FreePort.find()
        return (try DaemonHarness(extra: "http:\n  listen: 127.0.0.1:\(port)"), port)
    }

    /// The value of one sample line, `name value`, in Prometheus text.
    private func sample(_ text: String, _ series: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last!) }
    }

    private static func alarm(_ device: String, seq: Int = 1) -> (topic: String, text: String) {
        ("smokegate/detectors/\(device)/event", #"{"type":"alarm","seq":\#(seq)}"#)
    }

    @Test func aBurstOfAlarmsIsStoredInGroupsWithEveryIncidentOpened() async throws {
        let (harness, port) = try harness()
        try await harness.start()
        let publisher = try await harness.publisher()
        let burst = (1...600).map { Self.alarm("burst-\($0)") }
        try await publisher.publishBurst(burst)
        let store = try harness.store
        #expect(try await eventually(timeout: 60) { try store.events(kind: .alarm).count == 600 })
        #expect(try await eventually(timeout: 10) { try store.incidents(kind: .fire).count == 600 })
        let text = HTTPProbe.get("/metrics", port: port)?.body ?? ""
        let commits = try #require(sample(text, "smokegate_ingest_commits_total"))
        let messages = try #require(sample(text, "smokegate_ingest_committed_messages_total"))
        #expect(messages == 600)
        // One transaction per alarm before; the broker sends the burst far faster than a
        // transaction takes, so passes hold many alarms each.
        #expect(commits <= messages / 4, "\(Int(commits)) transactions for \(Int(messages)) alarms")
        await harness.stop()
    }

    @Test func aDetectorsAlarmAndItsClearInOnePassKeepTheirOrder() async throws {
        // Both at QoS 1, in the middle of a burst: the clear is the same detector's second
        // message of the pass, so it is committed after the alarm, in a transaction of its own.
        let (harness, _) = try harness()
        try await harness.start()
        let publisher = try await harness.publisher()
        var burst = (1...200).map { Self.alarm("before-\($0)") }
        burst.append(Self.alarm("det-o"))
        burst.append(("smokegate/detectors/det-o/event", #"{"type":"alarm_clear","seq":2}"#))
        burst += (1...200).map { Self.alarm("after-\($0)") }
        try await publisher.publishBurst(burst)
        let store = try harness.store
        #expect(try await eventually(timeout: 60) { try store.events().count == 402 })
        let fire = try #require(try store.incidents(kind: .fire).first { $0.members.contains("det-o") })
        let actions = try store.timeline(of: fire.id).map(\.action)
        #expect(actions.first == .opened && actions.contains(.alarmCleared), "\(actions)")
        await harness.stop()
    }

    @Test func aClearForTheWorkerWaitsForTheAlarmBeforeItOnItsTopic() async throws {
        // The clear at QoS 0 goes to the worker, not the pass: it must not be applied before the
        // detector's alarm, still waiting in the pass, is committed.
        let (harness, _) = try harness()
        try await harness.start()
        let publisher = try await harness.publisher()
        var burst = (1...200).map { Self.alarm("before-\($0)") }
        burst.append(Self.alarm("det-o"))
        try await publisher.publishBurst(burst)
        try publisher.publishNow("smokegate/detectors/det-o/event", #"{"type":"alarm_clear","seq":2}"#)
        let store = try harness.store
        #expect(try await eventually(timeout: 60) { try store.events().count == 202 })
        let fire = try #require(try store.incidents(kind: .fire).first { $0.members.contains("det-o") })
        #expect(try await eventually { try store.timeline(of: fire.id).contains { $0.action == .alarmCleared } })
        await harness.stop()
    }
}
