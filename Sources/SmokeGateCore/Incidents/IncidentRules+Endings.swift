import Foundation

/// One detector of a fire being resolved that still senses smoke, with the silence that
/// covers it now, if any, and the incidents it belongs to: what rule 10 re-latches.
public struct StillSensing: Sendable, Equatable {
    public var site: IncidentSite
    public var silence: CoveringSilence?
    public var open: OpenIncidents

    public init(site: IncidentSite, silence: CoveringSilence? = nil, open: OpenIncidents = OpenIncidents()) {
        self.site = site
        self.silence = silence
        self.open = open
    }
}

extension IncidentRules {
    /// Rule 10: a person resolves `incident`. It closes and every tier called is told; if it
    /// is a fire and some of its detectors still sense smoke (`stillSensing`, its own detector
    /// first), a fire opens again at once for them, calling again every tier the resolved one
    /// had called. A detector a silence covers now re-latches as a hidden fire of its own.
    public func resolve(
        _ incident: Incident, by person: String, cause: String, note: String?, at now: Date, stillSensing: [StillSensing] = []
    ) throws(IncidentRefusal) -> [IncidentChange] {
        var resolved = incident
        let actions = try resolved.resolve(by: person, cause: cause, note: note, at: now)
        var changes = [IncidentChange(resolved, actions)]
        guard incident.kind == .fire else { return changes }
        // A detector whose smoke is already recorded in another fire (in front of people, or
        // hidden by a silence that will release it) is not re-latched a second time.
        let stillSensing = stillSensing.filter { ($0.open.fire(orSilenced: true)?.id ?? incident.id) == incident.id }
        let live = stillSensing.filter { $0.silence == nil }.map(\.site)
        let reason = { (devices: [String]) in
            "re-latched: \(devices.joined(separator: ", ")) still sensed smoke when incident \(incident.id) was resolved"
        }
        if let first = live.first {
            let devices = live.map(\.deviceID)
            changes.append(
                opening(
                    .fire, site: first, at: now, reason: reason(devices), silence: nil, members: devices,
                    resuming: incident.called))
        }
        for hidden in stillSensing where hidden.silence != nil {
            changes.append(
                opening(.fire, site: hidden.site, at: now, reason: reason([hidden.site.deviceID]), silence: hidden.silence))
        }
        return changes
    }

    /// Rule 12: the silence that hid `incident` has ended or been lifted. `persists` says
    /// whether what it hid is still true (for a fire, a detector of it still senses smoke; a
    /// maintenance job still open is still true); `stillSilenced` is another silence that
    /// covers the detector now. Nil when nothing changes: what is over stays recorded.
    public func silenceEnded(_ incident: Incident, at now: Date, persists: Bool, stillSilenced: CoveringSilence?)
        -> IncidentChange?
    {
        guard incident.isUnresolved, incident.isSilenced else { return nil }
        var released = incident
        if let silence = stillSilenced {
            let actions = released.release(ladder: ladder, silence: silence, at: now, reason: "")
            return IncidentChange(released, actions)
        }
        guard persists else { return nil }
        let still =
            incident.kind == .fire
            ? "smoke is still sensed at \(incident.site.address.isEmpty ? incident.site.deviceID : incident.site.address)"
            : "the \(incident.kind.rawValue) of \(incident.site.deviceID) is still there"
        let reason = "the silence that hid it ended; \(still)"
        let actions = released.release(ladder: ladder, silence: nil, at: now, reason: reason)
        return IncidentChange(released, actions)
    }
}
