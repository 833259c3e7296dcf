import Foundation
import GRDB
import SmokeGateCore

/// What a message's write reads before it writes anything: its first event's rule reads (or,
/// where the rules do not look at it, its detector's stored condition), and whether that event
/// was stored already. Sent together, with the ids the rules may need (`ReservedIDs`): on
/// PostgreSQL one round trip for a message, and one for a whole group made at its start
/// (`groupMessageReads`).
struct MessageReads {
    var rules: RuleReads?
    var condition: DeviceCondition
    /// Whether the first event repeats one stored already (see `Store.redeliveryQuery`).
    var firstIsRedelivery: Bool
}

/// The queries of one `MessageReads`, in the order they are sent.
struct MessageReadQueries {
    /// The first event, whose identity the redelivery read checks.
    var first: IncomingEvent
    /// The rules' reads, or, where the rules do not look, the stored condition's one query.
    var rules: RuleReadQueries?
    var condition: (sql: String, arguments: SQLArguments)?
    var redelivery: (sql: String, arguments: SQLArguments)?

    var all: [(sql: String, arguments: SQLArguments)] {
        (rules?.all ?? condition.map { [$0] } ?? []) + (redelivery.map { [$0] } ?? [])
    }

    /// The reads from `rows`, the answers to `all` in order.
    func reads(_ rows: ArraySlice<[Row]>) throws -> MessageReads {
        var next = rows.startIndex
        var reads = MessageReads(rules: nil, condition: [], firstIsRedelivery: false)
        if let rules {
            let count = rules.all.count
            let ruleReads = try Store.ruleReads(rows[next..<(next + count)], rules)
            reads.rules = ruleReads
            reads.condition = ruleReads.condition
            next += count
        } else if condition != nil {
            reads.condition = Store.storedCondition(rows[next])
            next += 1
        }
        if redelivery != nil { reads.firstIsRedelivery = Store.isRedelivery(rows[next], of: first) }
        return reads
    }
}

extension Store {
    /// The queries of a message's `MessageReads` (nil for a message without events).
    static func messageReadQueries(_ events: [IncomingEvent], state: DeviceLiveState, desk: IncidentDesk?)
        -> MessageReadQueries?
    {
        guard let first = events.first else { return nil }
        var queries = MessageReadQueries(first: first, redelivery: redeliveryQuery(of: first))
        if let desk, first.event.deviceID == state.deviceID, rulesApply(to: first.event.kind) {
            queries.rules = ruleReadQueries(at: desk.directory.site(of: first.event.deviceID), now: first.receivedAt)
        } else {
            queries.condition = storedConditionQuery(of: state.deviceID)
        }
        return queries
    }

    /// A message's reads, made now, with the draw of an id for the incident and the call its
    /// rules may write if none is taken ahead yet.
    func messageReads(_ queries: MessageReadQueries, _ db: any SQLConnection) throws -> MessageReads {
        let reads = queries.all
        let draws = queries.rules == nil ? [] : db.reservedIDs?.drawQueries(count: 1) ?? []
        let rows = try db.fetchRowsTogether(reads + draws.map(\.query))
        db.reservedIDs?.keep(rows[reads.count...], drawnBy: draws)
        return try queries.reads(rows[..<reads.count])
    }

    /// A message's reads: those made at its group's start unless an earlier message of the
    /// group wrote what they read, else made now.
    func reads(
        for message: (events: [IncomingEvent], state: DeviceLiveState), desk: IncidentDesk?,
        prefetched: (queries: MessageReadQueries, reads: MessageReads)?, touched: TouchedIncidents, _ db: any SQLConnection
    ) throws -> MessageReads? {
        guard let queries = prefetched?.queries ?? Self.messageReadQueries(message.events, state: message.state, desk: desk)
        else { return nil }
        if let reads = prefetched?.reads, !touched.wrote(device: message.state.deviceID) {
            guard let rules = reads.rules, let desk else { return reads }
            if !touched.staled(rules, at: desk.directory.site(of: queries.first.event.deviceID)) { return reads }
        }
        return try messageReads(queries, db)
    }

    /// The read that tells whether `first` was stored already (nil: it cannot be a redelivery):
    /// - a stamped event: its stamp among its detector's events of its kind, within
    ///   `stampedWindow` (a platform's message time names one message and nothing else);
    /// - a message the broker may be resending (`mayBeRedelivery`): its bytes as its
    ///   detector's last stored event's.
    static func redeliveryQuery(of first: IncomingEvent) -> (sql: String, arguments: SQLArguments)? {
        let event = first.event
        switch event.identity {
        case .stamped:
            return (
                "SELECT 1 FROM event WHERE device_id = ? AND kind = ? AND dedupe_key = ? AND received_at >= ? LIMIT 1",
                [
                    event.deviceID, event.kind.rawValue, event.identity.key,
                    first.receivedAt.addingTimeInterval(-stampedWindow).epoch,
                ]
            )
        case .payloadDigest:
            guard first.mayBeRedelivery else { return nil }
            return ("SELECT last_event_key FROM device WHERE id = ?", [event.deviceID])
        }
    }

    /// `redeliveryQuery`'s answer: whether `first` was stored already.
    static func isRedelivery(_ rows: [Row], of first: IncomingEvent) -> Bool {
        switch first.event.identity {
        case .stamped: !rows.isEmpty
        case .payloadDigest: (rows.first?["last_event_key"] as String?) == first.event.identity.key
        }
    }
}
