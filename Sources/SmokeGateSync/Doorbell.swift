import Synchronization

/// Wakes one waiting task early: the scheduler when an incident opens, the dispatcher when a
/// notification is written, a publisher when the broker has answered its batch. A ring while
/// nobody waits is kept for the next wait, so no wake-up is ever lost.
///
/// The project's one way of waiting for "a signal or a timeout, whichever comes first"
/// (a continuation raced against a sleep, which is easy to get subtly wrong twice).
public final class Doorbell: Sendable {
    private struct State {
        var rung = false
        var waiter: (id: UInt64, continuation: CheckedContinuation<Void, Never>)?
        var lastWaitID: UInt64 = 0
        /// Waits with an id up to this one are over (timed out or cancelled).
        var releasedUpTo: UInt64 = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Wakes the waiter, or the next one to wait if none is waiting now.
    public func ring() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.rung = true
                return nil
            }
            state.waiter = nil
            return waiter.continuation
        }
        waiter?.resume()
    }

    /// Returns when rung (a ring since the last wait counts), once `timeout` has passed (nil:
    /// no limit), or when the task is cancelled.
    public func wait(timeout: Duration?) async {
        let id = state.withLock { state in
            state.lastWaitID += 1
            return state.lastWaitID
        }
        // The waiting task itself waits for the ring, so a ring resumes it directly: one hop
        // through the executor, not two (a child's, then the group's). The timeout is a timer
        // task that releases this wait; it is cancelled as soon as the wait is over and is not
        // waited for, as a task group would wait for it.
        let timer = timeout.map { timeout in
            Task {
                try? await Task.sleep(for: timeout)
                self.release(id)
            }
        }
        await waitForRing(id)
        timer?.cancel()
        release(id)
    }

    private func waitForRing(_ id: UInt64) async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state in
                    if state.rung || state.releasedUpTo >= id {
                        state.rung = false
                        return true
                    }
                    state.waiter = (id, continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            release(id)
        }
    }

    private func release(_ id: UInt64) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.releasedUpTo = max(state.releasedUpTo, id)
            guard let waiter = state.waiter, waiter.id <= id else { return nil }
            state.waiter = nil
            return waiter.continuation
        }
        waiter?.resume()
    }
}
