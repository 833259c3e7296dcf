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
