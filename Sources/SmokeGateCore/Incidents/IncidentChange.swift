import Foundation

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
