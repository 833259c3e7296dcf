import Foundation
import GRDB
import GRDBSQLite
import SmokeGateCore

extension Store {
    /// How long a redelivery is recognised by the sender's own stamp (a platform's message
    /// time, which names one message and nothing else).
    public static let stampedWindow: TimeInterval = 30 * 86_400

    /// Stores `events` and the device state they leave in one durable transaction, skipping
    /// what is certainly a redelivery of an event already stored. Each new event is applied to
    /// incidents by `desk` in the same transaction, calls included (see `perform`), so that a
    /// call is never stored without its cause nor an alarm without its call. `desk` is nil only
    /// where events are recorded and nothing more (tests of deduplication and of the ledger);
    /// the daemon always passes its desk, and the argument has no default so that no caller
    /// turns incidents off by leaving it out.
    ///
    /// When in doubt, an event is new (field rule 4): storing a redelivered alarm twice costs
    /// a line, dropping a new one costs a building. So an event is a redelivery only when
    /// - its sender stamped it with an id of its own (a platform's message time) already stored
    ///   within `stampedWindow`, or
    /// - it may be a redelivery at all (`IncomingEvent.mayBeRedelivery`: QoS 1, in the first
    ///   moments of a new broker session, the only time a broker redelivers) and it repeats,
    ///   byte for byte, the message of the last event stored for its detector.
    /// A detector whose counter restarted, or that sends the same bytes after a clear, is heard.
    ///
    /// In a cluster (`node` set) each event is marked with the node that stored it, and a
    /// node's copy of an event another node already stored is not stored again (see
    /// `isEchoOfAnotherNode`).
    @discardableResult
    public func commit(_ events: [IncomingEvent], state: DeviceLiveState, desk: IncidentDesk?) throws -> CommittedEvents {
        try commit([(events, state)], desk: desk)[0]
    }

    /// `commit(_:state:desk:)` for several messages in one durable transaction, in order: a
    /// burst pays for one COMMIT (and its fsync) instead of one per alarm. Each message is
    /// handled exactly as alone; the caller puts at most one message of a detector in a group,
    /// since each carries the device state it leaves, read from memory before the group.
    /// All or nothing: on an error, none is stored.
    public func commit(_ messages: [(events: [IncomingEvent], state: DeviceLiveState)], desk: IncidentDesk?) throws
        -> [CommittedEvents]
    {
        guard !messages.isEmpty else { return [] }
        return try durableWrite { db in
            let began = ContinuousClock.now
            var results: [(stored: [Bool], effects: IncidentEffects)] = []
            results.reserveCapacity(messages.count)
            // The detectors' rows are written together at the group's end (`DeviceRowWrite`):
            // before then, only a later message of the same detector would read one.
            var rows: [DeviceRowWrite] = []
            // A group's reads go first, together; each is used unless an earlier message of the
            // group wrote what it read (`TouchedIncidents`).
            let touched = TouchedIncidents()
            let prefetched =
                messages.count > 1
                ? try groupMessageReads(messages, desk: desk, db) : Array(repeating: nil, count: messages.count)
            for (message, prefetched) in zip(messages, prefetched) {
                if rows.contains(where: { $0.state.deviceID == message.state.deviceID }) {
                    try writeDeviceRows(rows, db)
                    rows.removeAll()
                }
                let reads = try reads(for: message, desk: desk, prefetched: prefetched, touched: touched, db)
                let written = try write(message.events, state: message.state, desk: desk, reads: reads, touched: touched, db)
                results.append((written.stored, written.effects))
                rows.append(written.device)
            }
            try writeDeviceRows(rows, db)
            let written = ContinuousClock.now
            return results.map { CommittedEvents(stored: $0.stored, effects: $0.effects, began: began, written: written) }
        }
    }

    /// One message's events and state, inside the caller's transaction. `reads`: what it reads
    /// before it writes (`MessageReads`, nil only without events), made together: nothing this
    /// message writes before the rules run (its event, its device) is among what they read.
    private func write(
        _ events: [IncomingEvent], state: DeviceLiveState, desk: IncidentDesk?, reads: MessageReads?,
        touched: TouchedIncidents, _ db: any SQLConnection
    ) throws -> (stored: [Bool], effects: IncidentEffects, device: DeviceRowWrite) {
        defer { touched.record(device: state.deviceID) }
        var stored: [Bool] = []
        var effects = IncidentEffects()
        var device = DeviceRowWrite(state: state)
        var condition = reads?.condition ?? []
        let firstIsRedelivery = reads?.firstIsRedelivery ?? false
        // The events of one message share its identity: a message the broker resent is dropped
        // whole; an event its sender stamped is known by its own stamp.
        let resent = firstIsRedelivery && events.first?.event.identity.isStamped == false
        for (index, incoming) in events.enumerated() {
            let event = incoming.event
            let redelivered = try resent || (index == 0 ? firstIsRedelivery : isRedelivery(incoming, db))
            // In a cluster, another node may have stored this very message (Store+ClusterIngest).
            let echo = try node.map { try isEchoOfAnotherNode(incoming, node: $0, redelivered: redelivered, db) } ?? false
            guard !redelivered && !echo else {
                stored.append(false)
                continue
            }
            try db.insertLater(
                into: "event", columns: Self.eventColumns,
                rows: [
                    [
                        event.deviceID, event.kind.rawValue, event.format.rawValue, incoming.topic, event.occurredAt?.epoch,
                        incoming.receivedAt.epoch, event.sequence, event.identity.key, event.reading.battery,
                        event.reading.signal, event.reading.smoke, event.reading.temperature, incoming.payload,
                        event.notes.isEmpty ? nil : event.notes.joined(separator: "; "), node,
                    ]
                ], suffix: "")
            if event.deviceID == state.deviceID {
                device.record(incoming)
            } else {
                try writeLastEvent(of: incoming, db)
            }
            if let desk {
                effects.merge(
                    try applyIncidentRules(
                        to: event, at: incoming.receivedAt, before: condition, desk: desk,
                        reads: index == 0 ? reads?.rules : nil, touched: touched, db))
            }
            condition = condition.applying(event.kind)
            stored.append(true)
        }
        return (stored, effects, device)
    }

