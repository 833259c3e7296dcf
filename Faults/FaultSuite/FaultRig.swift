import Foundation
import SmokeGateStore
import SmokeGateTestSupport

/// One broker, one configuration with `detectors` registered detectors (each its own venue,
/// so each alarm is its own incident), the real `smokegated` on it, the responders'
/// subscription, and the database read from outside, as an operator's tools would.
final class FaultRig: @unchecked Sendable {
    let broker: MosquittoBroker
    let files: TestConfiguration
    let detectors: [String]
    /// Where the daemon's database is: beside the configuration, or in `databaseFolder`.
    let databasePath: String
    let responders: TestSubscriber
    let publisher: TestPublisher
    private(set) var daemon: BinaryProcess?
    /// Every daemon's standard error, in order, for the report when something goes wrong.
    private(set) var logs: [String] = []

    /// The ladder compressed to seconds, so every tier is reached within the run.
    static let ladder = "{ grid: 0s, community: 2s, street: 4s, station: 6s }"

    /// `broker`, when given, replaces the persistent anonymous one: then the daemon logs in as
    /// `login`, and the detectors and responders as `clients`.
    init(
        detectors count: Int = 200, databaseFolder: URL? = nil, http: Int? = nil,
        supervision: String = TestConfiguration.standardSupervision, broker: MosquittoBroker? = nil,
        login: (username: String, password: String)? = nil, clients: (username: String, password: String)? = nil
    ) async throws {
        self.broker = try broker ?? MosquittoBroker(persistence: true)
        files = try TestConfiguration(
            brokerPort: self.broker.port, clientID: "smokegated-faults", escalation: Self.ladder, supervision: supervision,
            login: login)
        detectors = DetectorFleet.ids(count)
        try DetectorFleet.registry(detectors)
            .write(to: files.folder.appendingPathComponent("devices.csv"), atomically: true, encoding: .utf8)
        var main = try String(contentsOf: files.mainFile, encoding: .utf8)
        databasePath = (databaseFolder ?? files.folder).appendingPathComponent("smokegate.db").path
        main = main.replacingOccurrences(of: "database: smokegate.db", with: "database: \(databasePath)")
        if let http { main += "\nhttp:\n  listen: 127.0.0.1:\(http)\n" }
        try main.write(to: files.mainFile, atomically: true, encoding: .utf8)
        responders = try await TestSubscriber.connect(
            port: self.broker.port, filters: ["smokegate/notify/#"], persistent: true, username: clients?.username,
            password: clients?.password)
        publisher = try await TestPublisher.connect(
            port: self.broker.port, username: clients?.username, password: clients?.password)
    }

    /// Starts `smokegated`; with `waitUntilConnected`, returns once its status says so.
    @discardableResult
    func startDaemon(environment: [String: String] = [:], waitUntilConnected: Bool = true) async throws -> BinaryProcess {
        let process = try BinaryProcess("smokegated", ["--config", files.mainFile.path], environment: environment)
        daemon = process
        if waitUntilConnected {
            guard try await eventually(timeout: 30, { try self.connected() }) else {
                throw TestSupportError("smokegated never connected:\n\(process.standardError)")
            }
        }
        return process
    }

    /// Stops the daemon with `signal`; returns its exit status (nil: killed by the signal).
    @discardableResult
    func stopDaemon(signal: Int32 = SIGTERM) async -> Int32? {
        guard let daemon else { return nil }
        let status = await daemon.stop(signal: signal, grace: 30)
        logs.append(daemon.standardError)
        self.daemon = nil
        return status
    }

    func store() throws -> Store? {
        guard FileManager.default.fileExists(atPath: databasePath) else { return nil }
        let store = try Store(path: databasePath, readOnly: true)
        return try store.isMigrated() ? store : nil
    }

    func connected() throws -> Bool { try store()?.readStatus()?.connected == true }

    /// The detectors and their publisher, for alarms and heartbeats.
    var fleet: DetectorFleet { DetectorFleet(publisher: publisher, ids: detectors) }

    /// An alarm from `device`, at QoS 1, acknowledged by the broker before this returns (see
    /// `DetectorFleet.alarm`).
    func alarm(_ device: String, seq: Int = 1) async throws { try await fleet.alarm(device, seq: seq) }

    /// Heartbeats at QoS 0 from every detector in turn, about `perSecond` a second, until cancelled.
    func heartbeats(perSecond: Int) -> Task<Int, Never> { fleet.heartbeats(perSecond: perSecond) }

    /// Waits until every alarm of `ledger` has its incident with every tier called and
    /// the outbox is empty, or `timeout` passes; then checks the ledger.
    func settle(_ ledger: inout AlarmLedger, timeout: TimeInterval = 90) async throws {
        try await ledger.settle(store: { try self.store() }, responders: responders, timeout: timeout)
    }

    /// Another connection takes SQLite's write lock (`BEGIN EXCLUSIVE`) and holds it for `hold`
    /// seconds, on a thread of its own; the task ends when the lock is released.
    func holdWriteLock(for hold: TimeInterval) -> Task<Void, any Error> {
        SmokeGateTestSupport.holdWriteLock(on: databasePath, for: hold)
    }

    /// The last lines of every daemon's log that mention trouble.
    func troubleLines(limit: Int = 5) -> [String] {
        let all = (logs + [daemon?.standardError ?? ""]).joined(separator: "\n").split(separator: "\n")
        return all.filter { $0.contains("critical") || $0.contains("error") }.suffix(limit).map(String.init)
    }

    deinit {
        if let daemon { kill(daemon.pid, SIGKILL) }
        broker.stop()
    }
}
