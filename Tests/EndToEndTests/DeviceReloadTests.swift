import Foundation
import SmokeGateTestSupport
import Testing

/// `smokegate devices import` while the daemon runs: the new detectors are placed and
/// supervised at once (the daemon reloads), two imports at once both land, and the daemon
/// keeps handling alarms throughout.
@Suite struct DeviceReloadTests {
    @Test func twoImportsWhileTheDaemonRunsPlaceBothDetectorsAndTheNewOnesAlarmCallsItsGrid() async throws {
        let daemon = try await RunningDaemon.start()
        defer { daemon.broker.stop() }
        let responders = try await TestSubscriber.connect(port: daemon.broker.port, filters: ["smokegate/notify/#"])
        let publisher = try await daemon.publisher()
        // 0 s: det-7, installed but not yet in the registry, is heard: a stranger.
        try await publisher.publish("smokegate/detectors/det-7/event", #"{"type":"heartbeat","seq":1,"battery":93}"#)
        #expect(await eventually(timeout: 10) { (try? daemon.store.status()?.heartbeats) == 1 })

        // Two operators import at once: det-7 in one batch, det-8 in the other.
        let config = ["--config", daemon.files.mainFile.path]
        let first = daemon.files.folder.appendingPathComponent("estate-a.csv")
        let second = daemon.files.folder.appendingPathComponent("estate-b.csv")
        try Self.batch("det-7,yq-c01-g01,北湖路7号,北湖小区7栋,residential,").write(to: first, atomically: true, encoding: .utf8)
        try Self.batch("det-8,yq-c01-g01,北湖路8号,北湖小区8栋,residential,").write(to: second, atomically: true, encoding: .utf8)
        async let a = BinaryProcess.run("smokegate", ["devices", "import", first.path] + config)
        async let b = BinaryProcess.run("smokegate", ["devices", "import", second.path] + config)
        let (one, other) = try await (a, b)
        for result in [one, other] {
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("smokegated reloaded: applied: device registry"), "\(result.stdout)")
        }
        let registry = try String(contentsOf: daemon.files.folder.appendingPathComponent("devices.csv"), encoding: .utf8)
        #expect(registry.contains("det-7,") && registry.contains("det-8,"), "neither import lost the other's row:\n\(registry)")

        // det-7 alarms: its grid is called, not every street.
        try await publisher.publish("smokegate/detectors/det-7/event", #"{"type":"alarm","seq":2}"#)
        #expect(
            await eventually(timeout: 5) { responders.received.contains { $0.field("device") == "det-7" } },
            "\(daemon.process.standardError)")
        // (The ladder, compressed to seconds, calls community and street later on.)
        let calls = responders.received.filter { $0.field("device") == "det-7" }
        #expect(calls.first?.topic == "smokegate/notify/grid/yq-c01-g01", "\(calls.map(\.topic))")

        // The console lists both, det-7 with what it said while still a stranger.
        var listed: [String: [String: Any]] = [:]
        for _ in 0..<50 {
            let devices = try await BinaryProcess.run("smokegate", ["devices", "--json"] + config)
            let list = (try? JSONSerialization.jsonObject(with: Data(devices.stdout.utf8))) as? [[String: Any]] ?? []
            listed = Dictionary(list.compactMap { row in (row["device"] as? String).map { ($0, row) } }) { $1 }
            if listed["det-7"]?["battery"] as? Int == 93, listed["det-8"]?["registered"] as? Bool == true { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(listed["det-7"]?["registered"] as? Bool == true && listed["det-7"]?["battery"] as? Int == 93, "\(listed)")
        #expect(listed["det-8"]?["registered"] as? Bool == true, "\(listed)")
        let status = try await BinaryProcess.run("smokegate", ["status", "--json"] + config)
        let reload = try #require(
            (try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])?["last_reload"]
                as? [String: Any], "\(status.stdout)")
        #expect(reload["succeeded"] as? Bool == true)
        #expect(await daemon.process.stop() == 0, "\(daemon.process.standardError)")
    }

    /// A batch file with the registry's header and `row`.
    static func batch(_ row: String) -> String {
        "device_id,grid,address,venue,venue_type,profile\n\(row)\n"
    }
}
