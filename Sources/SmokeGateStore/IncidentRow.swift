import Foundation
import GRDB
import SmokeGateCore

/// How an incident is laid out in its table.
enum IncidentRow {
    static let columns = """
        id, kind, state, device_id, address, venue, venue_type, venue_key, grid, community, street, opened_at, ladder,
        called, tier, next_deadline_at, acked_by, acked_at, resolved_by, resolved_at, cause, shielded
        """

    static func decode(_ row: Row) throws -> Incident {
        let id: Int64 = row["id"]
        guard let kind = IncidentKind(rawValue: row["kind"]), let state = IncidentState(rawValue: row["state"]),
            let ladder = decodeLadder(row["ladder"])
        else {
            throw StoreError("incident \(id) has a kind, state or ladder this version cannot read")
        }
        let calledBits: Int = row["called"]
        return Incident(
            id: id, kind: kind, state: state,
            site: IncidentSite(
                deviceID: row["device_id"], address: row["address"], venue: row["venue"], venueType: row["venue_type"],
                gridID: row["grid"], communityID: row["community"], streetID: row["street"]),
            openedAt: row["opened_at"], ladder: ladder,
            called: Set(Tier.allCases.enumerated().filter { calledBits & (1 << $0.offset) != 0 }.map(\.element)),
            nextDeadline: row["next_deadline_at"], ackedBy: row["acked_by"], ackedAt: row["acked_at"],
            resolvedBy: row["resolved_by"], resolvedAt: row["resolved_at"], cause: row["cause"], shieldedBy: row["shielded"])
    }

    /// Inserts a new incident and returns its id.
    static func insert(_ incident: Incident, _ db: Database) throws -> Int64 {
        try db.execute(
            sql: """
                INSERT INTO incident (kind, state, device_id, address, venue, venue_type, venue_key, grid, community, street,
                                      opened_at, ladder, called, tier, next_deadline_at, acked_by, acked_at, resolved_by,
                                      resolved_at, cause, shielded)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: StatementArguments(
                [incident.kind.rawValue, incident.state.rawValue] + siteValues(incident.site)
                    + [incident.openedAt.epoch, encodeLadder(incident.ladder)] + mutableValues(incident) + [incident.shieldedBy]))
        return db.lastInsertedRowID
    }

    /// Writes back what the state machine may change.
    static func update(_ incident: Incident, _ db: Database) throws {
        try db.execute(
            sql: """
                UPDATE incident SET state = ?, called = ?, tier = ?, next_deadline_at = ?, acked_by = ?, acked_at = ?,
                                    resolved_by = ?, resolved_at = ?, cause = ?
                WHERE id = ?
                """,
            arguments: StatementArguments([incident.state.rawValue] + mutableValues(incident) + [incident.id]))
        guard db.changesCount == 1 else { throw StoreError("incident \(incident.id) is not in the database") }
    }

    private static func siteValues(_ site: IncidentSite) -> [(any DatabaseValueConvertible)?] {
        [site.deviceID, site.address, site.venue, site.venueType, site.venueKey, site.gridID, site.communityID, site.streetID]
    }

    private static func mutableValues(_ incident: Incident) -> [(any DatabaseValueConvertible)?] {
        let bits = Tier.allCases.enumerated().reduce(0) { incident.called.contains($1.element) ? $0 | (1 << $1.offset) : $0 }
        return [
            bits, incident.tier?.rawValue, incident.nextDeadline?.epoch, incident.ackedBy, incident.ackedAt?.epoch,
            incident.resolvedBy, incident.resolvedAt?.epoch, incident.cause,
        ]
    }

    static func encodeLadder(_ ladder: EscalationLadder) -> String {
        ladder.steps.map { "\($0.tier.rawValue)=\($0.after.wholeMilliseconds)" }.joined(separator: ",")
    }

    static func decodeLadder(_ text: String) -> EscalationLadder? {
        var steps: [EscalationLadder.Step] = []
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=")
            guard parts.count == 2, let tier = Tier(rawValue: String(parts[0])), let milliseconds = Int64(parts[1]) else {
                return nil
            }
            steps.append(.init(tier: tier, after: .milliseconds(milliseconds)))
        }
        return EscalationLadder(steps: steps)
    }
}

/// A store operation that cannot go on, said so an operator can act on it.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
