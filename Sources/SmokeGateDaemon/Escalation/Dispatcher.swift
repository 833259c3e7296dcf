import Foundation
import Logging
import ServiceLifecycle
import SmokeGateMQTT
import SmokeGateStore
import SmokeGateSync

/// Publishes the outbox: each notification at QoS 1 on its topic, marked sent only once the
/// broker has acknowledged it, and otherwise retried with backoff under the same
/// `notification` id, across reconnects and restarts alike. A call the broker refuses (an
/// MQTT 5 PUBACK reason such as 0x87 not authorized) is not a delivery: it is retried the
/// same way and held in `refusals`, which `/healthz` and `status` show. It has a broker
/// connection of its own (`DispatchLink`), which it opens when it starts and closes when it stops.
struct Dispatcher: NamedService {
    let store: Store
    /// Whether this gateway calls people now (in a cluster, only its leader does).
    let leadership: Leadership
    let clock: GatewayClock
    let link: DispatchLink
    /// Fires' first calls, published by ingest as their commits return.
    let express: ExpressCalls
    /// Rung when notifications are written (here or by another process) or the broker is back.
    let bell: Doorbell
    let monitor: LoopMonitor
    let metrics: GatewayMetrics
    /// Committed alarms' ingest instants, completed here at their calls' PUBACK.
    let traces: AlarmTraces
    /// The calls the broker is refusing, for `/healthz`, `status` and the journal.
    let refusals: DispatchRefusals
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
            let woken = ContinuousClock.now
            // Fires' first calls published by ingest: their answers are recorded first.
            let handed = express.collect()
            if !handed.isEmpty {
                try await record(handed)
                return .zero
            }
            // Not connected: the link rings the bell when the broker is back.
            guard link.connection.isConnected, leadership.holds() else { return nil }
            let read = try store.pendingNotifications(
                at: clock.now(), limit: Self.batchSize, maintenanceLimit: maintenance.limit)
            guard read.isEmpty else {
                let readAt = ContinuousClock.now
                // The fencing token, shown before every batch: a leader that was paused or cut
                // off, and whose lease another took meanwhile, publishes nothing.
                guard try leadership.mayCall(store) else { return nil }
                // Rows ingest is publishing meanwhile are its to record.
                let batch = express.claim(read)
                defer { express.release(batch.map(\.id)) }
                let started = ContinuousClock.now
                try await send(batch, woken: woken, read: readAt)
                maintenance.sent(batch.count, in: ContinuousClock.now - started)
                return .zero
            }
            guard let next = try store.nextOutboxAttempt(at: clock.now()) else {
                tell(refusals.outboxEmpty())
                return nil
            }
            return clock.until(next)
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
        let handed = express.collect()
        if !handed.isEmpty { _ = try? await record(handed) }
        while link.connection.isConnected, steady.now < deadline, (try? leadership.mayCall(store)) == true,
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
    /// `woken` and `read` (when this step began, when the outbox was read) complete the stage
    /// timings of the alarms whose calls are in the batch.
    @discardableResult
    private func send(
        _ batch: [OutboxEntry], woken: ContinuousClock.Instant = .now, read: ContinuousClock.Instant = .now
    ) async throws -> Int {
        let published = await link.client.publishTimed(
            batch.map { ($0.topic, Array($0.payload.utf8)) }, timeout: Self.confirmationTimeout)
        return try record(batch, published: published, woken: { _ in woken }, read: { _ in read })
    }

    /// Waits for the broker's answers to the calls ingest published (`ExpressCalls`) and
    /// records them as a batch of the dispatcher's own; they are released afterwards.
    @discardableResult
    private func record(_ handed: [(entry: OutboxEntry, publish: HandedPublish)]) async throws -> Int {
        defer { express.release(handed.map(\.entry.id)) }
        metrics.firstFireCallsPublished(handed.count)
        let published = await link.client.answers(to: handed.map(\.publish), timeout: Self.confirmationTimeout)
        // No wake and no read: each call left as soon as its commit returned.
        let before = Dictionary(handed.map { ($0.entry.id, $0.publish.before) }, uniquingKeysWith: min)
        return try record(
            handed.map(\.entry), published: published, woken: { before[$0] ?? .now }, read: { before[$0] ?? .now })
    }

