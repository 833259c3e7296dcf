import Foundation
import Synchronization

/// The calls the broker is refusing (field rule 8: a refusal is not a delivery): each call
/// whose last attempt was refused is held here until the broker takes it, so that `/healthz`,
/// `/metrics`, `smokegate status` and the journal can say so while it lasts, and the journal
/// hears of it once, then once a minute with counts, not once per call and retry.
final class DispatchRefusals: Sendable {
    /// What the status row and `/healthz` show.
    struct Snapshot: Sendable, Equatable {
        /// Calls whose last attempt was refused: above zero while the broker refuses calls.
        var held: Int
        /// Refused attempts since the daemon started.
        var total: Int
        /// The latest refusal: `refused by the broker: not authorized (0x87) on smokegate/notify/grid/g1`.
        var latest: String?

        var isRefusing: Bool { held > 0 }

        /// One line for an operator while calls are refused; nil otherwise.
        var summary: String? {
            guard isRefusing, let latest else { return nil }
            return "\(latest); \(held) call\(held == 1 ? "" : "s") held in the outbox and retried"
        }
    }

    /// What the journal is to be told after a batch.
    enum Journal: Equatable {
        /// Nothing new.
        case quiet
        /// The broker has begun refusing calls.
        case began
        /// The broker still refuses calls: `refused` attempts since the last line.
        case still(refused: Int)
        /// The broker took every call it had refused.
        case ended
    }

    private struct State {
        var held: [Int64: String] = [:]
        var total = 0
        var latest: String?
        var lastLine = ContinuousClock.now
        var sinceLastLine = 0
    }

    /// The shortest time between two journal lines about the same refusal.
    static let reminderInterval: Duration = .seconds(60)

    private let state = Mutex(State())

    /// Records a batch: the calls refused (outbox id and why) and those the broker took, at
    /// `now` on the monotonic clock.
    func record(
        refused: [(id: Int64, reason: String)], delivered: [Int64], now: ContinuousClock.Instant = .now
    ) -> Journal {
        state.withLock { state in
            let wasRefusing = !state.held.isEmpty
            for id in delivered { state.held[id] = nil }
            for call in refused {
                state.held[call.id] = call.reason
                state.latest = call.reason
            }
            state.total += refused.count
            state.sinceLastLine += refused.count
            switch (wasRefusing, !state.held.isEmpty) {
            case (false, true):
                state.lastLine = now
                state.sinceLastLine = 0
                return .began
            case (true, false):
                return .ended
            case (true, true) where !refused.isEmpty && now - state.lastLine >= Self.reminderInterval:
                defer {
                    state.lastLine = now
                    state.sinceLastLine = 0
                }
                return .still(refused: state.sinceLastLine)
            default:
                return .quiet
            }
        }
    }

    /// The outbox has nothing left to send: no call is held, whatever happened to them.
    func outboxEmpty() -> Journal {
        state.withLock { state in
            guard !state.held.isEmpty else { return .quiet }
            state.held.removeAll()
            return .ended
        }
    }

    var snapshot: Snapshot {
        state.withLock { Snapshot(held: $0.held.count, total: $0.total, latest: $0.latest) }
    }
}
