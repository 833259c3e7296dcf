import Foundation
import GRDB
import GRDBSQLite
import SmokeGateCore

extension Store {
    /// How long a redelivery is recognised by its detector's stamp, and by payload bytes
    /// alone: a message without a stamp that repeats after this is taken as new, because
    /// storing a repeated alarm twice is harmless and dropping a new one is not.
    public static let stampedWindow: TimeInterval = 30 * 86_400
    public static let digestWindow: TimeInterval = 10 * 60

    /// Stores `events` and the device state they leave in one durable transaction, skipping
    /// redeliveries of events already stored. With a `desk`, each new event is applied to
    /// incidents in the same transaction, calls included (see `perform`).
    @discardableResult
    public func commit(_ events: [IncomingEvent], state: DeviceLiveState, desk: IncidentDesk? = nil) throws -> CommittedEvents {
        try durableWrite { db in
            var stored: [Bool] = []
            var effects = IncidentEffects()
            for incoming in events {
                let event = incoming.event
                let window = event.identity.isStamped ? Self.stampedWindow : Self.digestWindow
                let seen =
                    try Bool.fetchOne(
                        db,
                        sql: """
                            SELECT 1 FROM event WHERE device_id = ? AND kind = ? AND dedupe_key = ? AND received_at >= ? LIMIT 1
                            """,
                        arguments: [
                            event.deviceID, event.kind.rawValue, event.identity.key,
                            incoming.receivedAt.addingTimeInterval(-window).epoch,
                        ]
                    ) ?? false
                if seen {
                    stored.append(false)
                    continue
                }
                try db.execute(
                    sql: """
                        INSERT INTO event (device_id, kind, format, topic, occurred_at, received_at, seq, dedupe_key,
                                           battery, signal, smoke, temperature, payload)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        event.deviceID, event.kind.rawValue, event.format.rawValue, incoming.topic, event.occurredAt?.epoch,
                        incoming.receivedAt.epoch, event.sequence, event.identity.key, event.reading.battery,
                        event.reading.signal, event.reading.smoke, event.reading.temperature, incoming.payload,
                    ])
                try db.execute(
                    sql: """
                        INSERT INTO device (id, format, first_seen_at, last_event, last_event_at) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT(id) DO UPDATE SET last_event = excluded.last_event, last_event_at = excluded.last_event_at
                        """,
                    arguments: [
                        event.deviceID, event.format.rawValue, incoming.receivedAt.epoch, event.kind.rawValue,
                        incoming.receivedAt.epoch,
                    ])
                if event.kind == .test {
                    try db.execute(
                        sql: "UPDATE device SET last_test_at = ? WHERE id = ?",
                        arguments: [incoming.receivedAt.epoch, event.deviceID])
                }
                if let desk { effects.merge(try applyIncidentRules(to: event, at: incoming.receivedAt, desk: desk, db)) }
                stored.append(true)
            }
            try upsert([state], db)
            return CommittedEvents(stored: stored, effects: effects)
        }
    }

    /// Device states written per transaction by `flush`: about a millisecond and a half of
    /// writing, so an alarm's commit never waits long behind a flush for SQLite's one writer.
    public static let flushChunk = 300

    /// Writes heartbeat-updated device states, in short transactions of `flushChunk` states.
    public func flush(_ states: [DeviceLiveState]) throws {
        var start = states.startIndex
        while start < states.endIndex {
            let end = min(start + Self.flushChunk, states.endIndex)
            try pool.write { db in try upsert(Array(states[start..<end]), db) }
            start = end
        }
    }

    private func upsert(_ states: [DeviceLiveState], _ db: Database) throws {
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO device (id, format, first_seen_at, last_seen_at, battery, signal, condition)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET
                  format = excluded.format,
                  last_seen_at = CASE WHEN excluded.last_seen_at IS NULL THEN device.last_seen_at
                    ELSE max(coalesce(device.last_seen_at, excluded.last_seen_at), excluded.last_seen_at) END,
                  battery = coalesce(excluded.battery, device.battery),
                  signal = coalesce(excluded.signal, device.signal),
                  condition = excluded.condition
                """)
        for state in states {
            try statement.execute(arguments: [
                state.deviceID, state.format.rawValue, state.lastSeenAt.storedEpoch, state.lastSeenAt.storedEpoch,
                state.reading.battery,
                state.reading.signal, state.condition.rawValue,
            ])
        }
    }

    /// Keeps rejected messages, then prunes the oldest beyond `keep`.
    public func record(_ rejections: [RejectedMessage], keep: Int = 10_000) throws {
        guard !rejections.isEmpty else { return }
        try pool.write { db in
            let statement = try db.cachedStatement(
                sql:
                    "INSERT INTO rejected_message (received_at, topic, format, reason, detail, payload) VALUES (?, ?, ?, ?, ?, ?)"
            )
            for rejected in rejections {
                try statement.execute(arguments: [
                    rejected.receivedAt.epoch, rejected.topic, rejected.format?.rawValue, rejected.rejection.reason.rawValue,
                    rejected.rejection.detail, Data(rejected.payload),
                ])
            }
            try db.execute(
                sql: "DELETE FROM rejected_message WHERE id <= (SELECT max(id) FROM rejected_message) - ?", arguments: [keep])
        }
    }
}

/// What one durable commit did.
public struct CommittedEvents: Sendable, Equatable {
    /// Per event, whether it was new (false: a redelivery already stored).
    public var stored: [Bool]
    /// What the new events did to incidents.
    public var effects: IncidentEffects
}

extension EventIdentity {
    var isStamped: Bool {
        if case .stamped = self { return true }
        return false
    }
}

extension Date {
    /// Times are stored as Unix seconds (REAL): cheap to write on the batch path, exact to
    /// the microsecond, ordered, and read back as `Date` by GRDB.
    var epoch: Double { timeIntervalSince1970 }

    /// `epoch`, or nil (NULL) for `distantPast`, which stands for "never".
    var storedEpoch: Double? { self == .distantPast ? nil : epoch }
}
