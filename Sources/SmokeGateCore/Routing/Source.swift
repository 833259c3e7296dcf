/// A configured source: which topics carry which payload format.
public struct Source: Sendable, Hashable {
    public var filter: TopicFilter
    public var format: PayloadFormat

    public init(filter: TopicFilter, format: PayloadFormat) {
        self.filter = filter
        self.format = format
    }

    /// The filters to subscribe to for this source. A Zigbee2MQTT source is always
    /// subscribed down to every level (`zigbee2mqtt/#`): friendly names may contain `/`, the
    /// availability reports lie one level below a device's topic, and the bridge's device list
    /// is under `bridge/`. A configured `zigbee2mqtt/+` is read as `zigbee2mqtt/#` (the
    /// configuration loader warns), because an operator who wrote it meant "every device".
    public var subscriptions: [String] {
        [zigbeeUpgrade ?? filter.text]
    }

    /// For a Zigbee2MQTT source whose only wildcard is a last `+`, that filter with `#` in its
    /// place; nil otherwise.
    public var zigbeeUpgrade: String? {
        guard format == .zigbee2mqtt, filter.text.hasSuffix("/+") else { return nil }
        let prefix = filter.text.dropLast()
        guard !prefix.contains("+"), !prefix.contains("#") else { return nil }
        return prefix + "#"
    }
}
