import CSystemd
import Foundation
import Logging
import ServiceLifecycle
import SmokeGateStore

/// Speaks systemd's notify protocol through libsystemd: `READY=1` once the database is open
/// and every subscription is granted, `WATCHDOG=1` at least every half `WATCHDOG_USEC` while
/// no loop is stuck in a step, `STATUS=` lines, and `STOPPING=1` as soon as shutdown begins.
/// Without `$NOTIFY_SOCKET` (not under systemd) it sends nothing.
struct ServiceManagerNotifier: NamedService {
    let connection: ConnectionState
    let memory: DeviceMemory
    let store: Store
    /// The loops whose stall must stop the watchdog pings: ingest, the scheduler, the dispatcher.
    let monitors: [LoopMonitor]
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
        return "\(broker); \(open); \(memory.counters.received) messages received\(stall)"
    }

    private func notify(_ text: String) {
        _ = sd_notify(0, text)
    }
}
