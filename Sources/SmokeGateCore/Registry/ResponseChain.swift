/// The whole chain of one deployment: stations, streets, communities, grids.
public struct ResponseChain: Sendable, Equatable {
    public var stations: [Station]
    public var streets: [Street]

    /// Where a grid sits: the units above it, resolved once.
    public struct Placement: Sendable, Equatable {
        public var grid: Grid
        public var community: Community
        public var street: Street
        public var station: Station?
    }

    private var placements: [String: Placement]

    public init(stations: [Station], streets: [Street]) {
        self.stations = stations
        self.streets = streets
        var placements: [String: Placement] = [:]
        for street in streets {
            let station = stations.first { $0.id == street.stationID }
            for community in street.communities {
                for grid in community.grids where placements[grid.id] == nil {
                    placements[grid.id] = Placement(grid: grid, community: community, street: street, station: station)
                }
            }
        }
        self.placements = placements
    }

    /// The grid `id` with the units above it, or nil if the chain has no such grid.
    public func placement(ofGrid id: String) -> Placement? {
        placements[id]
    }

    public var gridCount: Int { placements.count }

    public static func == (lhs: ResponseChain, rhs: ResponseChain) -> Bool {
        lhs.stations == rhs.stations && lhs.streets == rhs.streets
    }
}
