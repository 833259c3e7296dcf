import AsyncHTTPClient
import Foundation
import Logging
import SmokeGateCore
import SmokeGateReceivers
import SmokeGateStore
import SmokeGateSync
import Synchronization

/// One receiver's deliveries, sent by their own loop so that a vendor that is slow, down or
/// rate-limiting delays nobody else's calls. Each pass re-reads what waits (and the incident's
/// state with it: a `notify` for an incident answered since it was made is not sent), keeps
/// the receiver's pace, merges what waits into one message where the receiver merges and the
/// pace would otherwise hold calls back, and records every attempt.
final class DeliveryLane: Sendable {
    let receiver: any Receiver
    let store: Store
    /// Whether this gateway calls people now (in a cluster, only its leader does).
    let leadership: Leadership
    let clock: GatewayClock
    let http: HTTPClient
    let answers: AnswerLinking?
    let metrics: GatewayMetrics
    let health: ReceiverHealth
    let logger: Logger
    /// Rung when calls are written, and by the vendor's pace or rate limit opening again.
    let bell = Doorbell()
    private let pace: PaceKeeper

    /// Texts, calls and webhooks in flight at once: a provider that answers in 5 s still
    /// carries a burst of fires at several a second, one that answers at once hundreds.
    static let parallel = 32
    /// Deliveries read per pass.
    static let readLimit = 64

    init(
        receiver: any Receiver, store: Store, leadership: Leadership, clock: GatewayClock, http: HTTPClient,
        answers: AnswerLinking?,
        metrics: GatewayMetrics, health: ReceiverHealth, logger: Logger
    ) {
        self.receiver = receiver
        self.store = store
        self.leadership = leadership
        self.clock = clock
        self.http = http
        self.answers = answers
        self.metrics = metrics
        self.health = health
        var logger = logger
        logger[metadataKey: "receiver"] = "\(receiver.settings.name)"
        self.logger = logger
        let pace = receiver.settings.effectivePace
        self.pace = PaceKeeper(pace.map { SendPace(count: $0.count, window: $0.window) } ?? .unlimited)
    }

    var name: String { receiver.settings.name }
    var kind: ReceiverKind { receiver.settings.kind }

    func run(monitor: LoopMonitor) async {
        await bell.serve(failure: "cannot read or update the deliveries of \(name)", logger: logger, monitor: monitor) {
            try await self.step()
        }
        // Stopping: the requests in flight end within the receiver's timeout; their outcomes
        // are written, so nothing taken is sent again at the next start.
        let deadline = ContinuousClock.now + receiver.settings.timeout + .seconds(1)
        while !inFlight.withLock(\.isEmpty), ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
    }

    /// Deliveries whose request is on its way (texts, calls, webhooks): still `waiting` in the
    /// database until their outcome is written, so each pass leaves them out.
    private let inFlight = Mutex<Set<Int64>>([])

    /// One pass: returns how long to wait (nil: until rung, zero: go again at once).
    func step() async throws -> Duration? {
        // A standby sends nothing: it is rung when it becomes leader.
        guard leadership.holds() else { return nil }
        let now = clock.now()
        let busy = inFlight.withLock { $0 }
        let due = try store.dueDeliveries(receiver: name, at: now, limit: Self.readLimit + busy.count)
            .filter { !busy.contains($0.id) }
        guard !due.isEmpty else {
            // While requests are in flight their rows look due: each one rings when it ends.
            guard busy.isEmpty else { return .milliseconds(250) }
            return try store.nextDeliveryAttempt(receiver: name).map { clock.until($0) }
        }
        var calls: [(delivery: PendingDelivery, card: CallCard)] = []
        var ended: [DeliveryAttempt] = []
        for delivery in due {
            guard var card = CallCard(payload: delivery.payload) else {
                ended.append(
                    DeliveryAttempt(
                        id: delivery.id, attempts: delivery.attempts, outcome: .refused("the stored call cannot be read")))
                continue
            }
            if delivery.action == DispatchAction.notify.rawValue, delivery.answeredSince, !card.isGrouped {
                ended.append(
                    DeliveryAttempt(
                        id: delivery.id, attempts: delivery.attempts, outcome: nil,
                        skipReason: "not sent: the incident was answered after this call was made"))
                metrics.delivery(receiver: name, outcome: "skipped")
                continue
            }
            // A link to answer with, on the calls that ask for an answer; a grouped message's
            // members are answered one by one (`smokegate alarms`), not through its lead.
            if delivery.action == DispatchAction.notify.rawValue || delivery.action == DispatchAction.callFailed.rawValue,
                !card.isGrouped
            {
                card.answerURL = answers?.url(for: delivery)
            }
            card.answerCode = delivery.answerCode
            calls.append((delivery, card))
        }
        try record(ended)
        guard !calls.isEmpty else { return .zero }
        // The fencing token, before any call leaves (see `Leadership.mayCall`).
        guard try leadership.mayCall(store) else { return nil }
        let free = pace.free()
        guard free > 0 else { return .seconds(max(0.01, pace.nextSlot() - pace.now())) }
        if kind.merges {
            try await sendMerged(calls, free: free)
            return .zero
        }
        let room = min(free, Self.parallel - busy.count)
        guard room > 0 else { return .milliseconds(250) }
        for call in calls.prefix(room) { launch(call) }
        return calls.count > room ? .milliseconds(250) : .zero
    }

