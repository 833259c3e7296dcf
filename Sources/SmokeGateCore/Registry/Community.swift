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
