/// The levels of the street's response chain, in the order a fire climbs them.
public enum Tier: String, Sendable, CaseIterable, Codable, Comparable {
    /// 网格: the grid worker, called at once.
    case grid
    /// 社区: the community duty desk.
    case community
    /// 街道: the street's 24/7 command centre.
    case street
    /// 消防救援站: the fire-rescue station.
    case station

    public static func < (lhs: Tier, rhs: Tier) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// When each tier is called for a fire nobody has acknowledged. Tiers may be left out.
public struct EscalationLadder: Sendable, Equatable {
    public struct Step: Sendable, Equatable {
        public var tier: Tier
        /// Time after the incident opened.
        public var after: Duration

        public init(tier: Tier, after: Duration) {
            self.tier = tier
            self.after = after
        }
    }

    /// The steps, ordered by tier.
    public var steps: [Step]

    public init(steps: [Step]) {
        self.steps = steps.sorted { $0.tier < $1.tier }
    }

    /// The street's standard: grid at once, community at 3 minutes, street at 10, station at 15.
    public static let standard = EscalationLadder(steps: [
        Step(tier: .grid, after: .zero), Step(tier: .community, after: .seconds(180)),
        Step(tier: .street, after: .seconds(600)), Step(tier: .station, after: .seconds(900)),
    ])
}