    /// Records what became of `batch`, published as `published` says: confirmed calls marked
    /// sent, the rest planned for a retry. `woken` and `read` give, per outbox id, the instants
    /// that complete the stage timings of an alarm whose call is in the batch.
    private func record(
        _ batch: [OutboxEntry], published: [TimedPublish], woken: (Int64) -> ContinuousClock.Instant,
        read: (Int64) -> ContinuousClock.Instant
    ) throws -> Int {
        let outcomes = published.map(\.outcome)
        for (entry, timed) in zip(batch, published) {
            guard let answered = timed.answeredAt, timed.outcome == .confirmed, let stages = traces.take(entry.id) else {
                continue
            }
            metrics.alarmCallConfirmed(
                stages.stages(woken: woken(entry.id), read: read(entry.id), handed: timed.handedAt, answered: answered))
        }
        let now = clock.now()
        var sent: [Int64] = []
        var refused: [(entry: OutboxEntry, refusal: PublishRefusal)] = []
        var unsent: [OutboxEntry] = []
        for (entry, outcome) in zip(batch, outcomes) {
            switch outcome {
            case .confirmed:
                sent.append(entry.id)
                metrics.callConfirmed(tier: entry.tier, action: entry.action, decidedAt: entry.createdAt, at: now)
            case .refused(let refusal):
                refused.append((entry, refusal))
                metrics.callRefused(tier: entry.tier)
            case .unconfirmed:
                unsent.append(entry)
                metrics.callRetried(tier: entry.tier)
            }
        }
        try store.markSent(sent, at: now)
        if !refused.isEmpty || !unsent.isEmpty {
            // The retry is planned on the clock read inside the transaction, with no step applied meanwhile.
            try clock.holdingFrame {
                for (error, calls) in Dictionary(grouping: refused, by: { $0.refusal.description }) {
                    try store.markFailed(calls.map(\.entry.id), error: error, at: clock.now)
                }
                try store.markFailed(unsent.map(\.id), error: "the broker did not acknowledge in time", at: clock.now)
            }
        }
        tell(
            refusals.record(refused: refused.map { ($0.entry.id, "\($0.refusal) on \($0.entry.topic)") }, delivered: sent),
            batch: refused.count)
        if !unsent.isEmpty {
            logger.warning(
                "notifications not acknowledged by the broker; will retry",
                metadata: [
                    "count": "\(unsent.count)", "first": "\(unsent[0].notification)", "attempts": "\(unsent[0].attempts + 1)",
                ])
        }
        if !sent.isEmpty { logger.info("notifications delivered to the broker", metadata: ["count": "\(sent.count)"]) }
        return sent.count
    }

    /// Tells the journal what `refusals` decided it should hear: the first refusal and its
    /// end at once, in between a reminder with counts at most once a minute.
    private func tell(_ journal: DispatchRefusals.Journal, batch: Int = 0) {
        let now = refusals.snapshot
        let reason = now.latest ?? "-"
        switch journal {
        case .quiet:
            return
        case .began:
            logger.critical(
                "the broker refuses calls: none is marked sent; each stays in the outbox and is retried under its notification id until the broker allows it",
                metadata: ["reason": "\(reason)", "refused": "\(batch)", "held": "\(now.held)"])
        case .still(let refused):
            logger.critical(
                "the broker still refuses calls",
                metadata: [
                    "reason": "\(reason)", "refused_since_last_line": "\(refused)", "held": "\(now.held)",
                    "refused_total": "\(now.total)",
                ])
        case .ended:
            logger.notice("the broker takes calls again", metadata: ["refused_total": "\(now.total)"])
        }
    }
}
