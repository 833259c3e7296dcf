import Foundation
import SmokeGateTestSupport
import Testing

/// `smokegate-sim` against the real daemon: what it sends is what the gateway accepts.
@Suite(.serialized) struct SimulatorTests {
    @Test func aMixedFleetSpeaksAllThreeFormats() async throws {
        let broker = try MosquittoBroker()
        defer { broker.stop() }
        let files = try TestConfiguration(brokerPort: broker.port)
        let daemon = try BinaryProcess("smokegated", ["--config", files.mainFile.path])
        let store = StoreWatcher(path: files.databaseFile.path)
        #expect(try await eventually(timeout: 30) { try store.connected() }, "\(daemon.standardError)")
        let fleet = try await BinaryProcess.run(
            "smokegate-sim",
            ["fleet", "--port", "\(broker.port)", "--devices", "9", "--format", "mix", "--rate", "0", "--count", "90", "--qos", "1"])
        #expect(fleet.status == 0, "\(fleet.stderr)")
        #expect(fleet.stdout.contains("published 90 messages from 9 detectors"))
        #expect(try await eventually { try store.status()?.received == 90 })
        let status = try #require(try store.status())
        #expect(status.rejected == 0, "\(status.byReason)")
        #expect(status.byFormat == ["native": 30, "zigbee2mqtt": 30, "ctwing": 30])
        #expect(status.events == 0, "healthy heartbeats open nothing")
        #expect(await daemon.stop() == 0)
    }

    @Test func replayPublishesAScenarioWithItsTiming() async throws {
        let broker = try MosquittoBroker()
        defer { broker.stop() }
        let files = try TestConfiguration(brokerPort: broker.port)
        let daemon = try BinaryProcess("smokegated", ["--config", files.mainFile.path])
        let store = StoreWatcher(path: files.databaseFile.path)
        #expect(try await eventually(timeout: 30) { try store.connected() }, "\(daemon.standardError)")
        let scenario = CommandLineTests.packageRoot.appendingPathComponent("Simulator/Scenarios/kitchen-smoke.jsonl").path
        let started = Date()
        let replay = try await BinaryProcess.run("smokegate-sim", ["replay", scenario, "--port", "\(broker.port)", "--speed", "20"])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(Date().timeIntervalSince(started) >= 42.0 / 20, "the last message is due 42 s / 20 after the start")
        #expect(try await eventually { try store.alarms() == 1 })
        #expect(await daemon.stop() == 0)
    }
}
