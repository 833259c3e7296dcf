import Foundation
import GRDB
import SmokeGateCore

extension Store {
    /// Performs what the incident rules decided, inside the caller's transaction: saves each
    /// incident, writes its timeline lines, and renders its calls into the outbox. A call is
    /// therefore stored in the same commit as the change that causes it.
    /// `osUser` is recorded on the lines a person's operation writes (those with a `by`).
    func perform(
        _ changes: [IncidentChange], at now: Date, desk: IncidentDesk, osUser: String? = nil, _ db: any SQLConnection
    ) throws -> IncidentEffects {
        var effects = IncidentEffects()
        for change in changes { effects.merge(try performOne(change, at: now, desk: desk, osUser: osUser, db).effects) }
        return effects
    }

    /// `perform` for one change; also returns the incident as stored (with its id).
    func performOne(
        _ change: IncidentChange, at now: Date, desk: IncidentDesk, osUser: String? = nil, _ db: any SQLConnection
    ) throws -> (effects: IncidentEffects, incident: Incident) {
        var effects = IncidentEffects()
        var incident = change.incident
        if change.opensIncident {
            incident.id = try IncidentRow.insert(incident, db)
            effects.opened += 1
        } else {
            // Every caller loaded the incident inside this same transaction, which SQLite began
            // IMMEDIATE: no other writer, in this process or another, can have changed it since.
            try IncidentRow.update(incident, db)
        }
        // The change's timeline lines go in one statement, in order, after its calls: nothing
        // here reads the timeline, and each statement is a round trip on PostgreSQL.
        var lines: [TimelineEntry] = []
        var firstOnTopic: Set<String> = []
        for action in change.actions {
            switch action {
            case .record(let entry):
                lines.append(entry)
            case .dispatch(let tier, _, _)
            where try desk.grouping?.groups(
                incident, inGroup: { try isGrouped(incident.id, db) },
                unplacedFiresRecently: { try unplacedFires(since: now, db) })
                == true:
                // Maintenance, or a flood of strangers' fires: the call joins its unit's group,
                // whose message the scheduler sends when due.
                for unit in desk.directory.units(tier, for: incident.site) {
                    let grouping = desk.grouping!.timing(for: incident.kind)
                    let due = try enqueueGrouped(incident, tier: tier, unit: unit, grouping: grouping, at: now, db)
                    effects.merge(IncidentEffects(earliestDeadline: due))
                }
            case .dispatch(let tier, let dispatch, let reason):
                let notifications = desk.composer.compose(
                    dispatch, tier: tier, reason: reason, incident: incident, at: now,
                    newID: { UUID().uuidString.lowercased() })
                for (notification, unit) in zip(notifications, desk.directory.units(tier, for: incident.site)) {
                    let id = try enqueue(
                        notification, incident: incident.id, kind: incident.kind, action: dispatch, tier: tier,
                        unit: unit, receivers: desk.receivers, at: now, db)
                    effects.calls.append(id)
                    // A fire opened here has nothing earlier waiting on this topic: its call
                    // may leave before the dispatcher reads the outbox (`ExpressCalls`).
                    if change.opensIncident, incident.kind == .fire, firstOnTopic.insert(notification.topic).inserted {
                        effects.firstFireCalls.append(
                            FirstFireCall(
                                outboxID: id, notification: notification.id, topic: notification.topic,
                                payload: notification.payload, tier: tier.rawValue, action: dispatch.rawValue,
                                createdAt: now))
                    }
                }
                effects.notifications += notifications.count
            case .schedule(let deadline):
                effects.merge(IncidentEffects(earliestDeadline: deadline))
            }
        }
        try writeTimeline(lines, of: incident.id, osUser: osUser, db)
        return (effects, incident)
    }

    /// Writes `lines` of incident `id`'s timeline, in order, in one statement (`insertLater`). `osUser` is
    /// recorded on the lines a person's operation writes (those with a `by`).
    func writeTimeline(_ lines: [TimelineEntry], of id: Int64, osUser: String?, _ db: any SQLConnection) throws {
        try db.insertLater(
            into: "timeline", columns: "incident_id, at, action, tier, by, note, os_user, channel",
            rows: lines.map { entry in
                [
                    id, entry.at.epoch, entry.action.rawValue, entry.tier?.rawValue, entry.by, entry.note,
                    entry.by == nil ? nil : osUser, entry.channel,
                ]
            }, suffix: "")
    }

    /// The unresolved incidents an event of `site`'s detector can touch: those it belongs to,
    /// and the fires of other detectors at its venue. The rulebook picks among them.
    func openIncidents(at site: IncidentSite, _ db: any SQLConnection) throws -> OpenIncidents {
        try Self.openIncidents(db.fetchRowsTogether(Self.openIncidentQueries(at: site)))
    }

