import Foundation
import SmokeGateConfig
import SmokeGateCore
import SmokeGateStore
import SmokeGateTestSupport
import Testing

/// `smokegate report` against a scripted history written through the store, figures checked.
@Suite struct ReportTests {
    @Test func theLookBackCountsFiresCausesAnswersAndDetectors() async throws {
        let files = try TestConfiguration(brokerPort: 1883)
        let configuration = try GatewayConfiguration.load(from: files.mainFile.path)
        let desk = configuration.incidentDesk
        let store = try Store(path: configuration.databasePath)
        try store.syncRegistry(configuration.devices)
        let now = Date()
        func ago(_ seconds: TimeInterval) -> Date { now.addingTimeInterval(-seconds) }
        var sequence = 0
        func event(_ kind: EventKind, _ device: String, at time: Date) throws {
            sequence += 1
            let event = DetectorEvent(deviceID: device, kind: kind, format: .native, identity: .stamped("\(sequence)"))
            try store.commit(
                [IncomingEvent(event: event, topic: "t", payload: "{}", receivedAt: time)],
                state: DeviceLiveState(
                    deviceID: device, format: .native, lastSeenAt: time, reading: DeviceReading(), condition: []),
                desk: desk)
        }
        let day: TimeInterval = 86_400
        // Outside the 30-day window.
        try event(.alarm, "det-1", at: ago(40 * day))
        _ = try store.resolve(1, by: "王", cause: "test", note: nil, at: ago(40 * day - 60), desk: desk)
        // Answered in 2 minutes, cooking.
        try event(.alarm, "det-1", at: ago(2 * day))
        try store.acknowledge(2, by: "王", note: nil, at: ago(2 * day - 120), desk: desk)
        try store.resolve(2, by: "王", cause: "cooking", note: nil, at: ago(2 * day - 600), desk: desk)
        // Answered in 500 s, a false alarm written in the operator's own way.
        try event(.alarm, "det-2", at: ago(day))
        try store.acknowledge(3, by: "李", note: nil, at: ago(day - 500), desk: desk)
        try store.resolve(3, by: "李", cause: "False Alarm", note: nil, at: ago(day - 900), desk: desk)
        // Resolved without an acknowledgement after 1,000 s: a real fire.
        try event(.alarm, "860000000000001", at: ago(3 * 3_600))
        try store.resolve(4, by: "赵", cause: "real_fire", note: "119 到场", at: ago(3 * 3_600 - 1_000), desk: desk)
        // Unanswered, from a detector outside the registry.
        try event(.alarm, "ghost", at: ago(3_600))
        // det-1 pressed its test button yesterday and reported a minute ago; det-2 has been
        // not heard for a day (offline past 5m); the NB-IoT detector, heard 3 hours ago, has 25 hours.
        try event(.test, "det-1", at: ago(day))
        try event(.heartbeat, "det-1", at: ago(60))

        let result = try await BinaryProcess.run("smokegate", ["report", "--json", "--config", files.mainFile.path])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let grid = try #require((report["grids"] as? [[String: Any]])?.first)
        #expect(grid["unit"] as? String == "yq-c01-g01")
        #expect(grid["fire_alarms"] as? Int == 3 && grid["unresolved"] as? Int == 0)
        let causes = try #require(grid["resolutions"] as? [String: Int])
        #expect(causes["cooking"] == 1 && causes["false_alarm"] == 1 && causes["real_fire"] == 1 && causes["test"] == 0)
        #expect(abs((grid["answer_median_seconds"] as? Double ?? 0) - 500) < 1)
        #expect(abs((grid["answer_p90_seconds"] as? Double ?? 0) - 1_000) < 1)
        let within = try #require(grid["answered_within"] as? [String: Double])
        #expect(
            abs(within["3m"]! - 1.0 / 3) < 0.001 && abs(within["10m"]! - 2.0 / 3) < 0.001 && abs(within["15m"]! - 2.0 / 3) < 0.001
        )
        #expect(grid["detectors"] as? Int == 3 && grid["offline_now"] as? Int == 1 && grid["untested_30d"] as? Int == 2)
        let community = try #require((report["communities"] as? [[String: Any]])?.first)
        #expect(community["unit"] as? String == "yq-c01" && community["fire_alarms"] as? Int == 3)
        let total = try #require(report["total"] as? [String: Any])
        #expect(
            total["fire_alarms"] as? Int == 4 && total["unresolved"] as? Int == 1,
            "the stray detector's fire counts for the street")
        #expect(abs(((total["answered_within"] as? [String: Double])?["3m"] ?? 0) - 0.25) < 0.001)

        let week = try await BinaryProcess.run(
            "smokegate", ["report", "--since", "1d", "--json", "--config", files.mainFile.path])
        let weekTotal = try #require(
            (try JSONSerialization.jsonObject(with: Data(week.stdout.utf8)) as? [String: Any])?["total"] as? [String: Any])
        #expect(weekTotal["fire_alarms"] as? Int == 2, "the window is the last day: the real fire and the stray alarm")
        let table = try await BinaryProcess.run("smokegate", ["report", "--config", files.mainFile.path])
        #expect(table.status == 0 && table.stdout.contains("yq-c01-g01"))
        let bad = try await BinaryProcess.run("smokegate", ["report", "--since", "soon", "--config", files.mainFile.path])
        #expect(bad.status != 0 && bad.stderr.contains("--since must be a duration"))
    }
}
