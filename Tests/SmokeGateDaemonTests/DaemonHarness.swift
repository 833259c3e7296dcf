import Foundation
import Logging
import SmokeGateConfig
import SmokeGateDaemon
import SmokeGateStore
import SmokeGateTestSupport

/// Runs the daemon library in-process against a real broker and a real database file.
final class DaemonHarness: @unchecked Sendable {
    let broker: MosquittoBroker
    let files: TestConfiguration
    let configuration: GatewayConfiguration
    private(set) var daemon: Daemon?
    private var task: Task<Void, any Error>?

    init(broker: MosquittoBroker? = nil, clientID: String = "smokegated-test") throws {
        self.broker = try broker ?? MosquittoBroker()
        files = try TestConfiguration(brokerPort: self.broker.port, clientID: clientID)
        configuration = try GatewayConfiguration.load(from: files.mainFile.path)
    }

    /// Starts the daemon and waits until its subscriptions are granted.
    func start() async throws {
        let daemon = try Daemon(
            configuration: configuration, options: Daemon.Options(),
            logger: Logger(label: "smokegated-test") { _ in SwiftLogNoOpLogHandler() })
        self.daemon = daemon
        task = Task { try await daemon.run() }
        guard await eventually(timeout: 30, { daemon.isConnected }) else { throw TestSupportError("daemon never subscribed") }
    }

    /// Shuts the daemon down gracefully and waits for it to finish.
    func stop() async {
        guard let daemon else { return }
        await daemon.shutdown()
        _ = await task?.result
        self.daemon = nil
    }

    var store: Store { get throws { try Store(path: configuration.databasePath, readOnly: true) } }

    func publisher() async throws -> TestPublisher { try await TestPublisher.connect(port: broker.port) }
}
