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
