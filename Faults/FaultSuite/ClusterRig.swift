import Foundation
import SmokeGateCore
import SmokeGateStore
import SmokeGateTestSupport

/// Two real `smokegated` (`gw-a`, `gw-b`) on one PostgreSQL server (fsync on) and one broker
/// (persistence on), as a district runs a leader and a standby: each node with its own
/// configuration (`cluster: { node, lease }`) and its own persistent broker session, the
/// same registry of `detectors` (each its own venue, so each alarm is its own incident), the
/// responders' subscription, and the database read from outside, as the console reads it.
final class ClusterRig: @unchecked Sendable {
    let postgres: TestPostgres
    let broker: MosquittoBroker
    let location: PostgresLocation
    let lease: TimeInterval
    let fleet: DetectorFleet
    let responders: TestSubscriber
    private let lock = NSLock()
    private var nodes: [String: Node] = [:]
    private var reader: Store?
    /// Every stopped node's standard error, in order, for the report when something goes wrong.
    private var logs: [String] = []

    struct Node {
        let files: TestConfiguration
        var process: BinaryProcess?
    }

    static let names = ["gw-a", "gw-b"]

    init(detectors count: Int, lease: TimeInterval = 2) async throws {
        postgres = try TestPostgres.start(durable: true)
        broker = try MosquittoBroker(persistence: true)
        location = try PostgresLocation(url: postgres.url)
        self.lease = lease
        let ids = DetectorFleet.ids(count)
        for name in Self.names {
            let files = try TestConfiguration(
                brokerPort: broker.port, clientID: "smokegated-faults", escalation: FaultRig.ladder,
                extra: "cluster: { node: \(name), lease: \(Int(lease))s }", devices: DetectorFleet.registry(ids),
                database: postgres.url)
            nodes[name] = Node(files: files)
        }
        responders = try await TestSubscriber.connect(port: broker.port, filters: ["smokegate/notify/#"], persistent: true)
        fleet = DetectorFleet(publisher: try await TestPublisher.connect(port: broker.port), ids: ids)
    }

    /// Starts both nodes, `gw-a` first so that it takes the lease, and waits until each is
    /// connected and `gw-a` leads.
    func startBoth() async throws {
        try await start("gw-a")
        guard await eventually(timeout: 20, { (try? self.leader())?.node == "gw-a" }) else {
            throw TestSupportError("gw-a never took the lease:\n\(troubleLines().joined(separator: "\n"))")
        }
        try await start("gw-b")
    }

    /// Starts node `name`; with `waitUntilConnected`, returns once this process's own row says
    /// it is connected to the broker.
    func start(_ name: String, waitUntilConnected: Bool = true) async throws {
        let process = try lock.withLock {
            guard var node = nodes[name] else { throw TestSupportError("no node \(name)") }
            let process = try BinaryProcess("smokegated", ["--config", node.files.mainFile.path])
            node.process = process
            nodes[name] = node
            return process
        }
        guard waitUntilConnected else { return }
        guard try await self.waitUntilConnected(name, timeout: 30) else {
            throw TestSupportError("node \(name) never connected:\n\(process.standardError.suffix(3_000))")
        }
    }

    /// Waits until `name`'s running process has written its own row, connected.
    func waitUntilConnected(_ name: String, timeout: TimeInterval) async throws -> Bool {
        await eventually(timeout: timeout) {
            guard let pid = self.process(name)?.pid, let row = try? self.store().clusterNodes().first(where: { $0.node == name })
            else { return false }
            return row.pid == Int(pid) && row.connected
        }
    }

    func process(_ name: String) -> BinaryProcess? { lock.withLock { nodes[name]?.process } }

    /// SIGKILLs node `name` and returns when the signal was sent (once it is reaped).
    @discardableResult
    func kill(_ name: String) async -> Date? {
        guard let process = process(name), process.child.isRunning else { return nil }
        Glibc.kill(process.pid, SIGKILL)
        let killedAt = Date()
        await stop(name, signal: SIGKILL)
        return killedAt
    }

    /// Stops node `name` with `signal`; returns its exit status (nil: killed by the signal).
    @discardableResult
    func stop(_ name: String, signal: Int32 = SIGTERM) async -> Int32? {
        guard let process = process(name) else { return nil }
        let status = await process.stop(signal: signal, grace: 30)
        lock.withLock {
            logs.append("--- \(name)\n" + process.standardError)
            nodes[name]?.process = nil
        }
        return status
    }

    /// Stops both nodes with SIGTERM; returns their exit statuses by name.
    func stopBoth() async -> [String: Int32?] {
        var statuses: [String: Int32?] = [:]
        for name in Self.names { statuses[name] = await stop(name) }
        return statuses
    }

    /// The store as the console reads it. One for the whole run: its pool replaces a
    /// connection the server ended (a crash) on next use.
    func store() throws -> Store {
        try lock.withLock {
            if let reader { return reader }
            let store = try Store(postgres: location, readOnly: true, deadline: 5)
            reader = store
            return store
        }
    }

    /// Who holds the lease now, with its epoch, if it has not run out.
    func leader() throws -> (node: String, epoch: Int64)? {
        guard let holder = try store().leaseHolder(), holder.remaining > 0 else { return nil }
        return (holder.node, holder.epoch)
    }

    /// Waits until a running node holds the lease with an epoch above `epoch`.
    func newLeader(after epoch: Int64, timeout: TimeInterval) async -> (node: String, epoch: Int64)? {
        var found: (node: String, epoch: Int64)?
        _ = await eventually(timeout: timeout) {
            guard let holder = try? self.leader(), holder.epoch > epoch, self.process(holder.node)?.child.isRunning == true
            else { return false }
            found = holder
            return true
        }
        return found
    }

    /// Every alarm of `ledger` settled and checked against the PostgreSQL store.
    func settle(_ ledger: inout AlarmLedger, timeout: TimeInterval = 90) async throws {
        try await ledger.settle(store: { try self.store() }, responders: responders, timeout: timeout)
    }

    /// The fire calls received so far (`notify`), in order of arrival.
    var calls: [TestSubscriber.Received] { responders.received.filter { $0.field("action") == "notify" } }

    /// The last lines of every node's log that mention trouble.
    func troubleLines(limit: Int = 6) -> [String] {
        let running = lock.withLock { nodes.compactMap { name, node in node.process.map { "--- \(name)\n" + $0.standardError } } }
        let all = (lock.withLock { logs } + running).joined(separator: "\n").split(separator: "\n")
        return all.filter { $0.contains("critical") || $0.contains("error") }.suffix(limit).map(String.init)
    }

    /// Runs blocking work (the server's pg_ctl) on a thread of its own, off the cooperative pool.
    func offPool(_ work: @escaping @Sendable () throws -> Void) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            Thread.detachNewThread {
                do {
                    try work()
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    deinit {
        for node in nodes.values { if let process = node.process { Glibc.kill(process.pid, SIGKILL) } }
        broker.stop()
        postgres.shutdown()
    }
}
