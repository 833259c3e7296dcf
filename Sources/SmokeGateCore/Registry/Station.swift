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
