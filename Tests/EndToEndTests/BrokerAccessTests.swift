import Foundation
import SmokeGateTestSupport
import Testing

/// `broker.username` and `broker.password_file` against a broker that admits only its users.
@Suite(.serialized) struct BrokerAccessTests {
    /// A broker whose password file admits `smokegated` with `secret`.
    static func securedBroker() throws -> MosquittoBroker {
        try MosquittoBroker.secured(users: [("smokegated", "secret")], acl: "user smokegated\ntopic readwrite #\n")
    }

    static func configuration(port: Int, password: String) throws -> TestConfiguration {
        try TestConfiguration(brokerPort: port, login: ("smokegated", password))
    }

    @Test func theDaemonLogsInWithThePasswordFile() async throws {
        let broker = try Self.securedBroker()
        defer { broker.stop() }
        let running = try await RunningDaemon.start(
            broker: broker, files: try Self.configuration(port: broker.port, password: "secret"))
        let store = running.store
        let publisher = try await TestPublisher.connect(port: broker.port, username: "smokegated", password: "secret")
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"alarm","seq":1}"#)
        #expect(try await eventually { try store.alarms() == 1 })
        #expect(await running.process.stop() == 0)
    }

    @Test func aWrongPasswordIsReportedAndRetried() async throws {
        let broker = try Self.securedBroker()
        defer { broker.stop() }
        let files = try Self.configuration(port: broker.port, password: "wrong")
        let daemon = try BinaryProcess("smokegated", ["--config", files.mainFile.path])
        let store = StoreWatcher(path: files.databaseFile.path)
        #expect(
            await eventually(timeout: 30) { daemon.standardError.contains("broker refused the connection") },
            "\(daemon.standardError)")
        #expect(try await eventually { try store.status() != nil }, "the daemon writes its status while it retries")
        #expect(try store.status()?.connected == false)
        #expect(daemon.child.isRunning, "a refused login is retried, not fatal")
        #expect(await daemon.stop() == 0)
    }

    @Test func theSimulatorLogsInAsTheDaemonDoes() async throws {
        let broker = try Self.securedBroker()
        defer { broker.stop() }
        let files = try Self.configuration(port: broker.port, password: "secret")
        let fleet = ["fleet", "--port", "\(broker.port)", "--devices", "3", "--rate", "0", "--count", "10", "--qos", "1"]
        let admitted = try await BinaryProcess.run(
            "smokegate-sim",
            fleet + ["--username", "smokegated", "--password-file", files.folder.appendingPathComponent("broker.password").path])
        #expect(admitted.status == 0 && admitted.stdout.contains("published 10 messages"), "\(admitted.stderr)")
        let refused = try await BinaryProcess.run("smokegate-sim", fleet, timeout: 30)
        #expect(refused.status != 0 && refused.stderr.contains("cannot connect"), "\(refused.stderr)")
    }
}
