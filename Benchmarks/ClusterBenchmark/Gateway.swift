import Foundation
import SmokeGateCore
import SmokeGateStore
import SmokeGateTestSupport

/// One real `smokegated` on its own configuration: on a SQLite file beside it, or on a
/// PostgreSQL database (alone, or as a node of a cluster). Its process can be SIGKILLed and
/// started again on the same configuration.
final class Gateway: @unchecked Sendable {
    enum Database {
        case sqlite
        case postgres(url: String)
    }

    let name: String
    let files: TestConfiguration
    let database: Database
    let clustered: Bool
    private(set) var process: BinaryProcess?
    private var reader: Store?

    /// Writes the configuration: `devices` is the registry (CSV), `escalation` the fire
    /// ladder; with `lease`, a cluster node called `name`.
    init(
        name: String, brokerPort: Int, database: Database, lease: TimeInterval? = nil, escalation: String, devices: String
    ) throws {
        self.name = name
        self.database = database
        clustered = lease != nil
        var url = "smokegate.db"
        if case .postgres(let location) = database { url = location }
        files = try TestConfiguration(
            brokerPort: brokerPort, clientID: "cluster-bench", escalation: escalation,
            extra: lease.map { "cluster: { node: \(name), lease: \(Int($0))s }" } ?? "", devices: devices, database: url)
    }

    /// Starts the daemon; with `waitUntilConnected`, returns once its own status says so.
    func start(waitUntilConnected: Bool = true) throws {
        process = try BinaryProcess("smokegated", ["--config", files.mainFile.path])
        guard waitUntilConnected else { return }
        guard self.waitUntilConnected(timeout: 30) else {
            throw BenchError("\(name) never connected:\n\(process?.standardError.suffix(3_000) ?? "")")
        }
    }

    /// Polls until the running process has written its own status row, connected.
    func waitUntilConnected(timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            if let pid = process?.pid, (try? isConnected(pid: Int(pid))) == true { return true }
            usleep(20_000)
        } while Date() < deadline
        return false
    }

    private func isConnected(pid: Int) throws -> Bool {
        guard let store = try store() else { return false }
        if clustered {
            guard let row = try store.clusterNodes().first(where: { $0.node == name }) else { return false }
            return row.pid == pid && row.connected
        }
        guard let status = try store.readStatus() else { return false }
        return status.pid == pid && status.connected
    }

    /// The store as the console reads it (nil until the daemon has made a SQLite file).
    func store() throws -> Store? {
        if let reader { return reader }
        switch database {
        case .sqlite:
            guard FileManager.default.fileExists(atPath: files.databaseFile.path) else { return nil }
            let store = try Store(path: files.databaseFile.path, readOnly: true)
            guard try store.isMigrated() else { return nil }
            reader = store
        case .postgres(let url):
            reader = try Store(postgres: PostgresLocation(url: url), readOnly: true, deadline: 5)
        }
        return reader
    }

    /// Alarm events stored from devices whose id starts with `prefix`.
    func alarmsStored(prefix: String) throws -> Int {
        guard let store = try store() else { return 0 }
        return try store.inspect { db in
            try db.fetchValue(
                Int.self, "SELECT count(*) FROM event WHERE kind = 'alarm' AND device_id LIKE ?", [prefix + "%"], cached: false)
        } ?? 0
    }

    /// SIGKILLs the daemon; returns when the signal left (the process is reaped afterwards).
    func kill() -> Date? {
        guard let process, process.child.isRunning else { return nil }
        Glibc.kill(process.pid, SIGKILL)
        let at = Date()
        _ = process.child.reap(timeout: 10)
        self.process = nil
        return at
    }

    /// Stops the daemon with SIGTERM; returns its exit status.
    @discardableResult
    func stop() -> Int32? {
        guard let process else { return nil }
        self.process = nil
        guard process.child.isRunning else { return process.child.exitCode }
        return process.child.end(signal: SIGTERM, grace: 30)
    }

    /// The daemon's standard error so far, for a failure's message.
    var log: String { process?.standardError ?? "" }

    deinit {
        if let process, process.child.isRunning { Glibc.kill(process.pid, SIGKILL) }
    }
}
