import Foundation
import GRDB
import SmokeGateCore

extension Store {
    /// Puts `incident`'s call to `unit` into the unit's group for its kind instead of the
    /// outbox (field rule 6, see `DispatchGrouping`), inside the caller's transaction. Returns
    /// when the group's next message is due, for the scheduler to wake then.
    func enqueueGrouped(
        _ incident: Incident, tier: Tier, unit: ResponseUnit, grouping: DispatchGrouping, at now: Date, _ db: any SQLConnection
    ) throws -> Date {
        try db.cachedStatement(
            sql: "INSERT INTO dispatch_group (tier, unit_id, kind) VALUES (?, ?, ?) ON CONFLICT(tier, unit_id, kind) DO NOTHING"
        ).execute(arguments: [tier.rawValue, unit.id, incident.kind.rawValue])
        guard
            let group = try Row.fetchOne(
                db.cachedStatement(
                    sql: "SELECT id, last_sent_at, due_at FROM dispatch_group WHERE tier = ? AND unit_id = ? AND kind = ?"),
                arguments: [tier.rawValue, unit.id, incident.kind.rawValue])
        else { throw StoreError("the dispatch group of \(tier.rawValue) \(unit.id) vanished inside its transaction") }
        let groupID: Int64 = group["id"]
        try db.cachedStatement(
            sql: "INSERT INTO dispatch_group_member (group_id, incident_id) VALUES (?, ?) ON CONFLICT DO NOTHING"
        ).execute(arguments: [groupID, incident.id])
        let pending: Date? = group["due_at"]
        let toldOut =
            try Bool.fetchOne(
                db.cachedStatement(
                    sql:
                        "SELECT EXISTS (SELECT 1 FROM dispatch_group_member WHERE group_id = ? AND told IN ('open', 'acknowledged'))"
                ),
                arguments: [groupID]) ?? false
        let stillOut =
            try Bool.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT EXISTS (SELECT 1 FROM dispatch_group_member m JOIN incident ON incident.id = m.incident_id
                                       WHERE m.group_id = ? AND incident.state != 'resolved')
                        """), arguments: [groupID]) ?? false
        let due = grouping.due(pending: pending, toldOpen: toldOut, stillOpen: stillOut, lastSent: group["last_sent_at"], at: now)
        try db.cachedStatement(sql: "UPDATE dispatch_group SET due_at = ? WHERE id = ?").execute(arguments: [due.epoch, groupID])
        return due
    }

    /// Sends the messages of groups due by the clock's time: one notification per group into
    /// the outbox, in one durable transaction of at most `limit` groups. Returns how many
    /// groups were looked at and what was written.
    public func flushDueGroups(at clock: () -> Date, desk: IncidentDesk, limit: Int = 100) throws -> (
        groups: Int, effects: IncidentEffects
    ) {
        try durableWrite { db in
            let now = clock()
            let due = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT id, tier, unit_id, kind, revision, anchor_incident_id FROM dispatch_group
                        WHERE due_at IS NOT NULL AND due_at <= ? ORDER BY due_at, id LIMIT ?
                        """), arguments: [now.epoch, limit])
            var effects = IncidentEffects()
            for group in due {
                effects.merge(try flush(group, at: now, desk: desk, db))
            }
            return (due.count, effects)
        }
    }

    private func flush(_ group: Row, at now: Date, desk: IncidentDesk, _ db: any SQLConnection) throws -> IncidentEffects {
        let groupID: Int64 = group["id"]
        let members = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT \(IncidentRow.columns), m.told AS told FROM dispatch_group_member m
                    JOIN incident ON incident.id = m.incident_id WHERE m.group_id = ? ORDER BY incident.id
                    """), arguments: [groupID]
        ).map { GroupMember(incident: try IncidentRow.decode($0), told: ($0["told"] as String?).flatMap(IncidentState.init)) }
        var effects = IncidentEffects()
        var revision: Int = group["revision"]
        var anchor: Int64? = group["anchor_incident_id"]
        if let kind = IncidentKind(rawValue: group["kind"]), let tier = Tier(rawValue: group["tier"]),
            let message = GroupMessage(members: members)
        {
            revision += 1
            let filedUnder = anchor ?? message.lead.id
            anchor = filedUnder
            let unitID: String = group["unit_id"]
            let unit =
                desk.directory.units(tier, for: message.lead.site).first { $0.id == unitID }
                ?? ResponseUnit(tier: tier, id: unitID, name: unitID, contacts: [])
            let notification = desk.composer.compose(
                message, group: GroupIdentity(id: groupID, revision: revision), unit: unit, at: now,
                id: UUID().uuidString.lowercased())
            effects.calls.append(
                try enqueue(
                    notification, incident: filedUnder, kind: kind, action: message.action, tier: tier, unit: unit,
                    receivers: desk.receivers, at: now, db))
            effects.notifications += 1
        }
        // What the unit now knows: members still out are remembered as told, the rest are done.
        for member in members {
            if member.incident.state == .resolved {
                try db.cachedStatement(sql: "DELETE FROM dispatch_group_member WHERE group_id = ? AND incident_id = ?")
                    .execute(arguments: [groupID, member.incident.id])
            } else if member.told != member.incident.state {
                try db.cachedStatement(sql: "UPDATE dispatch_group_member SET told = ? WHERE group_id = ? AND incident_id = ?")
                    .execute(arguments: [member.incident.state.rawValue, groupID, member.incident.id])
            }
        }
        try db.cachedStatement(
            sql: """
                UPDATE dispatch_group SET revision = ?, last_sent_at = CASE WHEN ? > revision THEN ? ELSE last_sent_at END,
                  due_at = NULL, anchor_incident_id = ? WHERE id = ?
                """
        ).execute(arguments: [revision, revision, now.epoch, anchor, groupID])
        return effects
    }

    /// Fires of detectors the chain cannot place opened within `DispatchGrouping.floodWindow`
    /// before `now`, for the flood rule.
    func unplacedFires(since now: Date, _ db: any SQLConnection) throws -> Int {
        try Int.fetchOne(
            db.cachedStatement(sql: "SELECT count(*) FROM incident WHERE opened_at > ? AND kind = 'fire' AND grid IS NULL"),
            arguments: [now.addingTimeInterval(-DispatchGrouping.floodWindow).epoch]) ?? 0
    }

    /// Whether incident `id` is a member of a group (its later calls stay with the group).
    func isGrouped(_ id: Int64, _ db: any SQLConnection) throws -> Bool {
        try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM dispatch_group_member WHERE incident_id = ?)"), arguments: [id])
            ?? false
    }

    /// When the next group message is due, if one is.
    public func nextGroupDue() throws -> Date? {
        try read { db in
            try Date.fetchOne(db.cachedStatement(sql: "SELECT min(due_at) FROM dispatch_group WHERE due_at IS NOT NULL"))
        }
    }
}
