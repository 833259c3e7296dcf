/// Where an incident happens: the detector, its place in the registry, and the units above
/// it. Copied onto the incident when it opens, so that a registry edit never moves it.
public struct IncidentSite: Sendable, Equatable {
    public var deviceID: String
    public var address: String
    public var venue: String
    public var venueType: String
    /// The grid, community and street ids; nil for a detector absent from the registry (or
    /// listed under a grid the chain does not have).
    public var gridID: String?
    public var communityID: String?
    public var streetID: String?

    public init(
        deviceID: String, address: String = "", venue: String = "", venueType: String = "", gridID: String? = nil,
        communityID: String? = nil, streetID: String? = nil
    ) {
        self.deviceID = deviceID
        self.address = address
        self.venue = venue
        self.venueType = venueType
        self.gridID = gridID
        self.communityID = communityID
        self.streetID = streetID
    }

    /// Whether the chain knows where this detector is.
    public var isPlaced: Bool { gridID != nil }

    /// What makes two detectors "the same venue": the venue's name within one grid. Nil
    /// where the registry names no venue or the detector is not placed.
    public var venueKey: String? {
        guard let gridID, !venue.isEmpty else { return nil }
        return gridID + "/" + venue
    }
}
