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
