import Foundation

/// The unresolved incidents an event can touch, looked up by the store before it asks the
/// rules what the event does.
public struct OpenIncidents: Sendable, Equatable {
    /// Unresolved incidents of the event's own detector.
    public var ofDevice: [Incident]
    /// An unresolved fire incident of another detector at the same venue, if any.
    public var fireAtVenue: Incident?

    public init(ofDevice: [Incident] = [], fireAtVenue: Incident? = nil) {
        self.ofDevice = ofDevice
        self.fireAtVenue = fireAtVenue
    }

    func ofDevice(_ kind: IncidentKind) -> Incident? {
        ofDevice.first { $0.kind == kind }
    }
}

/// One incident opened or changed by an event, with the actions to perform for it.
public struct IncidentChange: Sendable, Equatable {
    public var incident: Incident
    public var actions: [IncidentAction]

    public init(_ incident: Incident, _ actions: [IncidentAction]) {
        self.incident = incident
        self.actions = actions
    }

    /// Whether the incident is new (not yet stored).
    public var opensIncident: Bool { incident.id == 0 }
}

/// The judgement the field needs, as pure rules: which detector events open, join,
/// escalate or close which incidents.
public struct IncidentRules: Sendable, Equatable {
    /// The fire ladder in force now; copied onto each fire incident as it opens.
    public var ladder: EscalationLadder

    public init(ladder: EscalationLadder) {
        self.ladder = ladder
    }

    /// What a stored detector event does to incidents. `shield` names the silence covering
    /// the detector or its grid, if one is in force: what it opens calls nobody, and its
    /// alarms escalate no neighbour.
    public func apply(
        _ kind: EventKind, site: IncidentSite, at now: Date, open: OpenIncidents, shield: String? = nil
    ) -> [IncidentChange] {
        let device = site.deviceID
        switch kind {
        case .alarm:
            // A fire opened under a silence that no longer applies calls nobody: a new alarm
            // opens a fire that does.
            let own = open.ofDevice.first { $0.kind == .fire && (shield != nil || $0.shieldedBy == nil) }
            if let own {
                return [IncidentChange(own, own.note(.alarmRepeated, at: now, note: "\(device) alarmed again"))]
            }
            if shield == nil, var nearby = open.fireAtVenue, nearby.shieldedBy == nil {
                let reason = "a second detector, \(device), is alarming at \(site.venue)"
                let actions =
                    nearby.note(.alarmNearby, at: now, note: "\(device) alarmed at the same venue")
                    + nearby.escalateAll(at: now, reason: reason)
                return [IncidentChange(nearby, actions)]
            }
            let reason =
                site.isPlaced
                ? "smoke alarm from \(device) at \(site.address)"
                : "smoke alarm from \(device), which is not in the registry"
            return [opening(.fire, site: site, at: now, reason: reason, shield: shield)]
        case .alarmClear:
            guard let fire = open.ofDevice(.fire) else { return [] }
            return [IncidentChange(fire, fire.note(.alarmCleared, at: now, note: "\(device) no longer senses smoke"))]
        case .mute:
            guard let fire = open.ofDevice(.fire) else { return [] }
            return [IncidentChange(fire, fire.note(.muted, at: now, note: "the sounder of \(device) was silenced locally"))]
        case .offline:
            return silence(
                site: site, at: now, open: open, reason: "the detector's network reports \(device) offline", shield: shield)
        case .fault, .tamper, .lowBattery:
            let incidentKind = IncidentKind(opening: kind)!
            if let existing = open.ofDevice(incidentKind) {
                return [
                    IncidentChange(existing, existing.note(.repeated, at: now, note: "\(device) reported \(kind.rawValue) again"))
                ]
            }
            return [
                opening(incidentKind, site: site, at: now, reason: Self.maintenanceReason(kind, device: device), shield: shield)
            ]
        case .faultClear, .tamperClear, .online, .batteryRestored:
            return close(IncidentKind(closing: kind)!, of: open, at: now, cause: kind.rawValue)
        case .heartbeat, .test:
            return []
        }
    }

    /// The detector has not been heard within its profile's `offline_after` (or its network
    /// says it is offline): an `offline` incident for the grid, and, if its own fire is
    /// unresolved, the fire goes to every tier at once; the detector may have burnt.
    public func silence(
        site: IncidentSite, at now: Date, open: OpenIncidents, reason: String, shield: String? = nil
    ) -> [IncidentChange] {
        var changes: [IncidentChange] = []
        if shield == nil, var fire = open.ofDevice(.fire) {
            let actions =
                fire.note(.silent, at: now, note: reason)
                + fire.escalateAll(at: now, reason: "\(site.deviceID) went silent during its own fire alarm: \(reason)")
            changes.append(IncidentChange(fire, actions))
        }
        if open.ofDevice(.offline) == nil {
            changes.append(opening(.offline, site: site, at: now, reason: reason, shield: shield))
        }
        return changes
    }

    /// The detector was heard again: its `offline` incident closes.
    public func heardAgain(at now: Date, open: OpenIncidents) -> [IncidentChange] {
        close(.offline, of: open, at: now, cause: "heard again")
    }

    private func opening(
        _ kind: IncidentKind, site: IncidentSite, at now: Date, reason: String, shield: String?
    ) -> IncidentChange {
        let (incident, actions) = Incident.open(kind, site: site, ladder: ladder, at: now, reason: reason, shield: shield)
        return IncidentChange(incident, actions)
    }

    private func close(_ kind: IncidentKind, of open: OpenIncidents, at now: Date, cause: String) -> [IncidentChange] {
        guard var incident = open.ofDevice(kind),
            let actions = try? incident.resolve(by: "device", cause: cause, note: nil, at: now)
        else { return [] }
        return [IncidentChange(incident, actions)]
    }

    private static func maintenanceReason(_ kind: EventKind, device: String) -> String {
        switch kind {
        case .fault: "\(device) reports a fault"
        case .tamper: "\(device) was removed from its base or opened"
        default: "the battery of \(device) is low"
        }
    }
}
