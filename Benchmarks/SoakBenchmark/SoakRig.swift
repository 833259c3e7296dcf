import Foundation
import SmokeGateTestSupport

/// The broker, the registry and configuration, the responders' and the echo subscription,
/// and the daemon started under a notify socket.
final class SoakRig: @unchecked Sendable {
    let broker: MosquittoBroker
    let folder: URL
    let config: URL
    let httpPort: Int
    let responders: TestSubscriber
    let publisher: TestPublisher
    let daemon: BinaryProcess

    init(plan: SoakPlan) async throws {
        broker = try MosquittoBroker()
        folder = try TemporaryFolder.make(prefix: "soak")
        let written = try await BinaryProcess.run(
            "smokegate-sim", ["fleet", "--devices", "\(plan.detectors)", "--write-registry", folder.path], timeout: 600)
        guard written.status == 0 else { throw TestSupportError("fleet --write-registry failed: \(written.stderr)") }
        httpPort = try FreePort.find()
        config = folder.appendingPathComponent("smokegate.yaml")
        let ladder = plan.ladder.map { "\(Int($0.rounded()))s" }
        try """
        broker: { host: 127.0.0.1, port: \(broker.port), client_id: soak }
        database: smokegate.db
        sources:
          - { topic: "smokegate/detectors/+/event", format: native }
        registry: { chain: response-chain.yaml, devices: devices.csv }
        escalation: { grid: \(ladder[0]), community: \(ladder[1]), street: \(ladder[2]), station: \(ladder[3]) }
        supervision:
          default: { heartbeat: \(Int(plan.heartbeat.rounded()))s, offline_after: \(Int(plan.offlineAfter.rounded()))s }
          nbiot: { heartbeat: 24h, offline_after: 25h }
        http: { listen: "127.0.0.1:\(httpPort)" }

        """.write(to: config, atomically: true, encoding: .utf8)
        responders = try await TestSubscriber.connect(port: broker.port, filters: ["smokegate/notify/#", "soak/echo/#"])
        publisher = try await TestPublisher.connect(port: broker.port)
        let notify = try NotifySocket()
        daemon = try BinaryProcess("smokegated", ["--config", config.path], environment: ["NOTIFY_SOCKET": notify.path])
        let deadline = Date().addingTimeInterval(120)
        while await !notify.receive(for: 0.05).contains(where: { $0.contains("READY=1") }) {
            guard Date() < deadline, daemon.child.isRunning else {
                throw TestSupportError("smokegated not READY:\n\(daemon.standardError)")
            }
        }
    }

    /// Runs the operator CLI against this configuration.
    func console(_ arguments: [String]) async throws -> Int32 {
        try await BinaryProcess.run("smokegate", arguments + ["--config", config.path], timeout: 30).status
    }

    /// The database file and its write-ahead log, in MiB.
    var databaseSize: Double {
        ["smokegate.db", "smokegate.db-wal"].reduce(0) { total, name in
            let path = folder.appendingPathComponent(name).path
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            return total + Double(size) / 1_048_576
        }
    }

    deinit {
        broker.stop()
        try? FileManager.default.removeItem(at: folder)
    }
}
