import Foundation
import SmokeGateCore

/// Incidents as the CLI prints them: the contract's JSON fields, and the words of the tables.
enum IncidentOutput {
    /// The contract's incident object, plus where it is, who resolved it and why, and what is
    /// due next.
    static func object(_ incident: Incident) -> [String: Any] {
        let site = incident.site
        return [
            "id": incident.id, "kind": incident.kind.rawValue, "state": incident.state.rawValue, "device": site.deviceID,
            "grid": JSONOutput.optional(site.gridID), "community": JSONOutput.optional(site.communityID),
            "street": JSONOutput.optional(site.streetID), "address": site.address, "venue": site.venue,
            "opened_at": RFC3339.format(incident.openedAt), "tier": JSONOutput.optional(incident.tier?.rawValue),
            "tiers_called": incident.calledInOrder.map(\.rawValue),
            "next_tier": JSONOutput.optional(nextTier(incident)?.rawValue),
            "next_call_at": JSONOutput.time(incident.nextDeadline), "acked_by": JSONOutput.optional(incident.ackedBy),
            "acked_at": JSONOutput.time(incident.ackedAt), "resolved_by": JSONOutput.optional(incident.resolvedBy),
            "resolved_at": JSONOutput.time(incident.resolvedAt), "cause": JSONOutput.optional(incident.cause),
            "silenced_by": JSONOutput.optional(incident.silencedBy),
            // The same, under its name before the vocabulary was settled; dropped in a later release.
            "shielded": JSONOutput.optional(incident.silencedBy),
        ]
    }

    /// One timeline line: `{at, action, tier?, by?, note?}`, plus the account that ran a
    /// person's command and the channel a person's line came by (`cli`, `link`, `sms`).
    static func object(_ entry: TimelineEntry, osUser: String?) -> [String: Any] {
        var object: [String: Any] = ["at": RFC3339.format(entry.at), "action": entry.action.rawValue]
        if let tier = entry.tier { object["tier"] = tier.rawValue }
        if let by = entry.by { object["by"] = by }
        if let note = entry.note { object["note"] = note }
        if let osUser { object["os_user"] = osUser }
        if let channel = entry.channel { object["channel"] = channel }
        return object
    }

    /// The tier the ladder calls next, if one is due.
    static func nextTier(_ incident: Incident) -> Tier? {
        guard let deadline = incident.nextDeadline else { return nil }
        return incident.ladder.steps.first {
            !incident.called.contains($0.tier) && incident.openedAt.addingTimeInterval($0.after.secondsValue) == deadline
        }?.tier
    }

    /// "community in 2m10s", or "-" when nothing more is due.
    static func next(_ incident: Incident, now: Date) -> String {
        guard let deadline = incident.nextDeadline, let tier = nextTier(incident) else { return "-" }
        let seconds = max(0, Int(deadline.timeIntervalSince(now).rounded(.up)))
        let wait = seconds < 60 ? "\(seconds)s" : "\(seconds / 60)m\(String(format: "%02d", seconds % 60))s"
        return "\(tier.rawValue) in \(wait)"
    }
}
