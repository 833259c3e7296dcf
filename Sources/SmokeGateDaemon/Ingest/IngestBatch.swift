import SmokeGateCore
import SmokeGateMQTT

/// The messages of a read pass that wait to be committed together, when the pass ends
/// (`IngestPipeline+Batch.swift`). Touched on the network thread only.
final class IngestBatch {
    /// At most this many messages per transaction: a burst is written in steps of a few tens
    /// of milliseconds, so the first fires' calls leave while the rest of it is written.
    static let limit = 256

    private(set) var messages: [(message: RawMessage, arrival: Arrival)] = []
    private var topics: Set<String> = []

    var isEmpty: Bool { messages.isEmpty }
    var isFull: Bool { messages.count >= Self.limit }

    func add(_ message: RawMessage, arrival: Arrival) {
        messages.append((message, arrival))
        topics.insert(message.topic)
    }

    /// Whether a message of `topic` waits here: one after it on the same topic must not be
    /// handled first (the worker would apply a detector's later state before its alarm).
    /// Asked for every heartbeat set aside: an empty batch answers without hashing the topic.
    func holds(topic: String) -> Bool { !messages.isEmpty && topics.contains(topic) }

    /// Empties the batch, returning what it held, oldest first.
    func take() -> [(message: RawMessage, arrival: Arrival)] {
        defer {
            messages.removeAll(keepingCapacity: true)
            topics.removeAll(keepingCapacity: true)
        }
        return messages
    }
}
