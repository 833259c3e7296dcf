import Foundation

/// How maintenance calls are grouped, as an alerting system groups alerts but for a response
/// chain (field rule 6, "No storms"): the calls of maintenance jobs (`offline`, `fault`,
/// `tamper`, `low_battery`) for one unit and one kind become one message listing the
/// detectors, updated while the group changes, and one message when they have all returned.
///
/// A bridge, a site network or the detectors' TLS certificate failing takes hundreds of
/// detectors of a grid silent at once; one page per detector is a storm its grid worker
/// learns to ignore, and one resolve per detector another. Fires are never grouped: each
/// fire's calls go out at once, on its own (field rule 7).
public struct DispatchGrouping: Sendable, Equatable {
    /// How long the first change of a quiet group waits for others that come with it, and how
    /// long a group whose detectors have all returned waits before saying so.
    public var wait: TimeInterval
    /// The least time between two messages of one group while it changes (its opening and
    /// closing messages wait only `wait`).
    public var interval: TimeInterval

    public static let standardWait: TimeInterval = 2
    public static let standardInterval: TimeInterval = 60

    public init(wait: TimeInterval = standardWait, interval: TimeInterval = standardInterval) {
        self.wait = wait
        self.interval = interval
    }

    /// Whether the calls of `incident` are grouped: maintenance jobs are, fires never.
    public func groups(_ incident: Incident) -> Bool { incident.kind != .fire }

    /// When a group's next message is due after one of its detectors changed at `now`.
    /// `pending` is the due time already set, if any; `toldOpen` whether its last message
    /// listed detectors still out; `stillOpen` whether any are out now; `lastSent` when its last
    /// message went.
    public func due(pending: Date?, toldOpen: Bool, stillOpen: Bool, lastSent: Date?, at now: Date) -> Date {
        let soon = now.addingTimeInterval(wait)
        // The opening message, and the one saying all have returned, wait only to gather.
        if !toldOpen || !stillOpen { return min(pending ?? soon, soon) }
        // An update (also one that was to say all had returned, until another detector came):
        // at most one per interval.
        return max(pending ?? soon, lastSent.map { $0.addingTimeInterval(interval) } ?? soon)
    }
}
