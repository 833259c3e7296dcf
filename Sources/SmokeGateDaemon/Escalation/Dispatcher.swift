import Foundation
import Logging
import ServiceLifecycle
import SmokeGateMQTT
import SmokeGateStore

/// Publishes the outbox: each notification at QoS 1 on its topic, marked sent only once the
/// broker has acknowledged it, and otherwise retried with backoff under the same
/// `notification` id, across reconnects and restarts alike. It has a broker connection of
/// its own (`DispatchLink`), which it opens when it starts and closes when it stops.
struct Dispatcher: NamedService {
    let store: Store
    let clock: GatewayClock
    let link: DispatchLink
    /// Rung when notifications are written (here or by another process) or the broker is back.
    let bell: Doorbell
    let monitor: LoopMonitor
    let metrics: GatewayMetrics
    let logger: Logger

    /// Notifications handed to the broker together; the PUBACKs of a batch are awaited together.
    static let batchSize = 200
    /// How long a batch waits for the broker's PUBACKs before its stragglers are retried.
    static let confirmationTimeout: Duration = .seconds(10)

    func run() async throws {
        link.client.start()
        defer { link.client.stop() }
        // Fires go first in every batch; maintenance messages are kept few enough that a fire
        // written meanwhile does not wait long for the batch in flight (field rule 7).
        var maintenance = MaintenanceBatch()
        await bell.serve(failure: "cannot read or update the outbox", logger: logger, monitor: monitor) {
            // Not connected: the link rings the bell when the broker is back.
            guard link.connection.isConnected else { return nil }
            let batch = try store.pendingNotifications(
                at: clock.now(), limit: Self.batchSize, maintenanceLimit: maintenance.limit)
            guard batch.isEmpty else {
                let started = ContinuousClock.now
                try await send(batch)
                maintenance.sent(batch.count, in: ContinuousClock.now - started)
                return .zero
            }
            return try store.nextOutboxAttempt(at: clock.now()).map(clock.until)
        }
        await drainBeforeStopping()
    }

    /// How long a stop may spend sending what is left (systemd allows 30 s in all).
    static let drainLimit: Duration = .seconds(10)

    /// Stopping: ingest has stopped before this, so send the calls its last messages caused,
    /// batch after batch, while the broker takes them and time allows; whatever is left waits
    /// in the outbox for the next start.
    private func drainBeforeStopping() async {
        let steady = ContinuousClock()
        let deadline = steady.now.advanced(by: Self.drainLimit)
        while link.connection.isConnected, steady.now < deadline,
            let batch = try? store.pendingNotifications(at: clock.now(), limit: Self.batchSize), !batch.isEmpty
        {
            guard (try? await send(batch)) == batch.count else { break }
        }
        if let left = try? store.outboxBacklog(), left > 0 {
            logger.warning(
                "stopping with calls not yet taken by the broker; sent at the next start", metadata: ["count": "\(left)"])
        }
    }

    /// Publishes `batch` and records the outcome; returns how many the broker confirmed.
    @discardableResult
    private func send(_ batch: [OutboxEntry]) async throws -> Int {
        let confirmed = await link.client.publishConfirmed(
            batch.map { ($0.topic, Array($0.payload.utf8)) }, timeout: Self.confirmationTimeout)
        let now = clock.now()
        let sent = zip(batch, confirmed).filter(\.1).map(\.0.id)
        let unsent = zip(batch, confirmed).filter { !$0.1 }.map(\.0)
        try store.markSent(sent, at: now)
        for (entry, ok) in zip(batch, confirmed) {
            if ok {
                metrics.callConfirmed(tier: entry.tier, action: entry.action, decidedAt: entry.createdAt, at: now)
            } else {
                metrics.callRetried(tier: entry.tier)
            }
        }
        if !unsent.isEmpty {
            // The retry is planned on the clock read inside the transaction, with no step applied meanwhile.
            try clock.holdingFrame {
                try store.markFailed(unsent.map(\.id), error: "the broker did not acknowledge in time", at: clock.now)
            }
            logger.warning(
                "notifications not acknowledged by the broker; will retry",
                metadata: [
                    "count": "\(unsent.count)", "first": "\(unsent[0].notification)", "attempts": "\(unsent[0].attempts + 1)",
                ])
        }
        if !sent.isEmpty { logger.info("notifications delivered to the broker", metadata: ["count": "\(sent.count)"]) }
        return sent.count
    }
}
