import Foundation

/// One incident: a fire climbing the ladder, or a maintenance job for the grid worker.
///
/// A plain value: the state machine (`Incident+Ladder.swift`) changes it and returns the
/// actions to perform; the store keeps it. The ladder in force when it opened is copied
/// onto it, so a configuration edit never rewrites an open incident.
public struct Incident: Sendable, Equatable {
    /// The store's id; 0 until the incident is first stored.
    public var id: Int64
    public var kind: IncidentKind
    public var state: IncidentState
    public var site: IncidentSite
    /// Every detector that belongs to it: its own first, then those that joined its fire at
    /// the same venue. An event of any of them is news of this incident.
    public var members: [String]
    public var openedAt: Date
    /// Where the ladder's clock starts: each tier falls due this long after it. The opening,
    /// or later when an acknowledged fire is re-armed or a hidden one released (rule 5, 12).
    public var ladderOrigin: Date
    /// When each tier is called while nobody has acknowledged (for maintenance incidents,
    /// the grid at once; for a detector outside the registry, the street at once).
    public var ladder: EscalationLadder
    /// Tiers called so far; a tier is never called twice for one incident.
    public var called: Set<Tier>
    /// When the next tier falls due; nil once nothing more is due.
    public var nextDeadline: Date?
    public var ackedBy: String?
    public var ackedAt: Date?
    public var resolvedBy: String?
    public var resolvedAt: Date?
    /// Why it ended (the operator's cause, or the detector's clear).
    public var cause: String?
    /// The silence that silenced the detector when the incident opened: it is recorded and
    /// listed, but nobody is called.
    public var silencedBy: String?
    /// That silence's id, so its end can release the incident.
    public var silenceID: Int64?

    public init(
        id: Int64 = 0, kind: IncidentKind, state: IncidentState = .open, site: IncidentSite, members: [String]? = nil,
        openedAt: Date, ladderOrigin: Date? = nil, ladder: EscalationLadder, called: Set<Tier> = [], nextDeadline: Date? = nil,
        ackedBy: String? = nil, ackedAt: Date? = nil, resolvedBy: String? = nil, resolvedAt: Date? = nil, cause: String? = nil,
        silence: CoveringSilence? = nil
    ) {
        self.silencedBy = silence?.label
        self.silenceID = silence?.silenceID
        self.id = id
        self.kind = kind
        self.state = state
        self.site = site
        self.members = members ?? [site.deviceID]
        self.openedAt = openedAt
        self.ladderOrigin = ladderOrigin ?? openedAt
        self.ladder = ladder
        self.called = called
        self.nextDeadline = nextDeadline
        self.ackedBy = ackedBy
        self.ackedAt = ackedAt
        self.resolvedBy = resolvedBy
        self.resolvedAt = resolvedAt
        self.cause = cause
    }

    /// The highest tier called so far; the contract's `tier`.
    public var tier: Tier? { called.max() }

    /// Tiers called so far, lowest first: the order acknowledgements are told in.
    public var calledInOrder: [Tier] { Tier.allCases.filter(called.contains) }

    /// Whether the incident is not yet over.
    public var isUnresolved: Bool { state != .resolved }

    /// Whether a silence hides it: recorded and listed, nobody called.
    public var isSilenced: Bool { silencedBy != nil }

    /// The silence hiding it, if any.
    public var silence: CoveringSilence? {
        get { silencedBy.map { CoveringSilence(silenceID: silenceID ?? 0, label: $0) } }
        set {
            silencedBy = newValue?.label
            silenceID = newValue?.silenceID
        }
    }

    /// Whether `device` belongs to it.
    public func hasMember(_ device: String) -> Bool { members.contains(device) }

    /// Tiers of its ladder not yet called.
    public var tiersLeft: [Tier] { ladder.steps.map(\.tier).filter { !called.contains($0) } }
}
