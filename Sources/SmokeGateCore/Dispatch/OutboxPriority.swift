/// Where a call waits in the outbox (field rule 7, "fires first"): everything about a fire
/// goes to the broker before any maintenance message, whatever was written first, so a storm
/// of offline or low-battery calls never holds a fire's grid call. Within one priority the
/// outbox is first in, first out. Every writer of outbox rows sets it (a row that does not is
/// treated as a fire's: a forgotten priority may slow a fire's neighbours, never a fire).
public enum OutboxPriority: Int, Sendable, Comparable, CaseIterable {
    /// A fire's calls and the `ack` and `resolve` notices that follow them: the people called
    /// to a fire must hear that it is acknowledged or over as soon as they heard of it.
    case fire = 0
    /// Maintenance jobs (fault, tamper, low battery, offline), alone or grouped per grid.
    case maintenance = 1

    /// The priority of every message about an incident of `kind`.
    public init(kind: IncidentKind) {
        self = kind == .fire ? .fire : .maintenance
    }

    public static func < (lhs: OutboxPriority, rhs: OutboxPriority) -> Bool { lhs.rawValue < rhs.rawValue }
}