    /// The columns an event's row is inserted with, in the order `write` gives their values.
    static let eventColumns = """
        device_id, kind, format, topic, occurred_at, received_at, seq, dedupe_key, battery, signal, smoke, temperature,
        payload, notes, node
        """

    /// Whether `incoming`, an event after its message's first, repeats a stamp its sender put on
    /// an event already stored (`redeliveryQuery`).
    private func isRedelivery(_ incoming: IncomingEvent, _ db: any SQLConnection) throws -> Bool {
        guard incoming.event.identity.isStamped, let query = Self.redeliveryQuery(of: incoming) else { return false }
        return Self.isRedelivery(try db.fetchRows(query.sql, query.arguments, cached: true), of: incoming)
    }

    /// Device states written per transaction by `flush`: about a millisecond and a half of
    /// writing, so an alarm's commit never waits long behind a flush for SQLite's one writer.
    public static let flushChunk = 300

    /// Writes heartbeat-updated device states, in short transactions of `flushChunk` states.
    public func flush(_ states: [DeviceLiveState]) throws {
        var start = states.startIndex
        while start < states.endIndex {
            let end = min(start + Self.flushChunk, states.endIndex)
            try write { db in try upsert(Array(states[start..<end]), db) }
            start = end
        }
    }

    /// Device states written by one statement: a flush of 300 states is three statements, not
    /// 300. On PostgreSQL each statement is a round trip, and a flush holds the write lock an
    /// alarm waits for (at 10,000 heartbeats a second, 40 ms a transaction one row at a time).
    static let upsertRows = 100

    /// Writes heartbeat-updated device states, never their condition: a heartbeat batch was read
    /// from memory before it is written, and an event committed in between may have changed the
    /// condition since; the batch must not put the older one back. A durable commit writes the
    /// condition with its events (`writeDeviceRows`).
    private func upsert(_ states: [DeviceLiveState], _ db: any SQLConnection) throws {
        var start = states.startIndex
        while start < states.endIndex {
            let end = min(start + Self.upsertRows, states.endIndex)
            let rows = states[start..<end]
            if Set(rows.map(\.deviceID)).count == rows.count {
                try upsertRows(rows, db)
            } else {
                // One statement cannot update a row twice: a detector listed twice goes row by row.
                for state in rows { try upsertRows([state], db) }
            }
            start = end
        }
    }

    /// What a known detector's row takes from a state written over it: its format, the later
    /// last-seen time, and the battery and signal it reported, if it did.
    static let stateUpdates = """
        format = excluded.format,
          last_seen_at = CASE WHEN excluded.last_seen_at IS NULL THEN device.last_seen_at
            ELSE max(coalesce(device.last_seen_at, excluded.last_seen_at), excluded.last_seen_at) END,
          battery = coalesce(excluded.battery, device.battery),
          signal = coalesce(excluded.signal, device.signal)
        """

    /// One multi-row `INSERT … ON CONFLICT` for `rows`, each a different detector.
    private func upsertRows(_ rows: ArraySlice<DeviceLiveState>, _ db: any SQLConnection) throws {
        let values = Array(repeating: "(?, ?, ?, ?, ?, ?, ?)", count: rows.count).joined(separator: ", ")
        let sql = """
            INSERT INTO device (id, format, first_seen_at, last_seen_at, battery, signal, condition)
            VALUES \(values)
            ON CONFLICT(id) DO UPDATE SET \(Self.stateUpdates)
            """
        var arguments: SQLArguments = []
        arguments.reserveCapacity(rows.count * 7)
        for state in rows {
            arguments += [
                state.deviceID, state.format.rawValue, state.lastSeenAt.storedEpoch, state.lastSeenAt.storedEpoch,
                state.reading.battery, state.reading.signal, state.condition.rawValue,
            ]
        }
        // Two shapes recur (one row, a full statement) and are kept prepared; a remainder is not.
        try db.execute(sql, arguments, cached: rows.count == 1 || rows.count == Self.upsertRows)
    }

    /// Keeps rejected messages, then prunes the oldest beyond `keep`.
    public func record(_ rejections: [RejectedMessage], keep: Int = 10_000) throws {
        guard !rejections.isEmpty else { return }
        try write { db in
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
            try db.cachedStatement(
                sql: "DELETE FROM rejected_message WHERE id <= (SELECT max(id) FROM rejected_message) - ?"
            ).execute(arguments: [keep])
        }
    }
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
