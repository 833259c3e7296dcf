import Foundation
import GRDB
import SmokeGateCore

/// Which of a group's stamped first events were stored already, read for the whole group in
/// one statement (`redeliveryQuery` is the same read for one message). On PostgreSQL each
/// statement is a turn of the server, and a burst from a platform is all stamped: one read
/// per message was most of a group's statements.
struct StoredStamps {
    /// A stamped event's identity, as the event table's `event_by_identity` index orders it.
    private struct Identity: Hashable {
        let device: String
        let kind: String
        let key: String
    }

    /// The latest time each identity asked about was stored (Unix seconds, as stored).
    private var latest: [Identity: Double] = [:]

    /// The read for `firsts` (nil for none). Each identity is joined to the event table through
    /// its index; the window of each event is applied to the answer (`holds`), so that no time
    /// condition lures a planner to the time index, and one statement text serves every group
    /// of a size (the list is padded, `PaddedList`).
    static func query(_ firsts: [IncomingEvent]) -> (sql: String, arguments: SQLArguments)? {
        guard let last = firsts.last else { return nil }
        let size = PaddedList.paddedCount(firsts.count)
        var arguments: SQLArguments = []
        for incoming in firsts + Array(repeating: last, count: size - firsts.count) {
            arguments += [incoming.event.deviceID, incoming.event.kind.rawValue, incoming.event.identity.key]
        }
        let identities = Array(repeating: "(?, ?, ?)", count: size).joined(separator: ", ")
        return (
            """
            SELECT event.device_id, event.kind, event.dedupe_key, event.received_at
            FROM (VALUES \(identities)) AS stamp
            JOIN event ON event.device_id = stamp.column1 AND event.kind = stamp.column2 AND event.dedupe_key = stamp.column3
            """,
            arguments
        )
    }

    /// `query`'s answer.
    init(_ rows: [Row]) {
        for row in rows {
            let identity = Identity(device: row["device_id"], kind: row["kind"], key: row["dedupe_key"])
            latest[identity] = max(latest[identity] ?? -.infinity, row["received_at"] as Double)
        }
    }

    /// Whether `first` (one of the events asked about) was stored within `Store.stampedWindow`
    /// before it came: what `redeliveryQuery` answers for it alone.
    func holds(_ first: IncomingEvent) -> Bool {
        let identity = Identity(device: first.event.deviceID, kind: first.event.kind.rawValue, key: first.event.identity.key)
        guard let stored = latest[identity] else { return false }
        return stored >= first.receivedAt.addingTimeInterval(-Store.stampedWindow).epoch
    }
}