    /// `openIncidents`' queries: the detector's own, then (with a venue) its venue's fires.
    static func openIncidentQueries(at site: IncidentSite) -> [(sql: String, arguments: SQLArguments)] {
        var queries: [(sql: String, arguments: SQLArguments)] = [
            (
                """
                SELECT \(IncidentRow.columns) FROM incident
                WHERE state != 'resolved' AND id IN (SELECT incident_id FROM incident_detector WHERE device_id = ?) ORDER BY id
                """, [site.deviceID]
            )
        ]
        if let venueKey = site.venueKey {
            queries.append(
                (
                    """
                    SELECT \(IncidentRow.columns) FROM incident
                    WHERE venue_key = ? AND state != 'resolved' AND kind = 'fire'
                      AND id NOT IN (SELECT incident_id FROM incident_detector WHERE device_id = ?)
                    ORDER BY id
                    """, [venueKey, site.deviceID]
                ))
        }
        return queries
    }

    /// `openIncidents` from the rows of its queries.
    static func openIncidents(_ rows: [[Row]]) throws -> OpenIncidents {
        OpenIncidents(
            ofDevice: try rows[0].map(IncidentRow.decode), atVenue: try rows.dropFirst().first?.map(IncidentRow.decode) ?? [])
    }

    /// The condition the database holds for `device` (written with every durable event).
    func storedCondition(of device: String, _ db: any SQLConnection) throws -> DeviceCondition {
        Self.storedCondition(try db.fetchRowsTogether([Self.storedConditionQuery(of: device)])[0])
    }

    static func storedConditionQuery(of device: String) -> (sql: String, arguments: SQLArguments) {
        ("SELECT condition FROM device WHERE id = ?", [device])
    }

    static func storedCondition(_ rows: [Row]) -> DeviceCondition {
        DeviceCondition(rawValue: rows.first.flatMap { $0[0] as Int? } ?? 0)
    }

    /// Applies the rules to one stored event, inside the event's own transaction. `before` is
    /// the detector's condition before the event. `reads`: what the rules read, if the caller
    /// read it already (`ruleReads`, for this event's site and time). `touched` learns the
    /// incidents the rules open or change.
    func applyIncidentRules(
        to event: DetectorEvent, at now: Date, before: DeviceCondition, desk: IncidentDesk, reads: RuleReads? = nil,
        touched: TouchedIncidents? = nil, _ db: any SQLConnection
    ) throws -> IncidentEffects {
        guard Self.rulesApply(to: event.kind) else { return IncidentEffects() }
        let site = desk.directory.site(of: event.deviceID)
        let reads = try reads ?? ruleReads(at: site, now: now, db)
        let changes = desk.rules.apply(
            event.kind, site: site, at: now, open: reads.open, silence: reads.silence,
            before: before, registered: desk.directory.device(event.deviceID) != nil)
        for change in changes { touched?.record(change.incident) }
        return try perform(changes, at: now, desk: desk, db)
    }

    /// Detectors not heard within their profile's `offline_after`: opens their `offline`
    /// incidents (and escalates a fire of theirs), committed durably.
    public func wentOffline(_ devices: [(id: String, lastHeard: Date?)], at now: Date, desk: IncidentDesk) throws
        -> IncidentEffects
    {
        guard !devices.isEmpty else { return IncidentEffects() }
        return try durableWrite { db in
            var effects = IncidentEffects()
            for device in devices {
                let site = desk.directory.site(of: device.id)
                let reason =
                    device.lastHeard.map { "not heard since \(RFC3339.format($0))" } ?? "never heard since the gateway started"
                let changes = desk.rules.wentOffline(
                    site: site, at: now, open: try openIncidents(at: site, db), reason: reason,
                    silence: try coveringSilence(for: site, at: now, db), registered: desk.directory.device(device.id) != nil)
                effects.merge(try perform(changes, at: now, desk: desk, db))
            }
            return effects
        }
    }

    /// Detectors heard again after they were found offline: closes their `offline` incidents.
    public func heardAgain(_ devices: [String], at now: Date, desk: IncidentDesk) throws -> IncidentEffects {
        guard !devices.isEmpty else { return IncidentEffects() }
        return try durableWrite { db in
            var effects = IncidentEffects()
            for id in devices {
                let site = desk.directory.site(of: id)
                effects.merge(
                    try perform(desk.rules.heardAgain(at: now, open: try openIncidents(at: site, db)), at: now, desk: desk, db))
            }
            return effects
        }
    }

    /// Detectors with an unresolved `offline` incident, to seed supervision after a restart.
    public func devicesOffline() throws -> [String] {
        try read { db in
            try String.fetchAll(
                db.cachedStatement(sql: "SELECT DISTINCT device_id FROM incident WHERE state != 'resolved' AND kind = 'offline'"))
        }
    }
}
