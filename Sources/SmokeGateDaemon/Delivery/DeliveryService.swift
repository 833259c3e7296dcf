import AsyncHTTPClient
import Foundation
import Logging
import ServiceLifecycle
import SmokeGateCore
import SmokeGateReceivers
import SmokeGateStore
import SmokeGateSync

/// Carries the calls to people's phones: one `DeliveryLane` per configured receiver, and a
/// watch that turns calls that cannot be delivered into alarms for the street
/// (`Store.reportFailedDeliveries`). Rung, like the dispatcher, whenever calls are written.
struct DeliveryService: NamedService {
    let store: Store
    /// Whether this gateway calls people now (in a cluster, only its leader does).
    let leadership: Leadership
    let clock: GatewayClock
    let live: LiveConfiguration
    let receivers: [any Receiver]
    let answers: AnswerLinking?
    /// Rung when calls are written (here or by another process).
    let bell: Doorbell
    /// Rung when a failure notice was written, so MQTT carries it too.
    let dispatcher: Doorbell
    let metrics: GatewayMetrics
    let health: ReceiverHealth
    let monitor: LoopMonitor
    let logger: Logger

    /// How often calls are checked for having waited past their bound.
    static let failureWatchInterval: Duration = .seconds(1)

    func run() async throws {
        guard !receivers.isEmpty else {
            try? await gracefulShutdown()
            return
        }
        var configuration = Receivers.httpConfiguration
        configuration.timeout.connect = .seconds(5)
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = DeliveryLane.parallel
        // A client, and so a connection pool, per receiver: two receivers on one host (two
        // webhooks of one duty system, a provider's SMS and a robot behind one gateway) would
        // otherwise share a pool, and a slow one would hold the other's calls for a connection.
        let lanes = receivers.map {
            DeliveryLane(
                receiver: $0, store: store, leadership: leadership, clock: clock,
                http: HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration), answers: answers,
                metrics: metrics, health: health, logger: logger)
        }
        await withTaskGroup(of: Void.self) { group in
            for lane in lanes {
                group.addTask { await lane.run(monitor: LoopMonitor("delivery \(lane.name)", fatal: monitor.fatal)) }
            }
            group.addTask { await watchFailures(lanes) }
            group.addTask {
                // One bell for everything that writes calls; each lane has its own.
                while !Task.isShuttingDownGracefully, !Task.isCancelled {
                    await cancelWhenGracefulShutdown { await bell.wait(timeout: nil) }
                    lanes.forEach { $0.bell.ring() }
                }
            }
            await group.waitForAll()
        }
        for lane in lanes { try? await lane.http.shutdown() }
    }

    /// Every second: calls refused for good, with an unknown outcome, or past their bound go
    /// on the timeline and to the street.
    private func watchFailures(_ lanes: [DeliveryLane]) async {
        let watch = Doorbell()
        await watch.serve(failure: "cannot check the deliveries for failed calls", logger: logger, monitor: monitor) {
            guard leadership.holds() else { return Self.failureWatchInterval }
            let effects = try store.reportFailedDeliveries(at: clock.now(), desk: live.configuration.incidentDesk)
            if effects.notifications > 0 {
                logger.critical(
                    "calls that cannot reach people were told to the street", metadata: ["notices": "\(effects.notifications)"])
                dispatcher.ring()
                lanes.forEach { $0.bell.ring() }
            }
            return Self.failureWatchInterval
        }
    }
}
