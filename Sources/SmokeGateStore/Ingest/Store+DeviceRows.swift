import Foundation
import GRDB
import SmokeGateCore

/// What a durably committed message leaves in its detector's row: the state it carries (last
/// seen, battery, signal, condition) and the last event it stored.
///
/// A message's row used to be written twice, once with each event and once with its state; on
/// PostgreSQL every statement is a round trip through the server. It is now written once, and
/// a group's rows together at the group's end (`writeDeviceRows`): nothing in the group reads
/// a detector's row but a later message of the same detector, and the group writes the rows
/// before such a message.
struct DeviceRowWrite {
    var state: DeviceLiveState
    /// When the first event stored was received: the row's `first_seen_at` if it is new.
    var firstSeenAt: Double?
    var lastEvent: (kind: String, at: Double, key: String)?
    var lastTestAt: Double?

    init(state: DeviceLiveState) { self.state = state }

    /// An event of this detector, stored.
    mutating func record(_ incoming: IncomingEvent) {
        let at = incoming.receivedAt.epoch
        firstSeenAt = firstSeenAt ?? at
        lastEvent = (incoming.event.kind.rawValue, at, incoming.event.identity.key)
        if incoming.event.kind == .test { lastTestAt = at }
    }
}

extension Store {
    /// Writes `rows`, each a different detector, in statements of up to `upsertRows` rows. A
    /// value a message did not bring (no event stored, no test) leaves the stored one.
    func writeDeviceRows(_ rows: [DeviceRowWrite], _ db: any SQLConnection) throws {
        var start = rows.startIndex
        while start < rows.endIndex {
            let end = min(start + Self.upsertRows, rows.endIndex)
            let chunk = rows[start..<end]
            let values = Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", count: chunk.count).joined(separator: ", ")
            var arguments: SQLArguments = []
            arguments.reserveCapacity(chunk.count * 11)
            for row in chunk {
                let state = row.state
                arguments += [
                    state.deviceID, state.format.rawValue, row.firstSeenAt ?? state.lastSeenAt.storedEpoch,
                    state.lastSeenAt.storedEpoch, state.reading.battery, state.reading.signal, state.condition.rawValue,
                    row.lastEvent?.kind, row.lastEvent?.at, row.lastEvent?.key, row.lastTestAt,
                ]
            }
            let sql = """
                INSERT INTO device (id, format, first_seen_at, last_seen_at, battery, signal, condition, last_event,
                                    last_event_at, last_event_key, last_test_at)
                VALUES \(values)
                ON CONFLICT(id) DO UPDATE SET \(Self.stateUpdates),
                  condition = excluded.condition,
                  last_event = coalesce(excluded.last_event, device.last_event),
                  last_event_at = coalesce(excluded.last_event_at, device.last_event_at),
                  last_event_key = coalesce(excluded.last_event_key, device.last_event_key),
                  last_test_at = coalesce(excluded.last_test_at, device.last_test_at)
                """
            // One row recurs (a message alone) and is kept prepared; a group's rows vary.
            try db.execute(sql, arguments, cached: chunk.count == 1)
            start = end
        }
    }

    /// The last event of a detector other than its message's own (a bridge reporting for
    /// another), written with it.
    func writeLastEvent(of incoming: IncomingEvent, _ db: any SQLConnection) throws {
        let event = incoming.event
        try db.cachedStatement(
            sql: """
                INSERT INTO device (id, format, first_seen_at, last_event, last_event_at, last_event_key)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET last_event = excluded.last_event, last_event_at = excluded.last_event_at,
                  last_event_key = excluded.last_event_key
                """
        ).execute(arguments: [
            event.deviceID, event.format.rawValue, incoming.receivedAt.epoch, event.kind.rawValue,
            incoming.receivedAt.epoch, event.identity.key,
        ])
        if event.kind == .test {
            try db.cachedStatement(sql: "UPDATE device SET last_test_at = ? WHERE id = ?").execute(arguments: [
                incoming.receivedAt.epoch, event.deviceID,
            ])
        }
    }
}
