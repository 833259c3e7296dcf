import SmokeGateSync
import Synchronization

/// Matches the broker's PUBACKs to a batch of QoS 1 publications, so that a caller can
/// wait until the broker has answered every message of the batch, and learn each answer:
/// its reason code (0 in MQTT 3.1.1; 0x80 and above a refusal in MQTT 5) and when it came,
/// or none in time.
final class PublishConfirmations: Sendable {
    /// The broker's answer to one message: its PUBACK reason code, and when it arrived.
    struct Answer: Sendable {
        var reason: Int32
        var at: ContinuousClock.Instant
    }

    private struct State {
        /// Answers to message ids nobody waits for yet (the PUBACK beat the wait).
        var early: [Int32: Answer] = [:]
        /// Ids of the batch being waited for that the broker has not answered.
        var outstanding: Set<Int32> = []
        /// The batch's answers so far, by message id.
        var answers: [Int32: Answer] = [:]
    }

    private let state = Mutex(State())
    /// Rung when the last outstanding id of the batch is answered.
    private let answered = Doorbell()

    /// Called from the network thread when the broker answers `messageID` with `reason`.
    func confirm(_ messageID: Int32, reason: Int32) {
        let answer = Answer(reason: reason, at: .now)
        let complete = state.withLock { state -> Bool in
            guard state.outstanding.remove(messageID) != nil else {
                // Bounded: ids are 16-bit, and each batch starts by clearing this.
                state.early[messageID] = answer
                return false
            }
            state.answers[messageID] = answer
            return state.outstanding.isEmpty
        }
        if complete { answered.ring() }
    }

    /// Forgets answers of earlier batches; call before publishing a new batch.
    func beginBatch() {
        state.withLock { state in
            state.early.removeAll(keepingCapacity: true)
            state.outstanding.removeAll(keepingCapacity: true)
            state.answers.removeAll(keepingCapacity: true)
        }
    }

    /// Waits until every id in `ids` is answered or `timeout` has passed; returns the answer
    /// to each id answered (an id missing from the result had no answer in time).
    func wait(for ids: [Int32], timeout: Duration) async -> [Int32: Answer] {
        state.withLock { state in
            state.outstanding = []
            for id in ids {
                if let answer = state.early[id] {
                    state.answers[id] = answer
                } else {
                    state.outstanding.insert(id)
                }
            }
            state.early.removeAll(keepingCapacity: true)
        }
        // A ring left over from an earlier batch only makes the loop look again.
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while !state.withLock({ $0.outstanding.isEmpty }), !Task.isCancelled {
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else { break }
            await answered.wait(timeout: left)
        }
        return state.withLock { state in
            let answers = state.answers
            state.outstanding.removeAll()
            state.answers.removeAll()
            return answers
        }
    }
}
