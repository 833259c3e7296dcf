import Foundation
import SmokeGateCore
import Testing

/// The rulebook's timelines; `minute` and the helpers keep them readable as timelines.
public enum RulebookTimelines {
    static let minute: TimeInterval = 60

    static func call(_ action: DispatchAction, _ tier: Tier, at seconds: TimeInterval, incident: Int64 = 1) -> RulebookCall {
        RulebookCall(at: seconds, tier: tier, action: action, incident: incident)
    }

    static func notify(_ tiers: [Tier], at seconds: TimeInterval, incident: Int64 = 1) -> [RulebookCall] {
        tiers.map { call(.notify, $0, at: seconds, incident: incident) }
    }

    /// Calls made at or after `seconds`.
    static func calls(_ desk: any RulebookDesk, from seconds: TimeInterval) -> [RulebookCall] {
        desk.calls.filter { $0.at >= seconds - 0.001 }
    }

    public static let all: [RulebookTimeline] = fires + answers + silences + maintenance
}
