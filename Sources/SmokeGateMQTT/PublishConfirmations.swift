import Synchronization

/// Matches the broker's PUBACKs to a batch of QoS 1 publications, so that a caller can
/// wait until the broker has answered every message of the batch, and learn each answer:
/// its reason code (0 in MQTT 3.1.1; 0x80 and above a refusal in MQTT 5), or none in time.
final class PublishConfirmations: Sendable {
    private struct State {
        /// Answers to message ids nobody waits for yet (the PUBACK beat the wait).
        var early: [Int32: Int32] = [:]
        /// Ids of the batch being waited for that the broker has not answered.
        var outstanding: Set<Int32> = []
        /// The batch's answers so far: message id to PUBACK reason code.
        var answers: [Int32: Int32] = [:]
        var waiter: CheckedContinuation<Void, Never>?
        var batch: UInt64 = 0
        var expiredBatch: UInt64 = 0
    }

    private let state = Mutex(State())

    /// Called from the network thread when the broker answers `messageID` with `reason`.
    func confirm(_ messageID: Int32, reason: Int32) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard state.outstanding.remove(messageID) != nil else {
                // Bounded: ids are 16-bit, and each batch starts by clearing this.
                state.early[messageID] = reason
                return nil
            }
            state.answers[messageID] = reason
            guard state.outstanding.isEmpty, let waiter = state.waiter else { return nil }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Forgets answers of earlier batches; call before publishing a new batch.
    func beginBatch() {
        state.withLock { state in
            state.early.removeAll(keepingCapacity: true)
            state.outstanding.removeAll(keepingCapacity: true)
            state.answers.removeAll(keepingCapacity: true)
        }
    }

    /// Waits until every id in `ids` is answered or `timeout` has passed; returns the reason
    /// code of each id answered (an id missing from the result had no answer in time).
    func wait(for ids: [Int32], timeout: Duration) async -> [Int32: Int32] {
        let batch = state.withLock { state in
            state.outstanding = []
            for id in ids {
                if let reason = state.early[id] {
                    state.answers[id] = reason
                } else {
                    state.outstanding.insert(id)
                }
            }
            state.early.removeAll(keepingCapacity: true)
            state.batch += 1
            return state.batch
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let done = self.state.withLock { state in
                        if state.outstanding.isEmpty || state.expiredBatch >= batch { return true }
                        state.waiter = continuation
                        return false
                    }
                    if done { continuation.resume() }
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                self.expire(batch)
            }
            await group.next()
            self.expire(batch)
            group.cancelAll()
        }
        return state.withLock { state in
            let answers = state.answers
            state.outstanding.removeAll()
            state.answers.removeAll()
            return answers
        }
    }

    private func expire(_ batch: UInt64) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.expiredBatch = max(state.expiredBatch, batch)
            let waiter = state.waiter
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }
}
