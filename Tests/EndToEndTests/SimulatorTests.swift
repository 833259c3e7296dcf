import Foundation
import SmokeGateTestSupport
import Testing

/// `smokegate-sim` against the real daemon: what it sends is what the gateway accepts.
@Suite(.serialized) struct SimulatorTests {
    @Test func aMixedFleetSpeaksAllThreeFormats() async throws {
        let running = try await RunningDaemon.start()
        defer { running.broker.stop() }
        let store = running.store
        let fleet = try await BinaryProcess.run(
            "smokegate-sim",
            [
                "fleet", "--port", "\(running.broker.port)", "--devices", "9", "--format", "mix", "--rate", "0", "--count", "90",
                "--qos", "1",
            ])
        #expect(fleet.status == 0, "\(fleet.stderr)")
        #expect(fleet.stdout.contains("published 90 messages from 9 detectors"))
        #expect(try await eventually { try store.status()?.received == 90 })
        let status = try #require(try store.status())
        #expect(status.rejected == 0, "\(status.byReason)")
        #expect(status.byFormat == ["native": 30, "zigbee2mqtt": 30, "ctwing": 30])
        #expect(status.events == 0, "healthy heartbeats open nothing")
        #expect(await running.process.stop() == 0)
    }

    @Test func replayPublishesAScenarioWithItsTiming() async throws {
        let running = try await RunningDaemon.start()
        defer { running.broker.stop() }
        let store = running.store
        let scenario = CommandLineTests.packageRoot.appendingPathComponent("Simulator/Scenarios/kitchen-smoke.jsonl").path
        let started = Date()
        let replay = try await BinaryProcess.run(
            "smokegate-sim", ["replay", scenario, "--port", "\(running.broker.port)", "--speed", "20"])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(Date().timeIntervalSince(started) >= 42.0 / 20, "the last message is due 42 s / 20 after the start")
        #expect(try await eventually { try store.alarms() == 1 })
        #expect(await running.process.stop() == 0)
    }

    @Test func aFleetWritesTheRegistryThatMatchesIt() async throws {
        let folder = try TemporaryFolder.make(prefix: "fleet-registry")
        let written = try await BinaryProcess.run(
            "smokegate-sim", ["fleet", "--devices", "10000", "--format", "mix", "--write-registry", folder.path])
        #expect(written.status == 0, "\(written.stderr)")
        let files = try TestConfiguration(brokerPort: 1883)
        var main = try String(contentsOf: files.mainFile, encoding: .utf8)
        main = main.replacingOccurrences(of: "chain: response-chain.yaml", with: "chain: \(folder.path)/response-chain.yaml")
            .replacingOccurrences(of: "devices: devices.csv", with: "devices: \(folder.path)/devices.csv")
        try main.write(to: files.mainFile, atomically: true, encoding: .utf8)
        let check = try await BinaryProcess.run("smokegated", ["--check-config", "--config", files.mainFile.path])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.contains("3 street(s), 209 grid(s), 10000 detector(s)"), "\(check.stdout)")
        let csv = try String(contentsOf: folder.appendingPathComponent("devices.csv"), encoding: .utf8)
        #expect(
            csv.contains("SIM-000001,s01-c01-g01,") && csv.contains("860000000000003,s01-c01-g01,") && csv.contains(",nbiot\n"))
    }
}
