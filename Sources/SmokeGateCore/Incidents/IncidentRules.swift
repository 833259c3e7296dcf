import Foundation

/// The rulebook: what every detector event, every operator's answer and every silence does
/// to every incident. The store and the services only carry out what these functions return.
///
/// The field rules of the contract ("Field rules every format and version must keep") are the
/// promises; these rules keep them. `docs/field-rules.md` takes the field rules one by one and
/// says which of these rules, which code and which tests keep each. Where a choice was a
/// judgement call, it keeps a fire in front of a person. Each rule is pinned by the timelines
/// named after it (`Tests/RulebookScenarios/RulebookTimelines*.swift`, run on the in-memory
/// desk by `RulebookTests` and through SQLite by `StoreRulebookTests`), and all of them together
/// by the seeded property runs (`RulebookPropertyTests`, `StoreRulebookPropertyTests`).
///
/// **Fires**
///
/// 1. *An alarm opens a fire* for a detector that belongs to no unresolved fire: the grid at
///    once, then community, street and station at their offsets (a detector the chain cannot
///    place: every street at once, the station at its offset). Because someone must go and look.
/// 2. *A repeated alarm while the ladder climbs is a line*: the fire is open, nobody has
///    acknowledged, and the ladder still has tiers to call, so the next call is coming anyway.
/// 3. *When the ladder is spent, an alarm is told again* to every tier called: nobody has
///    answered, and the one thing left to do is to say it again (field rule 1).
/// 4. *An acknowledgement covers the fire as it was*: a detector that keeps alarming without
///    having cleared, within `reminder` of the acknowledgement, is told again to the tiers
///    called; the fire stays acknowledged, because the person on it is already there.
/// 5. *New smoke re-arms an acknowledged fire*: an alarm after the detector cleared, or more
///    than `reminder` after the acknowledgement, opens the fire again; the tiers called are told
///    and the ladder resumes for the rest, keeping its spacing. The acknowledgement was for the
///    smoke people saw then; this is news.
/// 6. *A second detector at the venue* joins the venue's live fire (it becomes one of its
///    detectors), calls every tier not yet called at once and tells those already called: the
///    fire is spreading. This is evidence, so it applies to an acknowledged fire too.
/// 7. *Clears and mutes are lines*: people stop the ladder, devices do not; a detector that
///    stops sensing smoke may be burnt or the smoke may have moved.
/// 8. *A detector that goes offline during its own fire* (past `offline_after`, or reported
///    offline by its network) escalates that fire at once as in rule 6: it may have burnt.
/// 9. *An acknowledgement stops the ladder* and is told to every tier called; a second one is
///    refused naming the first.
/// 10. *A reset re-latches*: resolving a fire closes it and tells every tier called; any of its
///     detectors still sensing smoke opens a fire again at once, calling again every tier the
///     resolved fire had called (a fire panel cannot be reset while a zone is in alarm).
/// 11. *Fires never close by themselves*: a fire acknowledged and not resolved, or open with
///     every tier called and nobody answering, is reminded to the tiers called every
///     `reminder` (30 minutes unless configured) until a person resolves it.
/// 12. *A silence hides, it does not forget*: an incident opening while a silence covers its
///     detector or grid is recorded, calls nobody, and joins or escalates no neighbour; when the
///     silence ends or is lifted, what it hid and is still true (smoke still sensed, the fault,
///     tamper, low battery or the detector still offline) is called as if it opened then. An incident
///     opened before a silence is not affected by it.
/// 13. *A detector's events go to its live fire*: the newest unresolved fire it belongs to that
///     no silence hides; a hidden fire gets them only when there is no live one, so an old
///     hidden fire never swallows the clear, the mute or the going offline of a real one.
///
/// **Maintenance jobs**
///
/// 14. *`fault`, `tamper`, `low_battery` and `offline` open a job for the grid* (every street
///     for a detector the chain cannot place); a repeat is a line. They are never reminded.
/// 15. *Jobs close by themselves when the detector says so*: `fault_clear`, `tamper_clear`, the
///     battery reported good again (`battery_restored`), or the detector heard again. Otherwise
///     a person resolves them; they stay listed, behind the fires, until then.
/// 16. *Strangers are listed, not paged*: a device the registry does not list (a typo in an
///     id, a detector paired but not yet registered, ids invented by a misused credential) opens
///     no maintenance job and is never declared offline; its events are stored and it is
///     listed (`smokegate devices --unregistered`). Nobody can go and fix a device nobody
///     registered, and a street paged about strangers learns to ignore its pager. Its alarms
///     still open fires (rule 1): when in doubt, it is a fire.
public struct IncidentRules: Sendable, Equatable {
    /// The fire ladder in force now; copied onto each fire incident as it opens.
    public var ladder: EscalationLadder

