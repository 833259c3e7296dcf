import Synchronization

/// The ingest side's stage instants of alarms whose calls wait in the outbox, by outbox id,
/// until the dispatcher takes them at the call's PUBACK. Bounded: calls another gateway
/// sends (a standby's) or that wait long are dropped from here, never from the outbox.
final class AlarmTraces: Sendable {
    private let pending = Mutex<[Int64: AlarmStages]>([:])
    /// More pending than this and the oldest half is forgotten: the timings are a sample.
    static let limit = 4_096

    /// An alarm was committed and wrote `calls`.
    func ingested(_ stages: AlarmStages, calls: [Int64]) {
        guard !calls.isEmpty else { return }
        pending.withLock { pending in
            if pending.count + calls.count > Self.limit, pending.count > Self.limit / 2 {
                // Outbox ids grow: the newest half are the calls most likely still to be sent.
                let ids = pending.keys.sorted()
                let oldestKept = ids[ids.count - Self.limit / 2]
                pending = pending.filter { $0.key >= oldestKept }
            }
            for call in calls { pending[call] = stages }
        }
    }

    /// How many calls are traced now.
    var count: Int { pending.withLock { $0.count } }

    /// The stages of call `id`'s alarm, if it is traced; forgets them.
    func take(_ id: Int64) -> AlarmStages? {
        pending.withLock { $0.removeValue(forKey: id) }
    }
}
