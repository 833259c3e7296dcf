import Foundation
import Logging
import ServiceLifecycle
import SmokeGateStore

/// Writes the daemon's health for `smokegate status` at least once a second, and a last
/// time, marked stopped, on shutdown. Each row carries the boot clock and the boot's id
/// beside `updated_at`, so its age is read on a clock no wall-clock step moves.
struct StatusWriter: NamedService {
    let memory: DeviceMemory
    let connection: ConnectionState
    let store: Store
    let clock: GatewayClock
    /// Told whether each write succeeded, for `/healthz`.
    let health: DatabaseHealth
    let identity: (pid: Int, clientID: String, broker: String, startedAt: Date)
    /// Calls and subscriptions the broker refuses, shown by `smokegate status`.
    let refusals: BrokerRefusals
    /// Receivers refusing or failing, for `status`.
    let receivers: ReceiverHealth
    let interval: Duration
    /// In a cluster every node writes its own row (`cluster_node`) and only the leader the
    /// gateway's status, which the console reads as the cluster's.
    let leadership: Leadership
    let logger: Logger

    func run() async throws {
        let ticks = AsyncTimerSequence.repeating(every: interval).cancelOnGracefulShutdown()
        write(stopped: false)
        for await _ in ticks {
            write(stopped: false)
        }
        write(stopped: true)
    }

    func snapshot(stopped: Bool) -> GatewayStatus {
        let counters = memory.counters
        let now = clock.now()
        let boot = BootClock.now()
        let dispatch = refusals.dispatch.snapshot
        var status = GatewayStatus(
            pid: identity.pid, clientID: identity.clientID, broker: identity.broker, startedAt: identity.startedAt,
            updatedAt: now, connected: stopped ? false : connection.isConnected, received: counters.received,
            rejected: counters.rejected, heartbeats: counters.heartbeats, events: counters.storedEvents,
            duplicates: counters.duplicates,
            byFormat: Dictionary(uniqueKeysWithValues: counters.byFormat.map { ($0.key.rawValue, $0.value) }),
            byReason: Dictionary(uniqueKeysWithValues: counters.byReason.map { ($0.key.rawValue, $0.value) })
                .merging(counters.droppedReadings > 0 ? ["reading_dropped": counters.droppedReadings] : [:]) { $1 },
            stoppedAt: stopped ? now : nil, updatedBoottime: boot.seconds, bootID: boot.bootID,
            dispatchRefusing: dispatch.isRefusing, callsRefused: dispatch.total, refusal: dispatch.summary,
            subscriptionsRefused: Dictionary(
                refusals.subscriptions.map { ($0.filter, $0.answer) }, uniquingKeysWith: { $1 }))
        status.receiversInTrouble = Dictionary(receivers.troubled.map { ($0.receiver, $0.problem) }, uniquingKeysWith: { $1 })
        status.node = leadership.node
        return status
    }

    private func write(stopped: Bool) {
        do {
            let status = snapshot(stopped: stopped)
            if let node = leadership.node {
                try store.write(
                    ClusterNodeStatus(
                        node: node, role: stopped ? "stopped" : leadership.role, epoch: leadership.epoch, pid: status.pid,
                        connected: status.connected, received: status.received, startedAt: status.startedAt,
                        updatedAt: status.updatedAt),
                    instance: leadership.instance)
            }
            if leadership.holds() { try store.write(status) }
            health.recordWrite(succeeded: true)
        } catch {
            health.recordWrite(succeeded: false)
            logger.warning("cannot write status", metadata: ["error": "\(error)"])
        }
    }
}
