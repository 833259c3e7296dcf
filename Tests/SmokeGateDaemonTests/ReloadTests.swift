import Foundation
import SmokeGateConfig
import SmokeGateCore
import SmokeGateDaemon
import SmokeGateStore
import SmokeGateTestSupport
import Testing

/// `systemctl reload smokegated`: a new configuration checked whole, then put in force
/// without a restart, while alarms keep their pace; a bad one changes nothing.
@Suite struct ReloadTests {
    @Test func aBadChainOnReloadKeepsTheOldConfigurationAndReportsEveryProblem() async throws {
        let harness = try DaemonHarness()
        try await harness.start()
        let daemon = try #require(harness.daemon)
        let responders = try await harness.responders()
        // The chain is edited by hand: its street names a station that does not exist and its
        // only grid is renamed, so the registry's three detectors stand in a grid that is gone.
        let broken = TestConfiguration.chain.replacingOccurrences(of: "station: wgxz", with: "station: wgxz-old")
            .replacingOccurrences(of: "id: yq-c01-g01", with: "id: yq-c01-g09")
        try broken.write(
            to: harness.files.folder.appendingPathComponent("response-chain.yaml"), atomically: true, encoding: .utf8)

        let refused: ConfigurationError
        do {
            let report = try await daemon.reload()
            Issue.record("a broken chain was put in force: \(report)")
            return
        } catch {
            refused = error
        }
        #expect(refused.problems.count >= 4, "the station and all three detectors, at once: \(refused)")
        let recorded = try #require(try harness.store.lastReload())
        #expect(!recorded.succeeded && recorded.problems.count == refused.problems.count)

        // The daemon still runs on the chain it had: det-1's alarm calls its grid.
        try await harness.publisher().publish("smokegate/detectors/det-1/event", #"{"type":"alarm","seq":1}"#)
        #expect(await eventually(timeout: 5) { responders.received.contains { $0.field("device") == "det-1" } })
        #expect(responders.received.first?.topic == "smokegate/notify/grid/yq-c01-g01")
        #expect(daemon.configuration.chain.gridCount == 1 && daemon.configuration.chain.stations.count == 1)
        await harness.stop()
    }

    @Test func anAlarmDuringTheReloadOfALargeRegistryIsCalledAsFastAsWithout() async throws {
        let registered = 100_000
        var csv = "device_id,grid,address,venue,venue_type,profile\n"
        csv.reserveCapacity(registered * 70)
        for index in 0..<registered { csv += "fleet-\(index),yq-c01-g01,北湖路\(index)号,北湖小区\(index)栋,residential,\n" }
        let harness = try DaemonHarness(devices: csv)
        try await harness.start()
        let daemon = try #require(harness.daemon)
        let responders = try await harness.responders()
        let publisher = try await harness.publisher()
        let registry = harness.files.folder.appendingPathComponent("devices.csv")
        try (csv + "det-new,yq-c01-g01,新村路1号,新村1栋,residential,\n").write(to: registry, atomically: true, encoding: .utf8)

        // What an alarm takes on this machine now, without a reload (the builders are shared).
        let plain = Date()
        try await publisher.publish("smokegate/detectors/fleet-3/event", #"{"type":"alarm","seq":1}"#)
        #expect(await eventually(timeout: 20) { responders.received.contains { $0.field("device") == "fleet-3" } })
        let baseline = (responders.received.first { $0.field("device") == "fleet-3" }?.arrivedAt ?? plain).timeIntervalSince(
            plain)

        // 0 s: the reload begins; fleet-7 alarms while it reads 100,000 detectors.
        let began = Date()
        async let reloading = daemon.reload()
        try await Task.sleep(for: .milliseconds(50))
        let sent = Date()
        try await publisher.publish("smokegate/detectors/fleet-7/event", #"{"type":"alarm","seq":1}"#)
        #expect(await eventually(timeout: 20) { responders.received.contains { $0.field("device") == "fleet-7" } })
        let called = try #require(responders.received.first { $0.field("device") == "fleet-7" })
        let report = try await reloading
        let reloaded = Date()
        #expect(report.added == 1 && report.removed == 0 && report.applied == ["device registry"], "\(report)")
        let latency = called.arrivedAt.timeIntervalSince(sent)
        #expect(latency < baseline + 1, "called \(latency) s after the alarm; \(baseline) s without a reload")
        #expect(called.topic == "smokegate/notify/grid/yq-c01-g01")
        print(
            "reload of \(registered) detectors: \(String(format: "%.2f", reloaded.timeIntervalSince(began))) s; "
                + "alarm called after \(String(format: "%.3f", latency)) s (\(String(format: "%.3f", baseline)) s without)")

        // The new detector is placed at once.
        try await publisher.publish("smokegate/detectors/det-new/event", #"{"type":"alarm","seq":1}"#)
        #expect(
            await eventually(timeout: 5) {
                responders.received.contains { $0.field("device") == "det-new" && $0.topic.hasSuffix("/grid/yq-c01-g01") }
            })
        await harness.stop()
    }
}
