import Foundation

/// What a batch of incident changes left behind, so the daemon knows whom to wake.
public struct IncidentEffects: Sendable, Equatable {
    /// Incidents opened.
    public var opened = 0
    /// Notifications written to the outbox.
    public var notifications = 0
    /// The earliest deadline set, if any.
    public var earliestDeadline: Date?

    public init(opened: Int = 0, notifications: Int = 0, earliestDeadline: Date? = nil) {
        self.opened = opened
        self.notifications = notifications
        self.earliestDeadline = earliestDeadline
    }

    public mutating func merge(_ other: IncidentEffects) {
        opened += other.opened
        notifications += other.notifications
        if let deadline = other.earliestDeadline { earliestDeadline = min(earliestDeadline ?? deadline, deadline) }
    }

    /// Whether anything happened that a scheduler or dispatcher must see.
    public var isEmpty: Bool { opened == 0 && notifications == 0 && earliestDeadline == nil }
}
