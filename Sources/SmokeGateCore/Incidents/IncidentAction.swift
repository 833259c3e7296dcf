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
