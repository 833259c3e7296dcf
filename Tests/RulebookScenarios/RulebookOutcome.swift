import Foundation
import SmokeGateCore

/// What one step came to, for comparing two desks.
public enum RulebookOutcome: Equatable, Sendable {
    case done
    case relatched([Int64])
    case refused
    case skipped
}
