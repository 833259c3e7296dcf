/// When each tier is called for a fire nobody has acknowledged, and how often people are
/// reminded of a fire that is acknowledged but not resolved. Tiers may be left out.
///
/// Copied onto each incident as it opens, so a configuration edit never moves an open fire.
public struct EscalationLadder: Sendable, Equatable {
    public struct Step: Sendable, Equatable {
        public var tier: Tier
        /// Time after the ladder's origin (the opening, or the moment it was re-armed).
        public var after: Duration

        public init(tier: Tier, after: Duration) {
            self.tier = tier
            self.after = after
        }
    }

    /// The steps, ordered by tier.
    public var steps: [Step]
    /// How long a fire may sit acknowledged but unresolved, or open with every tier called,
    /// before the tiers called are reminded (rule 11); also how long an acknowledgement covers
    /// a detector that keeps alarming without clearing (rule 4). Nil: never (maintenance jobs,
    /// and incidents a silence hides).
    public var reminder: Duration?

    public init(steps: [Step], reminder: Duration? = EscalationLadder.standardReminder) {
        self.steps = steps.sorted { $0.tier < $1.tier }
        self.reminder = reminder
    }

    /// Half an hour: a fire acknowledged and left unresolved that long is either over (and
    /// someone forgot to close it) or has outgrown the person on it.
    public static let standardReminder: Duration = .seconds(1_800)

    /// The street's standard: grid at once, community at 3 minutes, street at 10, station at 15.
    public static let standard = EscalationLadder(steps: [
        Step(tier: .grid, after: .zero), Step(tier: .community, after: .seconds(180)),
        Step(tier: .street, after: .seconds(600)), Step(tier: .station, after: .seconds(900)),
    ])

    /// No calls at all: an incident a silence hides.
    public static let nobodyCalled = EscalationLadder(steps: [], reminder: nil)

    /// The steps an incident of `kind` follows under this ladder. A fire follows it whole; a
    /// maintenance job calls the grid at once and is never reminded. A detector the chain
    /// cannot place has no grid or community: the street's command centres are called at
    /// once, and for a fire the station at its offset.
    public func applied(to kind: IncidentKind, placed: Bool) -> EscalationLadder {
        switch (kind, placed) {
        case (.fire, true): self
        case (.fire, false):
            EscalationLadder(
                steps: [.init(tier: .street, after: .zero)] + steps.filter { $0.tier == .station }, reminder: reminder)
        case (_, true): EscalationLadder(steps: [.init(tier: .grid, after: .zero)], reminder: nil)
        case (_, false): EscalationLadder(steps: [.init(tier: .street, after: .zero)], reminder: nil)
        }
    }

    /// The offset of the highest of `tiers` on this ladder (zero if none is on it): where the
    /// ladder's clock stands once those tiers have been called.
    func offset(reached tiers: Set<Tier>) -> Duration {
        steps.filter { tiers.contains($0.tier) }.map(\.after).max() ?? .zero
    }
}
