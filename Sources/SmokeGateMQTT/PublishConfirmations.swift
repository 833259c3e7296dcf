import SmokeGateSync
import Synchronization

/// Matches the broker's PUBACKs to QoS 1 publications, so that a caller can wait until the
/// broker has answered every message it handed over, and learn each answer: its reason code
/// (0 in MQTT 3.1.1; 0x80 and above a refusal in MQTT 5) and when it came, or none in time.
/// Messages may be handed from any thread, before their waiter asks (a fire's first call
/// leaves from the ingest thread), so an answer is kept until it is taken.
final class PublishConfirmations: Sendable {
    /// The broker's answer to one message: its PUBACK reason code, and when it arrived.
    struct Answer: Sendable {
        var reason: Int32
        var at: ContinuousClock.Instant
    }

    private struct State {
        /// Answers not yet taken, by message id. Bounded: ids are 16-bit, and an id that
        /// comes back replaces the answer to its earlier use.
        var answers: [Int32: Answer] = [:]
        /// Ids the waiter still needs an answer for.
        var outstanding: Set<Int32> = []
    }

    private let state = Mutex(State())
    /// Rung when the waiter's last outstanding id is answered.
    private let answered = Doorbell()

    /// Called from the network thread when the broker answers `messageID` with `reason`.
    func confirm(_ messageID: Int32, reason: Int32) {
        let answer = Answer(reason: reason, at: .now)
        let complete = state.withLock { state -> Bool in
            state.answers[messageID] = answer
            return state.outstanding.remove(messageID) != nil && state.outstanding.isEmpty
        }
        if complete { answered.ring() }
    }

    /// Waits until every id in `ids` is answered or `timeout` has passed; returns the answer
    /// to each id answered (an id missing from the result had no answer in time). An answer
    /// that came before an id's `notBefore` (the instant before its message was handed) is to
    /// an earlier message with the same id, and does not count. One waiter at a time.
    func wait(for ids: [(id: Int32, notBefore: ContinuousClock.Instant)], timeout: Duration) async -> [Int32: Answer] {
        let notBefore = Dictionary(ids.map { ($0.id, $0.notBefore) }, uniquingKeysWith: max)
        state.withLock { state in
            state.outstanding = Set(
                notBefore.compactMap { id, since in state.answers[id].map { $0.at >= since } == true ? nil : id })
        }
        // A ring left over from an earlier wait only makes the loop look again.
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while !state.withLock({ $0.outstanding.isEmpty }), !Task.isCancelled {
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else { break }
            await answered.wait(timeout: left)
        }
        return state.withLock { state in
            state.outstanding.removeAll()
            var taken: [Int32: Answer] = [:]
            for (id, since) in notBefore {
                guard let answer = state.answers[id], answer.at >= since else { continue }
                taken[id] = answer
                state.answers[id] = nil
            }
            return taken
        }
    }
}
