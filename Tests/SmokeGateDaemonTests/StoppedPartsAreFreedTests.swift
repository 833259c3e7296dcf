import Foundation
import Logging
import SmokeGateMQTT
import SmokeGateTestSupport
import Testing

/// What a stopped client or daemon held is given back: its libmosquitto handle and socket
/// pair, its database files. One test process starts hundreds of each; kept, their
/// descriptors climbed past 1,024 and libmosquitto's `select` could no longer connect a client.
@Suite(.serialized) struct StoppedPartsAreFreedTests {
    final class Quiet: MQTTClientDelegate, @unchecked Sendable {
        func mqttClient(_ client: MQTTClient, received message: MQTTMessage) {}
    }

    /// This process's open descriptors whose target path contains `fragment`.
    private func openFiles(containing fragment: String) -> Int {
        let folder = "/proc/self/fd"
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return entries.filter { entry in
            ((try? FileManager.default.destinationOfSymbolicLink(atPath: "\(folder)/\(entry)")) ?? "").contains(fragment)
        }.count
    }

    /// A weak hold on a client, that a test's polling closure may read.
    final class Watched: @unchecked Sendable {
        weak var client: MQTTClient?
    }

    @Test func aStoppedClientIsFreed() async throws {
        let broker = try MosquittoBroker()
        let delegate = Quiet()
        let watched = Watched()
        do {
            let client = try MQTTClient(
                options: MQTTOptions(host: "127.0.0.1", port: broker.port, clientID: "freed-client", cleanSession: true),
                delegate: delegate, logger: Logger(label: "freed-client") { _ in SwiftLogNoOpLogHandler() })
            watched.client = client
            client.start()
            #expect(await eventually(timeout: 10) { client.isConnected })
            client.stop()
        }
        // The network thread lets go of the client as it ends, just after `stop` returns.
        #expect(
            await eventually(timeout: 5) { watched.client == nil }, "a stopped client is not kept by its finished network thread")
    }

    @Test func aStoppedDaemonClosesItsDatabase() async throws {
        let harness = try DaemonHarness()
        // On PostgreSQL the store is the server's: there is no file to hold.
        guard !harness.database.isPostgres else { return }
        try await harness.start()
        let publisher = try await harness.publisher()
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"alarm","seq":1}"#)
        #expect(try await eventually { try harness.store.incidents().count == 1 })
        let path = harness.configuration.databasePath
        #expect(openFiles(containing: path) > 0, "the running daemon has \(path) open")
        await harness.stop()
        #expect(
            await eventually(timeout: 5) { openFiles(containing: path) == 0 },
            "once stopped, nothing keeps the daemon's store: \(openFiles(containing: path)) descriptors left")
    }
}