    /// A group robot: each call on its own while the pace has room for all that wait and a
    /// reserve, and the vendor has not said "too fast" lately; otherwise as many as fit merged
    /// into one message, in order (fires first).
    private func sendMerged(_ calls: [(delivery: PendingDelivery, card: CallCard)], free: Int) async throws {
        var batch = [calls[0]]
        // A quarter of the pace is kept for what comes next: a burst spends the rest on single
        // messages, then merges, so the fires after it do not wait for the window.
        let reserve = receiver.settings.effectivePace.map { $0.count / 4 } ?? 0
        if calls.count > 1, calls.count + reserve > free || pace.recentlyLimited() {
            for call in calls.dropFirst() where receiver.fits(batch.map(\.card) + [call.card]) { batch.append(call) }
        }
        let outcome = await attempt(OutgoingMessage(calls: batch.map(\.card), now: clock.now()))
        try record(
            batch.map {
                DeliveryAttempt(id: $0.delivery.id, attempts: $0.delivery.attempts, outcome: outcome.0, latency: outcome.1)
            })
        for call in batch { observe(call.delivery, outcome.0, merged: batch.count) }
    }

    /// Texts, voice calls and webhooks: one request per delivery, up to `parallel` in flight
    /// at once (each the first of its thread, so no order between them is owed), a new one
    /// starting as soon as one ends: a provider that takes 5 s over one text holds that text,
    /// not the next ones.
    private func launch(_ call: (delivery: PendingDelivery, card: CallCard)) {
        inFlight.withLock { _ = $0.insert(call.delivery.id) }
        Task {
            let (outcome, latency) = await self.attempt(
                OutgoingMessage(calls: [call.card], recipient: call.delivery.contact, now: self.clock.now()))
            do {
                try self.record([
                    DeliveryAttempt(id: call.delivery.id, attempts: call.delivery.attempts, outcome: outcome, latency: latency)
                ])
            } catch {
                // The delivery stays waiting and is tried again: a robot or a webhook may then
                // see the call twice (a webhook drops it by its id), never a lost one.
                self.logger.error(
                    "cannot record a delivery's outcome; it will be tried again",
                    metadata: ["incident": "\(call.delivery.incident)", "error": "\(error)"])
            }
            self.observe(call.delivery, outcome, merged: 1)
            self.inFlight.withLock { _ = $0.remove(call.delivery.id) }
            self.bell.ring()
        }
    }

    /// One request, within the pace; a rate-limit answer blocks the pace until the vendor's time.
    private func attempt(_ message: OutgoingMessage) async -> (DeliveryOutcome, TimeInterval) {
        pace.record()
        let started = ContinuousClock.now
        let outcome = await receiver.send(message, using: http)
        let elapsed = ContinuousClock.now - started
        if case .rateLimited(let until, _) = outcome {
            let wait = until.map { max(1, $0.timeIntervalSince(clock.now())) } ?? DeliveryPolicy.rateLimitPause
            pace.block(for: wait)
        }
        return (outcome, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    private func record(_ attempts: [DeliveryAttempt]) throws {
        guard !attempts.isEmpty else { return }
        try store.recordDeliveries(attempts, at: clock.now())
    }

    /// Metrics, health and the journal for one delivery's attempt.
    private func observe(_ delivery: PendingDelivery, _ outcome: DeliveryOutcome, merged: Int) {
        metrics.delivery(receiver: name, outcome: outcome.name)
        health.record(receiver: name, outcome: outcome, at: clock.now())
        switch outcome {
        case .delivered:
            metrics.deliveryLatency(
                receiver: name, tier: delivery.tier, action: delivery.action,
                seconds: clock.now().timeIntervalSince(delivery.createdAt))
        case .refused(let why):
            logger.critical(
                "a receiver refused a call for good; the street is told",
                metadata: ["incident": "\(delivery.incident)", "tier": "\(delivery.tier)", "reason": "\(why)"])
        case .unknown(let why):
            logger.error(
                "a call's outcome is unknown; it is not resent (texts and calls are not idempotent); the street is told",
                metadata: ["incident": "\(delivery.incident)", "tier": "\(delivery.tier)", "reason": "\(why)"])
        case .retryLater(let why), .rateLimited(_, let why):
            logger.warning(
                "a call was not taken; retrying",
                metadata: [
                    "incident": "\(delivery.incident)", "tier": "\(delivery.tier)", "outcome": "\(outcome.name)",
                    "reason": "\(why)", "attempts": "\(delivery.attempts + 1)", "merged": "\(merged)",
                ])
        }
    }
}