    public init(ladder: EscalationLadder) {
        self.ladder = ladder
    }

    /// What a stored detector event does to incidents. `silence` is the silence covering the
    /// detector or its grid now, if any; `before` is the detector's condition before the event;
    /// `registered` whether the registry lists the detector (rule 16).
    public func apply(
        _ kind: EventKind, site: IncidentSite, at now: Date, open: OpenIncidents, silence: CoveringSilence? = nil,
        before: DeviceCondition = [], registered: Bool = true
    ) -> [IncidentChange] {
        let device = site.deviceID
        switch kind {
        case .alarm:
            return alarm(site: site, at: now, open: open, silence: silence, wasSensing: before.contains(.smoke))
        case .alarmClear:  // Rule 7
            guard let fire = open.fire(orSilenced: true) else { return [] }
            return [IncidentChange(fire, fire.note(.alarmCleared, at: now, note: "\(device) no longer senses smoke"))]
        case .mute:  // Rule 7
            guard let fire = open.fire(orSilenced: true) else { return [] }
            return [IncidentChange(fire, fire.note(.muted, at: now, note: "the sounder of \(device) was silenced locally"))]
        case .offline:  // Rule 8
            return wentOffline(
                site: site, at: now, open: open, reason: "the detector's network reports \(device) offline", silence: silence,
                registered: registered)
        case .fault, .tamper, .lowBattery:  // Rules 14 and 16
            guard registered else { return [] }
            let incidentKind = IncidentKind(opening: kind)!
            if let existing = open.job(incidentKind) {
                return [
                    IncidentChange(existing, existing.note(.repeated, at: now, note: "\(device) reported \(kind.rawValue) again"))
                ]
            }
            return [
                opening(incidentKind, site: site, at: now, reason: Self.maintenanceReason(kind, device: device), silence: silence)
            ]
        case .faultClear, .tamperClear, .online, .batteryRestored:  // Rule 15
            return close(IncidentKind(closing: kind)!, of: open, at: now, cause: kind.rawValue)
        case .heartbeat, .test:
            return []
        }
    }

    /// The detector has not been heard within its profile's `offline_after` (or its network
    /// says it is offline): an `offline` job for the grid (rule 14; none for a stranger, rule
    /// 16), and its live fire goes to every tier at once (rule 8).
    public func wentOffline(
        site: IncidentSite, at now: Date, open: OpenIncidents, reason: String, silence: CoveringSilence? = nil,
        registered: Bool = true
    ) -> [IncidentChange] {
        var changes: [IncidentChange] = []
        if silence == nil, var fire = open.fire(orSilenced: false) {
            let actions =
                fire.note(.offline, at: now, note: reason)
                + fire.escalateAll(at: now, reason: "\(site.deviceID) went offline during its own fire alarm: \(reason)")
            changes.append(IncidentChange(fire, actions))
        }
        if registered, open.job(.offline) == nil {
            changes.append(opening(.offline, site: site, at: now, reason: reason, silence: silence))
        }
        return changes
    }

    /// The detector was heard again: its `offline` job closes (rule 15).
    public func heardAgain(at now: Date, open: OpenIncidents) -> [IncidentChange] {
        close(.offline, of: open, at: now, cause: "heard again")
    }

    func opening(
        _ kind: IncidentKind, site: IncidentSite, at now: Date, reason: String, silence: CoveringSilence?,
        members: [String]? = nil,
        resuming previous: Set<Tier> = []
    ) -> IncidentChange {
        let (incident, actions) = Incident.open(
            kind, site: site, ladder: ladder, at: now, reason: reason, silence: silence, members: members, resuming: previous)
        return IncidentChange(incident, actions)
    }

    private func close(_ kind: IncidentKind, of open: OpenIncidents, at now: Date, cause: String) -> [IncidentChange] {
        guard var incident = open.job(kind),
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
