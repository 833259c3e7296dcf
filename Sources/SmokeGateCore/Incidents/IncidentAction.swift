import Foundation

/// What the incident state machine asks its caller to do; the caller (the store) performs
/// these in the same transaction as the state change.
public enum IncidentAction: Sendable, Equatable {
    /// Add a line to the timeline.
    case record(TimelineEntry)
    /// Send `action` to every unit of `tier`: a call (`notify`), or telling a tier already
    /// called that the incident was acknowledged or resolved.
    case dispatch(tier: Tier, action: DispatchAction, reason: String)
    /// Wake for this incident at this time; nil: nothing more is due.
    case schedule(Date?)
}

/// Why an operation on an incident was refused, in words an operator can act on.
public struct IncidentRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    public var incidentID: Int64
    public var message: String

    public init(incidentID: Int64, message: String) {
        self.incidentID = incidentID
        self.message = message
    }

    public var description: String { "incident \(incidentID): \(message)" }
}
