import Foundation
import SmokeGateCore
import SmokeGateStore
import SmokeGateTestSupport

/// Two real `smokegated` on one PostgreSQL server and one broker, as a district runs a leader
/// and a standby: each node with its own configuration (`cluster: { node, lease }`), its own
/// broker session and `/healthz`, the responders subscribed to every call.
final class ClusterStreet: @unchecked Sendable {
    /// The fire ladder spaced so that a leader can be stopped between two tiers with time to
    /// spare: grid at once, community at 2 s, street at 8 s, station at 14 s.
    static let ladder = "{ grid: 0s, community: 2s, street: 8s, station: 14s }"
    static let offsets: [String: TimeInterval] = ["grid": 0, "community": 2, "street": 8, "station": 14]

    let postgres: TestPostgres
    let broker: MosquittoBroker
    let lease: TimeInterval
    let url: String
    let responders: TestSubscriber
    /// Each node's relay to PostgreSQL, when it was started behind one (to be cut off).
    private(set) var relays: [String: TCPRelay] = [:]
    private(set) var nodes: [String: Node] = [:]

    struct Node {
        let name: String
        let files: TestConfiguration
        let httpPort: Int
        var process: BinaryProcess
    }

    init(lease: TimeInterval = 2, durable: Bool = false) async throws {
        postgres = try TestPostgres.start(durable: durable)
        broker = try MosquittoBroker()
        self.lease = lease
        url = postgres.url
        responders = try await TestSubscriber.connect(port: broker.port, filters: ["smokegate/notify/#"])
    }

    /// Starts node `name` (behind a relay it can be cut off by, with `behindRelay`) and waits
    /// until it has written its row, connected.
    @discardableResult
    func start(_ name: String, behindRelay: Bool = false) async throws -> Node {
        var database = url
        if behindRelay {
            let relay = try TCPRelay(to: postgres.port)
            relays[name] = relay
            database = "postgresql://smokegate@127.0.0.1:\(relay.port)/smokegate"
        }
        let httpPort = try FreePort.find()
        let files = try TestConfiguration(
            brokerPort: broker.port, clientID: "smokegated-test", escalation: Self.ladder,
            extra: """
                http: { listen: "127.0.0.1:\(httpPort)" }
                cluster: { node: \(name), lease: \(Int(lease))s }
                """, database: database)
        let process = try BinaryProcess("smokegated", ["--config", files.mainFile.path, "--log-level", "debug"])
        let node = Node(name: name, files: files, httpPort: httpPort, process: process)
        nodes[name] = node
        guard await eventually(timeout: 30, { (try? self.row(name))?.connected == true }) else {
            await process.stop(signal: SIGKILL)
            throw TestSupportError("node \(name) never connected:\n\(process.standardError)")
        }
        return node
    }

    /// Starts `name` again on its own configuration (after it was killed).
    func restart(_ name: String) async throws {
        guard var node = nodes[name] else { throw TestSupportError("no node \(name)") }
        node.process = try BinaryProcess("smokegated", ["--config", node.files.mainFile.path, "--log-level", "debug"])
        nodes[name] = node
    }

    /// The store as the console reads it.
    func store() throws -> Store { try Store(postgres: try PostgresLocation(url: url), readOnly: true) }

    func row(_ name: String) throws -> ClusterNodeStatus? { try store().clusterNodes().first { $0.node == name } }

    /// Who holds the lease now, if it has not run out.
    func leader() throws -> String? {
        guard let holder = try store().leaseHolder(), holder.remaining > 0 else { return nil }
        return holder.node
    }

    /// The role `name` itself reports on `/healthz`.
    func role(_ name: String) -> String? {
        guard let node = nodes[name], let body = HTTPProbe.get("/healthz", port: node.httpPort)?.body else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["role"] as? String
    }

    func publisher() async throws -> TestPublisher { try await TestPublisher.connect(port: broker.port) }

    /// The fire calls received so far (`notify`), in order.
    var calls: [TestSubscriber.Received] { responders.received.filter { $0.field("action") == "notify" } }

    func calls(tier: String) -> [TestSubscriber.Received] { calls.filter { $0.topic.split(separator: "/")[2] == tier } }

    /// Every node's standard error, for a failure's message.
    var logs: String {
        nodes.values.sorted { $0.name < $1.name }.map { "--- \($0.name)\n\($0.process.standardError.suffix(6_000))" }
            .joined(separator: "\n")
    }

    /// Ends everything this street started, by its own ids, before the test returns: each
    /// node (SIGCONT first, in case it was stopped), the relays, the broker and the server.
    func shutdown() {
        for node in nodes.values {
            kill(node.process.pid, SIGCONT)
            kill(node.process.pid, SIGKILL)
            _ = node.process.child.reap(timeout: 5)
        }
        relays.values.forEach { $0.close() }
        broker.stop()
        postgres.shutdown()
    }

    static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
