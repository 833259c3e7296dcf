import Foundation
import Logging
import SmokeGateConfig
import SmokeGateCore
import SmokeGateStore
import Synchronization

/// Takes platform pushes off the HTTP server and through the ingest path, the same one MQTT
/// messages take: decoded by the source's format, committed before the answer, recorded
/// when rejected.
///
/// A commit blocks on SQLite, so it runs on a queue of its own, never on the server's event
/// loop or Swift's cooperative pool (two threads on a two-core machine): a push waiting on a
/// locked database must not hold up `/healthz`, the answer links or the scheduler.
final class PushDesk: Sendable {
    /// How long a push waits for a refused write before it is answered 503: well inside the
    /// platforms' own timeouts (IoTDA gives 15 s), so the platform retries rather than
    /// counting the endpoint as failing.
    static let budget: Duration = .seconds(5)
    /// Pushes committed at once: more would only queue on SQLite's one writer, each holding a
    /// thread.
    static let width = 8
    /// Pushes held waiting for the store at most; past it a push is answered 503 at once.
    static let backlogLimit = 1_000

    let pipeline: IngestPipeline
    let metrics: GatewayMetrics
    let logger: Logger
    private let queue: OperationQueue
    /// When each source last recorded a push it turned away for its sender (address or
    /// rate): at most one a second is kept, so a flood cannot fill the rejected table.
    private let lastTurnedAway = Mutex<[String: ContinuousClock.Instant]>([:])

    init(pipeline: IngestPipeline, metrics: GatewayMetrics, logger: Logger) {
        self.pipeline = pipeline
        self.metrics = metrics
        var logger = logger
        logger[metadataKey: "component"] = "push"
        self.logger = logger
        queue = OperationQueue()
        queue.name = "smokegate.push"
        queue.maxConcurrentOperationCount = Self.width
    }

    /// Decodes and stores one push; returns once its events are durable, or given up.
    ///
    /// One SQLite write can itself wait on a lock for seconds (the store's busy timeout), so the
    /// answer does not wait past `budget`: it is `notStored` (503) then, even if the write
    /// succeeds a moment later; the platform's retry is then recognised by its stamp and
    /// stored once. A late success is harmless; a `200` before the commit never happens.
    func take(_ body: [UInt8], from source: PushSource) async -> IngestResult {
        guard queue.operationCount < Self.backlogLimit else {
            // The store has been refusing long enough for pushes to pile up: more would only
            // hold memory and threads. The platform retries.
            metrics.pushAnswered(source, answer: "unavailable")
            return .notStored
        }
        let pipeline = self.pipeline
        let answer = Mutex<CheckedContinuation<IngestResult, Never>?>(nil)
        @Sendable func settle(_ result: IngestResult) {
            answer.withLock { waiting in
                waiting?.resume(returning: result)
                waiting = nil
            }
        }
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<IngestResult, Never>) in
            answer.withLock { $0 = continuation }
            DispatchQueue.global().asyncAfter(deadline: .now() + Self.budget.secondsValue) { settle(.notStored) }
            queue.addOperation {
                let raw = RawMessage(topic: source.name, payload: body, receivedAt: pipeline.clock.now())
                let result = pipeline.inFrame(raw) { message in
                    let outcome = pipeline.normalizer.normalize(
                        push: message, format: source.format, context: pipeline.decoding)
                    return pipeline.handle(
                        message, format: source.format, outcome: outcome, arrival: .push(budget: Self.budget))
                }
                settle(result)
            }
        }
        switch result {
        case .taken: metrics.pushAnswered(source, answer: "taken")
        case .rejected: metrics.pushAnswered(source, answer: "rejected")
        case .notStored: metrics.pushAnswered(source, answer: "unavailable")
        }
        return result
    }

    /// Records a push turned away before decoding (its sender, size or signature), as MQTT
    /// input is: counted always, kept as a rejected message at most once a second per source
    /// and reason for the sender's faults, always for a body's.
    func turnAway(_ source: PushSource, _ rejection: Rejection, body: [UInt8] = [], peer: String?) {
        metrics.pushAnswered(source, answer: rejection.reason.rawValue)
        let bySender = rejection.reason == .notAllowed || rejection.reason == .rateLimited
        if bySender {
            let key = source.path + "#" + rejection.reason.rawValue
            let now = ContinuousClock.now
            let keep = lastTurnedAway.withLock { last in
                if let previous = last[key], now - previous < .seconds(1) { return false }
                last[key] = now
                return true
            }
            guard keep else { return }
        }
        logger.warning(
            "turned a push away",
            metadata: ["source": "\(source.name)", "peer": "\(peer ?? "unknown")", "reason": "\(rejection)"])
        pipeline.memory.reject(
            RejectedMessage(
                receivedAt: pipeline.clock.now(), topic: source.name, format: source.format,
                rejection: Rejection(rejection.reason, rejection.detail + " (from \(peer ?? "an unknown address"))"),
                payload: Array(body.prefix(4_096))))
    }
}
