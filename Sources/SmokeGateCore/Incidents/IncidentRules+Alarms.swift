import Foundation

extension IncidentRules {
    /// Rules 1 to 6 and 13: what an alarm does.
    func alarm(site: IncidentSite, at now: Date, open: OpenIncidents, silence: CoveringSilence?, wasSensing: Bool)
        -> [IncidentChange]
    {
        let device = site.deviceID
        if var fire = open.fire(orSilenced: silence != nil) {
            var actions: [IncidentAction] = []
            if fire.isSilenced, let silence, fire.silenceID != silence.silenceID {
                // Smoke again under another silence: the fire is hidden by that one now, so that
                // its end releases the fire (rule 12).
                actions += fire.release(ladder: ladder, silence: silence, at: now, reason: "")
            }
            actions += alarmAgain(&fire, from: device, at: now, wasSensing: wasSensing)
            return [IncidentChange(fire, actions)]
        }
        if silence == nil, var nearby = open.liveFireAtVenue {  // Rule 6
            nearby.members.append(device)
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
        return [opening(.fire, site: site, at: now, reason: reason, silence: silence)]  // Rule 1
    }

    /// An alarm from a detector of `fire`: rules 2 to 5.
    private func alarmAgain(_ fire: inout Incident, from device: String, at now: Date, wasSensing: Bool) -> [IncidentAction] {
        let line = fire.note(.alarmRepeated, at: now, note: "\(device) alarmed again")
        switch fire.state {
        case .open where !fire.tiersLeft.isEmpty:  // Rule 2
            return line
        case .open:  // Rule 3
            return line
                + fire.retell(at: now, reason: "\(device) alarmed again; every tier has been called and nobody has acknowledged")
        case .acknowledged:
            let acknowledged = "acknowledged by \(fire.ackedBy ?? "someone") at \(RFC3339.format(fire.ackedAt ?? now))"
            let age = now.timeIntervalSince(fire.ackedAt ?? now)
            if wasSensing, let reminder = fire.ladder.reminder, age < reminder.secondsValue {  // Rule 4
                return line + fire.retell(at: now, reason: "\(device) is still alarming; \(acknowledged)")
            }
            let why =  // Rule 5
                wasSensing
                ? "\(device) still alarming \(DurationText.format(.seconds(Int64(age)))) after it was \(acknowledged)"
                : "\(device) sensed smoke again after it had cleared; the fire was \(acknowledged)"
            return line + fire.rearm(at: now, reason: why)
        case .resolved:
            return line
        }
    }
}
