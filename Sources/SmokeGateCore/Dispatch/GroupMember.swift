/// One detector's job in a group: what its incident is now, and what the unit was last told.
public struct GroupMember: Sendable, Equatable {
    public var incident: Incident
    /// The incident's state in the group's last message; nil if it was never in one.
    public var told: IncidentState?

    public init(incident: Incident, told: IncidentState?) {
        self.incident = incident
        self.told = told
    }

    /// Whether the job still needs someone (open or acknowledged).
    var isOut: Bool { incident.state != .resolved }
    /// Whether the last message listed it as still out.
    var wasToldOut: Bool { told.map { $0 != .resolved } ?? false }
}
