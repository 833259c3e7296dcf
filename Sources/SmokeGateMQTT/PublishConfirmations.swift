import Synchronization

/// Matches the broker's PUBACKs to a batch of QoS 1 publications, so that a caller can
/// wait until the broker has every message of the batch, or learn which it has not.
final class PublishConfirmations: Sendable {
    private struct State {
        /// Acknowledged message ids nobody waits for yet (the PUBACK beat the wait).
        var early: Set<Int32> = []
        /// Ids of the batch being waited for that the broker has not acknowledged.
        var outstanding: Set<Int32> = []
        var waiter: CheckedContinuation<Void, Never>?
        var batch: UInt64 = 0
        var expiredBatch: UInt64 = 0
    }

    private let state = Mutex(State())

    /// Called from the network thread when the broker acknowledges `messageID`.
    func confirm(_ messageID: Int32) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard state.outstanding.remove(messageID) != nil else {
                // Bounded: ids are 16-bit, and each batch starts by clearing this.
                state.early.insert(messageID)
                return nil
            }
            guard state.outstanding.isEmpty, let waiter = state.waiter else { return nil }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Forgets acknowledgements of earlier batches; call before publishing a new batch.
    func beginBatch() {
        state.withLock { state in
            state.early.removeAll(keepingCapacity: true)
            state.outstanding.removeAll(keepingCapacity: true)
        }
    }

    /// Waits until every id in `ids` is acknowledged or `timeout` has passed; returns the
    /// ids still unacknowledged.
    func wait(for ids: [Int32], timeout: Duration) async -> Set<Int32> {
        let batch = state.withLock { state in
            state.outstanding = Set(ids).subtracting(state.early)
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
            let left = state.outstanding
            state.outstanding.removeAll()
            return left
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
