import Foundation
import GRDB

/// What a wall-clock step moved in the database.
public struct ShiftedSchedules: Sendable, Equatable {
    /// Unresolved incidents whose ladder origin (and next deadline, if any) moved.
    public var incidents: Int
    /// Notifications not yet sent whose next attempt moved.
    public var notifications: Int
}
