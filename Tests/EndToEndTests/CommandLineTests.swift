import Foundation
import SmokeGateStore
import SmokeGateTestSupport
import Testing

/// `smokegated --check-config` and the operator CLI's `status` and `devices`, run as binaries
/// against a live daemon.
@Suite(.serialized) struct CommandLineTests {
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    @Test func checkConfigAcceptsTheShippedConfigurations() async throws {
        for file in ["config/demo/smokegate.yaml", "config/smokegate.yaml"] {
            let result = try await BinaryProcess.run(
                "smokegated", ["--check-config", "--config", Self.packageRoot.appendingPathComponent(file).path])
            #expect(result.status == 0, "\(file): \(result.stderr)")
            #expect(result.stdout.contains("configuration is valid"))
        }
    }

    @Test func checkConfigPrintsOneLinePerProblemAndExits1() async throws {
        let files = try TestConfiguration(
            brokerPort: 1883, escalation: "{ grid: 0s, community: soon }", extra: "escalation_typo: 1")
        try (TestConfiguration.devices + "\ndet-9,nowhere,addr,venue,shop,\n")
            .write(to: files.folder.appendingPathComponent("devices.csv"), atomically: true, encoding: .utf8)
        let result = try await BinaryProcess.run("smokegated", ["--check-config", "--config", files.mainFile.path])
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(result.stderr)")
        #expect(lines.contains { $0.contains("smokegate.yaml:13:") && $0.contains("'escalation.community' is not a duration") })
        #expect(lines.contains { $0.contains("smokegate.yaml:") && $0.contains("unknown key 'escalation_typo'") })
        #expect(lines.contains { $0.contains("devices.csv:5:") && $0.contains("unknown grid 'nowhere'") })
    }

    @Test func configurationComesFromTheEnvironmentWithoutFlag() async throws {
        let files = try TestConfiguration(brokerPort: 1883)
        let result = try await BinaryProcess.run(
            "smokegated", ["--check-config"], environment: ["SMOKEGATE_CONFIG": files.mainFile.path])
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func statusAndDevicesDescribeALiveDaemon() async throws {
        let running = try await RunningDaemon.start()
        defer { running.broker.stop() }
        let daemon = running.process
        let config = ["--config", running.files.mainFile.path]
        let store = running.store
        let publisher = try await running.publisher()
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"heartbeat","battery":77,"rssi":-60}"#)
        try await publisher.publish("smokegate/detectors/det-2/event", #"{"type":"test"}"#)
        try await publisher.publish("smokegate/detectors/ghost/event", #"{"type":"heartbeat"}"#)
        try await publisher.publish("smokegate/detectors/det-1/event", "not json")
        #expect(try await eventually { try store.status()?.received == 4 })
        try await Task.sleep(for: .seconds(1))

        let status = try await BinaryProcess.run("smokegate", ["status", "--json"] + config)
        #expect(status.status == 0, "\(status.stderr)")
        let statusObject = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        #expect(statusObject["connected"] as? Bool == true)
        #expect(statusObject["received"] as? Int == 4)
        #expect(statusObject["rejected"] as? Int == 1)
        // The daemon rewrites its status twice a second; the margin is for a loaded CI machine.
        let age = try #require(statusObject["age_seconds"] as? Double)
        #expect(age < 5, "a running daemon's status is fresh")
        #expect(statusObject["updated_at"] is String)

        let devices = try await BinaryProcess.run("smokegate", ["devices", "--json"] + config)
        #expect(devices.status == 0, "\(devices.stderr)")
        let list = try #require(try JSONSerialization.jsonObject(with: Data(devices.stdout.utf8)) as? [[String: Any]])
        #expect(list.count == 4, "three registered, one heard but unregistered")
        let first = try #require(list.first { $0["device"] as? String == "det-1" })
        #expect(first["battery"] as? Int == 77)
        #expect(first["liveness"] as? String == "online")
        #expect(first["grid"] as? String == "yq-c01-g01")
        #expect(list.first { $0["device"] as? String == "det-2" }?["last_test_at"] is String)
        #expect(list.first { $0["device"] as? String == "ghost" }?["registered"] as? Bool == false)
        #expect(list.first { $0["device"] as? String == "860000000000001" }?["liveness"] as? String == "never_seen")
        let strangers = try await BinaryProcess.run("smokegate", ["devices", "--unregistered", "--json"] + config)
        let listed = try #require(try JSONSerialization.jsonObject(with: Data(strangers.stdout.utf8)) as? [[String: Any]])
        #expect(listed.compactMap { $0["device"] as? String } == ["ghost"], "listed, never paged (rule 16)")
        #expect(statusObject["unregistered"] as? Int == 1)

        let table = try await BinaryProcess.run("smokegate", ["devices"] + config)
        #expect(table.stdout.contains("北湖小区3栋"))
        #expect(await daemon.stop() == 0, "\(daemon.standardError)")
        let stopped = try await BinaryProcess.run("smokegate", ["status", "--json"] + config)
        #expect(stopped.stdout.contains("\"connected\" : false"))
    }

    @Test func failuresGoToStderrWithAnExitStatus() async throws {
        let missing = try await BinaryProcess.run("smokegate", ["status", "--config", "/nonexistent/smokegate.yaml"])
        #expect(missing.status != 0)
        #expect(missing.stdout.isEmpty)
        #expect(missing.stderr.contains("file not found"))
        let files = try TestConfiguration(brokerPort: 1883)
        let noDatabase = try await BinaryProcess.run("smokegate", ["devices", "--json", "--config", files.mainFile.path])
        #expect(noDatabase.status == 1)
        #expect(noDatabase.stderr.contains("no database at"))
        #expect(noDatabase.stdout.isEmpty)
    }
}
