import Foundation
import SmokeGateCore
import SmokeGateMQTT

/// Group commit: the alarms of one read pass (`MQTTClient+ReadPass.swift`) are stored in one
/// transaction, before any of their PUBACKs leaves. A burst of 10,000 alarms then costs a
/// few dozen COMMITs instead of 10,000, and nothing is acknowledged before it is on disk.
///
/// Order is kept as one message at a time would keep it: the batch waits for every message
/// handed to the worker before it (`waitUntilIdle`), a message for the worker on a topic the
/// batch holds commits the batch first, and a transaction holds at most one message per
/// detector (a second one is decoded again after the first is committed).
extension IngestPipeline {
    func mqttClientEndedReadPass(_ client: MQTTClient) {
        monitor.begin()
        defer { monitor.end() }
        commitBatch()
    }

    /// Takes a message whose PUBACK waits for the read pass: committed with the pass's others.
    func batch(_ message: RawMessage, arrival: Arrival) {
        pass.add(message, arrival: arrival)
        if pass.isFull { commitBatch() }
    }

    /// Decodes and handles the batch's messages in order, in the clock's frame, committing
    /// their events in as few transactions as the one-per-detector rule allows.
    func commitBatch() {
        let pending = pass.take()
        guard !pending.isEmpty else { return }
        deferred?.waitUntilIdle(waiter: monitor)
        let inTurn = ContinuousClock.now
        clock.holdingFrame {
            let group = CommitGroup()
            for (message, arrival) in pending {
                var message = message
                message.receivedAt = clock.reframed(message.receivedAt)
                var arrival = arrival
                arrival.inTurn = inTurn
                if absorbsBridgeList(message) { continue }
                var (format, outcome) = normalizer.normalize(message, context: decoding)
                if case .accepted(let decoded) = outcome, group.contains(device: decoded.deviceID) {
                    // The detector's earlier message first: this one is decoded against what it left.
                    commitDurably(group.take())
                    (format, outcome) = normalizer.normalize(message, context: decoding)
                }
                arrival.decoded = .now
                handle(message, format: format, outcome: outcome, arrival: arrival, group: group)
            }
            if !group.isEmpty { commitDurably(group.take()) }
        }
    }
}
