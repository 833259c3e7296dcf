/// Someone a tier calls: a duty desk or a named person.
public struct Contact: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var phone: String

    public init(id: String, name: String, phone: String) {
        self.id = id
        self.name = name
        self.phone = phone
    }
}

/// A grid's evacuation circle: where people go and how rescuers get in.
public struct Evacuation: Sendable, Equatable, Codable {
    public var direction: String
    public var shelter: String
    public var rescueRoute: String

    public init(direction: String, shelter: String, rescueRoute: String) {
        self.direction = direction
        self.shelter = shelter
        self.rescueRoute = rescueRoute
    }

    enum CodingKeys: String, CodingKey {
        case direction, shelter
        case rescueRoute = "rescue_route"
    }
}

/// 消防救援站: the fire-rescue station a street calls last.
public struct Station: Sendable, Equatable {
    public var id: String
    public var name: String
    public var contacts: [Contact]

    /// The receivers (`receivers:` names) that reach its people besides MQTT.
    public var receivers: [String]

    public init(id: String, name: String, contacts: [Contact], receivers: [String] = []) {
        self.id = id
        self.name = name
        self.contacts = contacts
        self.receivers = receivers
    }
}

/// 网格: one grid worker's patch.
public struct Grid: Sendable, Equatable {
    public var id: String
    public var name: String
    public var contacts: [Contact]
    public var evacuation: Evacuation?

    /// The receivers (`receivers:` names) that reach its grid worker besides MQTT.
    public var receivers: [String]

    public init(id: String, name: String, contacts: [Contact], evacuation: Evacuation?, receivers: [String] = []) {
        self.id = id
        self.name = name
        self.contacts = contacts
        self.evacuation = evacuation
        self.receivers = receivers
    }
}

/// 社区: a community and its grids.
public struct Community: Sendable, Equatable {
    public var id: String
    public var name: String
    public var contacts: [Contact]
    public var grids: [Grid]

    /// The receivers (`receivers:` names) that reach its duty desk besides MQTT.
    public var receivers: [String]

    public init(id: String, name: String, contacts: [Contact], grids: [Grid], receivers: [String] = []) {
        self.id = id
        self.name = name
        self.contacts = contacts
        self.grids = grids
        self.receivers = receivers
    }
}

/// 街道: a street's command centre, its communities and the station it calls.
public struct Street: Sendable, Equatable {
    public var id: String
    public var name: String
    public var stationID: String
    public var contacts: [Contact]
    public var communities: [Community]

    /// The receivers (`receivers:` names) that reach its command centre besides MQTT.
    public var receivers: [String]

    public init(
        id: String, name: String, stationID: String, contacts: [Contact], communities: [Community], receivers: [String] = []
    ) {
        self.id = id
        self.name = name
        self.stationID = stationID
        self.contacts = contacts
        self.communities = communities
        self.receivers = receivers
    }
}
