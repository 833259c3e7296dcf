import Foundation

/// How maintenance calls are grouped, as an alerting system groups alerts but for a response
/// chain (field rule 6, "No storms"): the calls of maintenance jobs (`offline`, `fault`,
/// `tamper`, `low_battery`) for one unit and one kind become one message listing the
/// detectors, updated while the group changes, and one message when they have all returned.
///
/// A bridge, a site network or the detectors' TLS certificate failing takes hundreds of
/// detectors of a grid offline at once; one page per detector is a storm its grid worker
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

    /// Fires of detectors the chain cannot place (strangers, mostly) opened within
    /// `floodWindow` before a further one is grouped: a flood of invented ids must not page
    /// every street once per id, yet the first few are called at once, each on its own.
    public static let floodThreshold = 3
    public static let floodWindow: TimeInterval = 60
    /// A flood's fire group gathers for a second and is updated at most every ten: fires first.
    static let floodWait: TimeInterval = 1
    static let floodInterval: TimeInterval = 10

    /// Whether the calls of `incident` are grouped: maintenance jobs always; a fire only when
    /// the chain cannot place its detector and either it is already in a group (`inGroup`) or
    /// more than `floodThreshold` such fires opened within `floodWindow`
    /// (`unplacedFiresRecently`, this one included). A placed detector's fire never.
    public func groups(
        _ incident: Incident, inGroup: () throws -> Bool, unplacedFiresRecently: () throws -> Int
    ) rethrows -> Bool {
        guard incident.kind == .fire else { return true }
        guard !incident.site.isPlaced else { return false }
        return try inGroup() || unplacedFiresRecently() > Self.floodThreshold
    }

    /// The timing for a group of `kind`: a flood of fires is told far sooner than maintenance.
    public func timing(for kind: IncidentKind) -> DispatchGrouping {
        kind == .fire ? DispatchGrouping(wait: Self.floodWait, interval: Self.floodInterval) : self
    }

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
