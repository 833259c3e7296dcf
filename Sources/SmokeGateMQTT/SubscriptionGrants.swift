import Synchronization

/// Which of the session's subscriptions the broker has granted as asked: the session counts
/// as connected only when none waits for its SUBACK and none was refused or downgraded. A
/// refusal is remembered across reconnections until the broker grants the filter.
final class SubscriptionGrants: Sendable {
    private struct State {
        /// SUBSCRIBE message ids waiting for their SUBACK, and the filter each asked for.
        var pending: [Int32: String] = [:]
        var refused: [String: SubscriptionRefusal] = [:]
        /// How many times in a row each refused filter got the same answer.
        var repeats: [String: Int] = [:]
        /// When the refused filters were last asked for again.
        var lastAsked = ContinuousClock.now
    }

    /// What a SUBACK changed.
    enum Answer: Equatable {
        /// Granted as asked; `wasRefused` when it had been refused until now.
        case granted(filter: String, wasRefused: Bool)
        /// Refused or downgraded; `repeats` counts the same answer given before in a row (0: news).
        case refused(SubscriptionRefusal, repeats: Int)
        /// Not a SUBSCRIBE this session is waiting for.
        case unknown
    }

    private let state = Mutex(State())

    /// A new session: what was waiting for a SUBACK will never have one.
    func beginSession() {
        state.withLock { state in
            state.pending.removeAll()
            state.lastAsked = .now
        }
    }

    /// `filter` was asked for in the SUBSCRIBE with `messageID`.
    func asked(_ filter: String, messageID: Int32) {
        state.withLock { state in state.pending[messageID] = filter }
    }

    /// The broker answered the SUBSCRIBE `messageID` with `granted`, having been asked for `asked`.
    func answered(_ messageID: Int32, granted: Int32, asked: Int32) -> Answer {
        state.withLock { state in
            guard let filter = state.pending.removeValue(forKey: messageID) else { return .unknown }
            guard granted >= MQTTReason.firstRefusal || granted < asked else {
                state.repeats[filter] = nil
                return .granted(filter: filter, wasRefused: state.refused.removeValue(forKey: filter) != nil)
            }
            let refusal = SubscriptionRefusal(filter: filter, asked: asked, granted: granted)
            let repeats = state.refused[filter] == refusal ? state.repeats[filter, default: 0] + 1 : 0
            state.refused[filter] = refusal
            state.repeats[filter] = repeats
            return .refused(refusal, repeats: repeats)
        }
    }

    /// Whether every subscription has its SUBACK and every one was granted as asked.
    var allGranted: Bool { state.withLock { $0.pending.isEmpty && $0.refused.isEmpty } }

    /// Whether no SUBACK is awaited.
    var settled: Bool { state.withLock { $0.pending.isEmpty } }

    /// The subscriptions refused or downgraded, by filter.
    var refusals: [SubscriptionRefusal] { state.withLock { $0.refused.values.sorted { $0.filter < $1.filter } } }

    /// The refused filters to ask for again, once `interval` has passed since they were last
    /// asked and no SUBACK is awaited; empty otherwise.
    func due(every interval: Duration) -> [String] {
        state.withLock { state in
            guard !state.refused.isEmpty, state.pending.isEmpty, ContinuousClock.now - state.lastAsked >= interval else {
                return []
            }
            state.lastAsked = .now
            return state.refused.keys.sorted()
        }
    }
}
