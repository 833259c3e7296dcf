/// Who is where: the response chain and the device registry, to turn a detector into an
/// incident site and a tier into the units to call.
public struct ResponseDirectory: Sendable {
    public let chain: ResponseChain
    /// Shared with the configuration, not copied: the registry is looked up in place.
    public let devices: DeviceRegistry

    public init(chain: ResponseChain, devices: DeviceRegistry) {
        self.chain = chain
        self.devices = devices
    }

    /// The registered detector `id`, if the registry lists it.
    public func device(_ id: String) -> RegisteredDevice? {
        devices.device(id)
    }

    /// Where detector `id` is. A detector absent from the registry, or listed under a grid the
    /// chain lacks, has a site without a grid: its incidents go to every street.
    public func site(of id: String) -> IncidentSite {
        guard let device = devices.device(id) else { return IncidentSite(deviceID: id) }
        let placement = chain.placement(ofGrid: device.gridID)
        return IncidentSite(
            deviceID: id, address: device.address, venue: device.venue, venueType: device.venueType,
            gridID: placement?.grid.id, communityID: placement?.community.id, streetID: placement?.street.id)
    }

    /// The units `tier` reaches for an incident at `site`. For a site without a grid, the
    /// street tier is every street's command centre and the station tier every station.
    public func units(_ tier: Tier, for site: IncidentSite) -> [ResponseUnit] {
        guard let gridID = site.gridID, let placement = chain.placement(ofGrid: gridID) else {
            switch tier {
            case .street:
                return chain.streets.map {
                    ResponseUnit(tier: .street, id: $0.id, name: $0.name, contacts: $0.contacts, receivers: $0.receivers)
                }
            case .station:
                return chain.stations.map {
                    ResponseUnit(tier: .station, id: $0.id, name: $0.name, contacts: $0.contacts, receivers: $0.receivers)
                }
            case .grid, .community: return []
            }
        }
        switch tier {
        case .grid:
            return [
                ResponseUnit(
                    tier: .grid, id: placement.grid.id, name: placement.grid.name, contacts: placement.grid.contacts,
                    receivers: placement.grid.receivers)
            ]
        case .community:
            let community = placement.community
            return [
                ResponseUnit(
                    tier: .community, id: community.id, name: community.name, contacts: community.contacts,
                    receivers: community.receivers)
            ]
        case .street:
            let street = placement.street
            return [
                ResponseUnit(
                    tier: .street, id: street.id, name: street.name, contacts: street.contacts, receivers: street.receivers)
            ]
        case .station:
            return placement.station.map {
                [ResponseUnit(tier: .station, id: $0.id, name: $0.name, contacts: $0.contacts, receivers: $0.receivers)]
            } ?? []
        }
    }

    /// The evacuation circle of the site's grid, if it has one.
    public func evacuation(for site: IncidentSite) -> Evacuation? {
        site.gridID.flatMap { chain.placement(ofGrid: $0) }?.grid.evacuation
    }
}
