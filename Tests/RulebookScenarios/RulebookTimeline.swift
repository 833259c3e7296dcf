import Foundation
import SmokeGateCore
import Testing

/// One rule of `IncidentRules`, pinned as a timeline: "alarm at 0, grid called at 0, …".
/// Each runs against every implementation of the rules (`RulebookDesk`).
public struct RulebookTimeline: Sendable, CustomTestStringConvertible {
    public var name: String
    public var ladder: EscalationLadder
    public var run: @Sendable (inout any RulebookDesk) throws -> Void

    public init(
        _ name: String, ladder: EscalationLadder = .standard, _ run: @escaping @Sendable (inout any RulebookDesk) throws -> Void
    ) {
        self.name = name
        self.ladder = ladder
        self.run = run
    }

    public var testDescription: String { name }
}
