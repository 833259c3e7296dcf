import Foundation
import Logging
import ServiceLifecycle
import SmokeGateCore
import SmokeGateStore

/// Writes registry changes into the `device` table in the background, in transactions of two
/// thousand rows (`Daemon.Options` sets how large a change waits for it and how many rows): a
/// large change found at start-up, and each registry a reload puts in force. The table is what
/// the console lists; routing and supervision read the registry in memory. A first start on a
/// million detectors would otherwise hold READY back for the seconds that 250 MB of writes
/// take, and an alarm arriving meanwhile waits for one part at most.
struct RegistryMirror: NamedService {
    let store: Store
    /// The registries waiting to be written: only the newest counts.
    let requests: RegistryRequests
    /// Rows per transaction.
    let part: Int
    let connection: ConnectionState
    let logger: Logger

    static let progressEvery: Duration = .seconds(2)
    /// How long to let the broker session come up before writing anyway.
    static let brokerWait: Duration = .seconds(10)

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            try await waitForBrokerSession()
            while !Task.isCancelled {
                guard let (devices, known) = requests.take() else {
                    await requests.bell.wait(timeout: nil)
                    continue
                }
                try await write(devices, changes: known)
            }
        }
    }

    /// READY goes out once the session is up: the parts wait for it, so start-up keeps the disk.
    private func waitForBrokerSession() async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + Self.brokerWait
        while !connection.isConnected, clock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
    }

    /// Writes what `devices` changes in the table (`known`, or compared now), part after part;
    /// a newer registry arriving meanwhile ends it, for the next one is compared afresh.
    private func write(_ devices: DeviceRegistry, changes known: RegistryChanges?) async throws {
        var retry: Duration = .milliseconds(500)
        var changes = known
        while changes == nil {
            do {
                guard let found = try store.registryChanges(devices) else { return }
                changes = found
            } catch {
                logger.error("cannot compare the registry with the database; will try again", metadata: ["error": "\(error)"])
                try await Task.sleep(for: retry)
                retry = min(retry * 2, .seconds(30))
            }
        }
        guard let changes else { return }
        let total = changes.rowCount
        let clock = ContinuousClock()
        let started = clock.now
        var lastReport = started
        var done = 0
        logger.notice(
            "writing the registry into the database in the background; the console lists detectors as they are written",
            metadata: ["rows": "\(total)"])
        while done < total {
            guard !Task.isCancelled else {
                return logger.notice(
                    "stopped writing the registry into the database; the next start finishes it",
                    metadata: ["written": "\(done)", "rows": "\(total)"])
            }
            guard !requests.hasNewer else {
                return logger.info(
                    "a newer registry was reloaded: writing that one instead",
                    metadata: ["written": "\(done)", "rows": "\(total)"])
            }
            let rows = done..<min(done + part, total)
            do {
                try store.write(changes, of: devices, rows: rows)
                done = rows.upperBound
                retry = .milliseconds(500)
            } catch {
                logger.error(
                    "cannot write the registry into the database; will try again",
                    metadata: ["error": "\(error)", "written": "\(done)", "rows": "\(total)", "retry_in": "\(retry)"])
                try await Task.sleep(for: retry)
                retry = min(retry * 2, .seconds(30))
                continue
            }
            if clock.now - lastReport >= Self.progressEvery, done < total {
                lastReport = clock.now
                logger.info("writing the registry into the database", metadata: ["written": "\(done)", "rows": "\(total)"])
            }
            await Task.yield()
        }
        logger.notice(
            "registry written into the database",
            metadata: ["rows": "\(total)", "seconds": "\(String(format: "%.1f", (clock.now - started).secondsValue))"])
    }
}
