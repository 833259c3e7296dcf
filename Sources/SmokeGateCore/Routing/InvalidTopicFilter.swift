/// A subscription filter that MQTT would refuse.
public struct InvalidTopicFilter: Error, Sendable, CustomStringConvertible {
    public let filter: String
    public let reason: String
    public var description: String { "topic filter '\(filter)' is invalid: \(reason)" }
}
