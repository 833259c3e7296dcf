import Foundation

/// What a batch of incident changes left behind, so the daemon knows whom to wake.
public struct IncidentEffects: Sendable, Equatable {
    /// Incidents opened.
    public var opened = 0
    /// Notifications written to the outbox.
    public var notifications = 0
    /// The earliest deadline set, if any.
    public var earliestDeadline: Date?
    /// The outbox rows written, by id: the daemon follows an alarm's calls to their PUBACK
    /// with them (its stage timings, `/metrics`).
    public var calls: [Int64]
    /// The first calls of fires this change opened, which the daemon publishes at once.
    public var firstFireCalls: [FirstFireCall]

    public init(
        opened: Int = 0, notifications: Int = 0, earliestDeadline: Date? = nil, calls: [Int64] = [],
        firstFireCalls: [FirstFireCall] = []
    ) {
        self.opened = opened
        self.notifications = notifications
        self.earliestDeadline = earliestDeadline
        self.calls = calls
        self.firstFireCalls = firstFireCalls
    }

    public mutating func merge(_ other: IncidentEffects) {
        opened += other.opened
        notifications += other.notifications
        calls += other.calls
        firstFireCalls += other.firstFireCalls
        if let deadline = other.earliestDeadline { earliestDeadline = min(earliestDeadline ?? deadline, deadline) }
    }

    /// Whether anything happened that a scheduler or dispatcher must see.
    public var isEmpty: Bool { opened == 0 && notifications == 0 && earliestDeadline == nil }
}
