import SmokeGateCore
import SmokeGateMQTT
import SmokeGateStore
import Synchronization

/// A new fire's first calls, published by the thread that committed the fire the moment its
/// commit returns, rather than when the dispatcher next wakes and reads the outbox: the grid
/// worker's call is the one that races the fire. The call is stored before it leaves, as
/// every call is; the dispatcher takes the broker's answers (`collect`) and records them as
/// it records its own batches, so a call that is not confirmed stays in the outbox and is
/// retried under its notification id.
///
/// Each outbox row is published by one side only: the dispatcher claims the rows it read
/// (`claim`) and this skips them; a row published here is claimed until its outcome is
/// recorded (`release`), and the dispatcher's reads skip it.
///
/// Only a gateway on its own publishes here. In a cluster, a call may leave only after the
/// lease is confirmed on the database (the fencing token), which the dispatcher asks before
/// every batch.
final class ExpressCalls: Sendable {
    private struct State {
        /// Outbox ids being published, by either side, whose outcome is not recorded yet.
        var claimed: Set<Int64> = []
        /// Calls published here, waiting for the dispatcher to take their answers.
        var handed: [(entry: OutboxEntry, publish: HandedPublish)] = []
    }

    private let state = Mutex(State())
    /// The dispatcher's connection, which the dispatcher owns: weak, so that ingest (which
    /// keeps this) does not keep the connection's libmosquitto handle and sockets alive after
    /// the dispatcher has stopped. Set once, in `init`; reading a weak reference is thread-safe.
    private nonisolated(unsafe) weak var link: DispatchLink?
    private let leadership: Leadership
    private let enabled: Bool

    init(link: DispatchLink, leadership: Leadership, enabled: Bool = true) {
        self.link = link
        self.leadership = leadership
        self.enabled = enabled
    }

    /// Publishes `calls`, just committed, unless the dispatcher has taken them already, the
    /// dispatch connection is down or this gateway is in a cluster; what is not published
    /// here waits in the outbox for the dispatcher, as before. Returns how many were handed
    /// to the broker connection. The caller rings the dispatcher afterwards.
    @discardableResult
    func publish(_ calls: [FirstFireCall]) -> Int {
        guard enabled, !calls.isEmpty, !leadership.isClustered, let link, link.connection.isConnected else { return 0 }
        return state.withLock { state in
            var count = 0
            for call in calls where state.claimed.insert(call.outboxID).inserted {
                let entry = OutboxEntry(
                    id: call.outboxID, notification: call.notification, topic: call.topic, payload: call.payload,
                    attempts: 0, tier: call.tier, action: call.action, createdAt: call.createdAt)
                // Under the lock, so that the dispatcher's `collect` never misses a claimed call.
                state.handed.append((entry, link.client.hand(topic: call.topic, payload: Array(call.payload.utf8))))
                count += 1
            }
            return count
        }
    }

    /// The calls published here since the last collect, for the dispatcher to await and record;
    /// they stay claimed until `release`.
    func collect() -> [(entry: OutboxEntry, publish: HandedPublish)] {
        state.withLock { state in
            defer { state.handed.removeAll(keepingCapacity: true) }
            return state.handed
        }
    }

    /// The dispatcher's batch without the rows published here, whose outcomes are not
    /// recorded yet; the rest are claimed for the dispatcher until `release`.
    func claim(_ batch: [OutboxEntry]) -> [OutboxEntry] {
        state.withLock { state in batch.filter { state.claimed.insert($0.id).inserted } }
    }

    /// The outcomes of `ids` are recorded: the outbox says what became of them.
    func release(_ ids: [Int64]) {
        state.withLock { state in
            for id in ids { state.claimed.remove(id) }
        }
    }
}
