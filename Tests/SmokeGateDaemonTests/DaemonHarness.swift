import Foundation
import Logging
import SmokeGateConfig
import SmokeGateCore
import SmokeGateDaemon
import SmokeGateStore
import SmokeGateTestSupport
import Synchronization

/// Runs the daemon library in-process against a real broker and a real database file.
final class DaemonHarness: @unchecked Sendable {
    let broker: MosquittoBroker
    let files: TestConfiguration
    /// As loaded from `files`; a test may change it before `start()` (as the answer tests set
    /// `answer:`).
    var configuration: GatewayConfiguration
    /// Where the daemon keeps its records: the set's SQLite file, or a fresh PostgreSQL
    /// database when the suite runs there (`SMOKEGATE_TEST_STORE=postgres`).
    let database: TestDatabase
    /// The daemon's wall clock: the real one until a test steps it.
    let wall = SteppedWall()
    private(set) var daemon: Daemon?
    private var task: Task<Void, any Error>?
    /// How the last daemon started stopped running, once it has.
    private let ending = RunEnding()

    init(
        broker: MosquittoBroker? = nil, clientID: String = "smokegated-test",
        escalation: String = TestConfiguration.compressedLadder,
        supervision: String = TestConfiguration.standardSupervision, extra: String = "",
        devices: String = TestConfiguration.devices, dispatch: String = "{ topic_prefix: smokegate/notify }",
        login: (username: String, password: String)? = nil, chain: String = TestConfiguration.chain, folder: URL? = nil
    ) throws {
        self.broker = try broker ?? MosquittoBroker()
        files = try TestConfiguration(
            brokerPort: self.broker.port, clientID: clientID, escalation: escalation, supervision: supervision, extra: extra,
            devices: devices, dispatch: dispatch, login: login, chain: chain, folder: folder)
        configuration = try GatewayConfiguration.load(from: files.mainFile.path)
        database = try TestDatabase(path: configuration.databasePath)
        configuration.postgres = database.postgres
    }

    /// Starts the daemon and, unless told otherwise, waits until its subscriptions are granted.
    func start(waitUntilConnected: Bool = true) async throws {
        var options = Daemon.Options()
        let wall = self.wall
        options.wallClock = { wall.now() }
        let daemon = try Daemon(configuration: configuration, options: options, logger: Self.logger)
        self.daemon = daemon
        let ending = self.ending
        ending.set(nil)
        task = Task {
            do {
                try await daemon.run()
                ending.set(.success(()))
            } catch {
                ending.set(.failure(error))
                throw error
            }
        }
        guard waitUntilConnected else { return }
        guard await eventually(timeout: 30, { daemon.isConnected }) else { throw TestSupportError("daemon never subscribed") }
    }

    /// Silent, unless `SMOKEGATE_TEST_LOG=debug` (or another level) asks for the daemon's log on stderr.
    static var logger: Logger {
        guard let level = ProcessInfo.processInfo.environment["SMOKEGATE_TEST_LOG"].flatMap(Logger.Level.init(rawValue:)) else {
            return Logger(label: "smokegated-test") { _ in SwiftLogNoOpLogHandler() }
        }
        var logger = Logger(label: "smokegated-test") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = level
        return logger
    }

    /// How the daemon's run ended, if it ended on its own within `timeout` seconds (nil: it is
    /// still running).
    func ended(within timeout: TimeInterval) async -> Result<Void, any Error>? {
        let ending = self.ending
        _ = await eventually(timeout: timeout) { ending.value != nil }
        return ending.value
    }

    /// Shuts the daemon down gracefully and waits for it to finish.
    func stop() async {
        guard let daemon else { return }
        await daemon.shutdown()
        _ = await task?.result
        self.daemon = nil
    }

    var store: Store { get throws { try database.open(readOnly: true) } }

    func publisher() async throws -> TestPublisher { try await TestPublisher.connect(port: broker.port) }

    /// A subscriber to every notification the daemon dispatches; `persistent` to miss none
    /// while a broker restart has it disconnected.
    func responders(persistent: Bool = false) async throws -> TestSubscriber {
        try await TestSubscriber.connect(port: broker.port, filters: ["smokegate/notify/#"], persistent: persistent)
    }

    /// The incident rules as the daemon runs them, for operations a test performs as another
    /// process would (the operator CLI acknowledging through the database).
    var desk: IncidentDesk { configuration.incidentDesk }
}
