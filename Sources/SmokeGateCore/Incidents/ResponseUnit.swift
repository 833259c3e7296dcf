/// A unit of the chain a tier calls: a grid worker, a community duty desk, a street command
/// centre or a fire-rescue station.
public struct ResponseUnit: Sendable, Equatable {
    public var tier: Tier
    public var id: String
    public var name: String
    public var contacts: [Contact]
    /// The receivers that reach it besides MQTT (`receivers:` in the chain).
    public var receivers: [String]

    public init(tier: Tier, id: String, name: String, contacts: [Contact], receivers: [String] = []) {
        self.tier = tier
        self.id = id
        self.name = name
        self.contacts = contacts
        self.receivers = receivers
    }
}
