import Foundation
import SmokeGateCore

/// One message sent to one tier about one incident, at a time in seconds after the start.
/// Two calls are equal by time, tier, action and incident; the reason is for reading.
public struct RulebookCall: Equatable, CustomStringConvertible, Sendable {
    public var at: TimeInterval
    public var tier: Tier
    public var action: DispatchAction
    public var incident: Int64
    public var reason: String

    public init(at: TimeInterval, tier: Tier, action: DispatchAction, incident: Int64, reason: String = "") {
        self.at = at
        self.tier = tier
        self.action = action
        self.incident = incident
        self.reason = reason
    }

    public static func == (lhs: RulebookCall, rhs: RulebookCall) -> Bool {
        abs(lhs.at - rhs.at) < 0.001 && lhs.tier == rhs.tier && lhs.action == rhs.action && lhs.incident == rhs.incident
    }

    /// Whether the ladder's clock made it remind people, rather than call a tier for the first time.
    public var isReminder: Bool { reason.hasPrefix("reminder:") }

    public var description: String { "\(action.rawValue) \(tier.rawValue) at \(at)s (incident \(incident)): \(reason)" }
}
