import Foundation
import SmokeGateDaemon
import SmokeGateTestSupport
import Testing

/// A registry too large to write before READY is written after it, in parts, while the
/// daemon already stores and routes alarms.
@Suite struct RegistryMirrorTests {
    @Test func aLargeRegistryIsWrittenAfterReadyWhileAnAlarmIsHandled() async throws {
        let rows = (1...3_000).map { "det-\($0),yq-c01-g01,北湖路\($0)号,北湖小区\($0 / 4)栋,residential," }
        let harness = try DaemonHarness(
            devices: (["device_id,grid,address,venue,venue_type,profile"] + rows).joined(separator: "\n"))
        var options = Daemon.Options()
        options.registryWrittenBeforeReady = 100
        options.registryPart = 50
        let responders = try await harness.responders()
        let daemon = try Daemon(configuration: harness.configuration, options: options, logger: DaemonHarness.logger)
        #expect(try harness.store.devices().filter(\.registered).isEmpty, "nothing written before the daemon runs")
        let task = Task { try await daemon.run() }
        #expect(await eventually(timeout: 30) { daemon.isConnected })

        // The last detector in the file, routed from the registry in memory whatever the table holds.
        try await harness.publisher().publish("smokegate/detectors/det-3000/event", #"{"type":"alarm","seq":1}"#)
        #expect(
            await eventually {
                responders.received.contains { $0.field("device") == "det-3000" && $0.field("tier") == "grid" }
            })
        #expect(await eventually(timeout: 30) { (try? harness.store.devices().filter(\.registered).count) == 3_000 })
        #expect(try harness.store.registryChanges(harness.configuration.devices) == nil, "the fingerprint is recorded")
        #expect(try harness.store.devices().first { $0.id == "det-3000" }?.venue == "北湖小区750栋")
        await daemon.shutdown()
        _ = await task.result
    }
}
