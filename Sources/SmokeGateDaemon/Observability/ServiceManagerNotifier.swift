import CSystemd
import Foundation
import Logging
import ServiceLifecycle
import SmokeGateStore

/// Speaks systemd's notify protocol through libsystemd: `READY=1` once the database is open
/// and every subscription is granted, `WATCHDOG=1` at least every half `WATCHDOG_USEC` while
/// every loop is idle or progressing (see `LoopMonitor`), `STATUS=` lines, `RELOADING=1` and
/// `READY=1` around a reload, and `STOPPING=1` as soon as shutdown begins. Without
/// `$NOTIFY_SOCKET` (not under systemd) it sends nothing.
struct ServiceManagerNotifier: NamedService {
    let connection: ConnectionState
    let memory: DeviceMemory
    let store: Store
    /// The loops whose stall must stop the watchdog pings: ingest, its worker, the scheduler,
    /// the dispatcher.
    let monitors: [LoopMonitor]
    /// The last reload's outcome, told on the status line.
    let reload: ReloadOutcome
    let logger: Logger

    func run() async throws {
        guard ProcessInfo.processInfo.environment["NOTIFY_SOCKET"] != nil else {
            try? await gracefulShutdown()
            return
        }
        var microseconds: UInt64 = 0
        let watchdog: Duration? = sd_watchdog_enabled(0, &microseconds) > 0 ? .microseconds(Int64(microseconds)) : nil
        // A loop stuck in one step for a whole watchdog period is stalled; without a watchdog, a minute.
        let stallLimit = watchdog ?? .seconds(60)
        let interval = min((watchdog ?? .seconds(2)) / 2, .seconds(1))
        var ready = false
        var lastStatus = ""
        var reportedStall = false
        // The loop ticks every 50 ms so that READY=1 follows the granted subscriptions at once;
        // the watchdog and status work is done once per interval.
        let clock = ContinuousClock()
        var lastBeat = clock.now - interval
        for await _ in AsyncTimerSequence.repeating(every: .milliseconds(50)).cancelOnGracefulShutdown() {
            if !ready, connection.isConnected {
                ready = true
                notify("READY=1")
                logger.info("ready: told the service manager")
            }
            guard clock.now - lastBeat >= interval else { continue }
            lastBeat = clock.now
            let stalled = monitors.filter { $0.isStalled(longerThan: stallLimit) }.map(\.name)
            if watchdog != nil, stalled.isEmpty { notify("WATCHDOG=1") }
            if !stalled.isEmpty, !reportedStall {
                logger.critical("stalled: no watchdog pings until it recovers", metadata: ["loops": "\(stalled)"])
            }
            reportedStall = !stalled.isEmpty
            let status = statusLine(stalled: stalled)
            if status != lastStatus {
                notify("STATUS=" + status)
                lastStatus = status
            }
        }
        notify("STOPPING=1\nSTATUS=stopping: finishing what it holds")
    }

    private func statusLine(stalled: [String]) -> String {
        let broker = connection.isConnected ? "connected" : "NOT connected to the broker"
        let open = (try? store.unresolvedIncidentCount()).map { "\($0) open incident(s)" } ?? "incidents unreadable"
        let stall = stalled.isEmpty ? "" : "; STALLED: \(stalled.joined(separator: ", "))"
        let reloaded = reload.statusLine.isEmpty ? "" : "; \(reload.statusLine)"
        return "\(broker); \(open); \(memory.counters.received) messages received\(stall)\(reloaded)"
    }

    private func notify(_ text: String) {
        _ = sd_notify(0, text)
    }

    /// A reload begins: systemd waits for the `READY=1` that `reloaded` sends.
    static func reloading() {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let microseconds = UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
        _ = sd_notify(0, "RELOADING=1\nMONOTONIC_USEC=\(microseconds)")
    }

    /// A reload is over, taken or refused (`status` says which).
    static func reloaded(_ status: String) {
        _ = sd_notify(0, status.isEmpty ? "READY=1" : "READY=1\nSTATUS=\(status)")
    }
}
