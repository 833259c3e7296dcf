import Foundation
import GRDB
import SmokeGateCore

/// How an incident is laid out in its table.
enum IncidentRow {
    static let columns = """
        id, kind, state, device_id, address, venue, venue_type, venue_key, grid, community, street, opened_at, ladder,
        called, tier, next_deadline_at, acked_by, acked_at, resolved_by, resolved_at, cause, silenced_by, ladder_origin_at,
        silence_id, (SELECT group_concat(device_id, char(31)) FROM incident_detector WHERE incident_id = incident.id) AS members
        """

    static func decode(_ row: Row) throws -> Incident {
        let id: Int64 = row["id"]
        guard let kind = IncidentKind(rawValue: row["kind"]), let state = IncidentState(rawValue: row["state"]),
            let ladder = decodeLadder(row["ladder"], kind: kind)
        else {
            throw StoreError("incident \(id) has a kind, state or ladder this version cannot read")
        }
        let calledBits: Int = row["called"]
        let device: String = row["device_id"]
        let others = ((row["members"] as String?) ?? "").split(separator: "\u{1F}").map(String.init).filter { $0 != device }
        let label: String? = row["silenced_by"]
        return Incident(
            id: id, kind: kind, state: state,
            site: IncidentSite(
                deviceID: device, address: row["address"], venue: row["venue"], venueType: row["venue_type"],
                gridID: row["grid"], communityID: row["community"], streetID: row["street"]),
            members: [device] + others.sorted(), openedAt: row["opened_at"], ladderOrigin: row["ladder_origin_at"],
            ladder: ladder, called: Set(Tier.allCases.enumerated().filter { calledBits & (1 << $0.offset) != 0 }.map(\.element)),
            nextDeadline: row["next_deadline_at"], ackedBy: row["acked_by"], ackedAt: row["acked_at"],
            resolvedBy: row["resolved_by"], resolvedAt: row["resolved_at"], cause: row["cause"],
            silence: label.map { CoveringSilence(silenceID: row["silence_id"] ?? 0, label: $0) })
    }

    /// Inserts a new incident and its detectors, and returns its id (taken ahead on PostgreSQL
    /// where the transaction has one, see `ReservedIDs`).
    static func insert(_ incident: Incident, _ db: any SQLConnection) throws -> Int64 {
        let id = try db.insertReturningID(
            into: .incident,
            columns: """
                kind, device_id, address, venue, venue_type, venue_key, grid, community, street, opened_at, state, called,
                tier, next_deadline_at, acked_by, acked_at, resolved_by, resolved_at, cause, ladder, ladder_origin_at,
                silenced_by, silence_id
                """,
            SQLArguments(
                [incident.kind.rawValue] + siteValues(incident.site) + [incident.openedAt.epoch] + mutableValues(incident)))
        try addMembers(incident.members, to: id, db)
        return id
    }

    /// Writes back what the state machine may change, and any detector that joined.
    static func update(_ incident: Incident, _ db: any SQLConnection) throws {
        try db.cachedStatement(
            sql: """
                UPDATE incident SET state = ?, called = ?, tier = ?, next_deadline_at = ?, acked_by = ?, acked_at = ?,
                                    resolved_by = ?, resolved_at = ?, cause = ?, ladder = ?, ladder_origin_at = ?,
                                    silenced_by = ?, silence_id = ?
                WHERE id = ?
                """
        ).execute(arguments: SQLArguments(mutableValues(incident) + [incident.id]))
        guard try db.changesCount == 1 else { throw StoreError("incident \(incident.id) is not in the database") }
        try addMembers(incident.members, to: incident.id, db)
    }

    private static func addMembers(_ members: [String], to id: Int64, _ db: any SQLConnection) throws {
        try db.insertLater(
            into: "incident_detector", columns: "device_id, incident_id", rows: members.map { [$0, id] },
            suffix: "ON CONFLICT DO NOTHING")
    }

    private static func siteValues(_ site: IncidentSite) -> [(any DatabaseValueConvertible)?] {
        [site.deviceID, site.address, site.venue, site.venueType, site.venueKey, site.gridID, site.communityID, site.streetID]
    }

    /// The columns the state machine may change, in the order `update` (and the tail of
    /// `insert`) names them.
    private static func mutableValues(_ incident: Incident) -> [(any DatabaseValueConvertible)?] {
        let bits = Tier.allCases.enumerated().reduce(0) { incident.called.contains($1.element) ? $0 | (1 << $1.offset) : $0 }
        return [
            incident.state.rawValue, bits, incident.tier?.rawValue, incident.nextDeadline?.epoch, incident.ackedBy,
            incident.ackedAt?.epoch, incident.resolvedBy, incident.resolvedAt?.epoch, incident.cause,
            encodeLadder(incident.ladder), incident.ladderOrigin.epoch, incident.silencedBy, incident.silenceID,
        ]
    }

    /// The ladder as `tier=milliseconds` pairs, and `reminder=milliseconds` when it reminds.
    static func encodeLadder(_ ladder: EscalationLadder) -> String {
        (ladder.steps.map { "\($0.tier.rawValue)=\($0.after.wholeMilliseconds)" }
            + (ladder.reminder.map { ["reminder=\($0.wholeMilliseconds)"] } ?? [])).joined(separator: ",")
    }

    /// Reads `encodeLadder`'s text back. A fire stored before reminders existed gets the
    /// standard reminder; other kinds of incident never had one.
    static func decodeLadder(_ text: String, kind: IncidentKind) -> EscalationLadder? {
        var steps: [EscalationLadder.Step] = []
        var reminder: Duration? = kind == .fire && !text.isEmpty ? EscalationLadder.standardReminder : nil
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=")
            guard parts.count == 2, let milliseconds = Int64(parts[1]) else { return nil }
            if parts[0] == "reminder" {
                reminder = .milliseconds(milliseconds)
                continue
            }
            guard let tier = Tier(rawValue: String(parts[0])) else { return nil }
            steps.append(.init(tier: tier, after: .milliseconds(milliseconds)))
        }
        return EscalationLadder(steps: steps, reminder: reminder)
    }
}
