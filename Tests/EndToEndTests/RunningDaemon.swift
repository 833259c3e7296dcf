import Foundation
import SmokeGateTestSupport

/// A broker, a configuration set and the real `smokegated` on them, subscribed and ready.
struct RunningDaemon {
    let broker: MosquittoBroker
    let files: TestConfiguration
    let process: BinaryProcess
    let store: StoreWatcher

    /// Starts the daemon (and, unless given, a broker and a configuration for it) and waits
    /// until its status says it is connected.
    static func start(
        broker: MosquittoBroker? = nil, files: TestConfiguration? = nil, environment: [String: String] = [:]
    ) async throws -> RunningDaemon {
        let broker = try broker ?? MosquittoBroker()
        let files = try files ?? TestConfiguration(brokerPort: broker.port)
        let process = try BinaryProcess(
            "smokegated", ["--config", files.mainFile.path, "--log-level", "debug"], environment: environment)
        let store = StoreWatcher(path: files.databaseFile.path)
        guard try await eventually(timeout: 30, { try store.connected() }) else {
            await process.stop(signal: SIGKILL)
            throw TestSupportError("smokegated never connected:\n\(process.standardError)")
        }
        return RunningDaemon(broker: broker, files: files, process: process, store: store)
    }

    /// A publisher on the same broker.
    func publisher() async throws -> TestPublisher {
        try await TestPublisher.connect(port: broker.port)
    }
}
