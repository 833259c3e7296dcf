/// Where an incident is in its life: open → acknowledged → resolved.
public enum IncidentState: String, Sendable, CaseIterable, Codable {
    /// Nobody has answered: a fire keeps climbing the ladder.
    case open
    /// Someone is on it: the ladder has stopped, the incident is not yet over.
    case acknowledged
    /// Over, with a cause; nothing more is sent for it.
    case resolved
}
