/// What a topic under a Zigbee2MQTT base topic is, read from the part after the base
/// (`kitchen/smoke`, `kitchen/smoke/availability`, `bridge/devices`, `lamp/set/state`).
///
/// Friendly names may contain `/`, so a source subscribes to `zigbee2mqtt/#` and the topic's
/// shape, not its level count, tells a device's state from the bridge's own topics and from
/// commands other clients send to devices.
public enum Zigbee2MQTTTopic: Sendable, Equatable {
    /// `bridge` or `bridge/...`: the bridge's own state, lists, logs, requests and responses.
    case bridge(String)
    /// `{name}/set`, `{name}/get`, `{name}/set/{attribute}`, `{name}/{endpoint}/set`: a
    /// command to a device, published by another client, never a report.
    case command
    /// `{name}/availability`: the coordinator's word on whether the device is reachable.
    case availability(String)
    /// `{name}`: the device's whole state.
    case state(String)

    /// Classifies `rest`, the topic without its base and the `/` after it.
    public init(_ rest: String) {
        if rest == "bridge" || rest.hasPrefix("bridge/") {
            self = .bridge(rest)
            return
        }
        let levels = rest.split(separator: "/", omittingEmptySubsequences: false)
        // A command's `set`/`get` level comes after the name (and an endpoint), never first.
        if levels.dropFirst().contains(where: { $0 == "set" || $0 == "get" }) {
            self = .command
            return
        }
        if levels.count > 1, levels.last == "availability" {
            self = .availability(String(rest.dropLast("/availability".count)))
            return
        }
        self = .state(rest)
    }

    /// The topic of the bridge's retained device list, relative to the base topic.
    public static let deviceList = "bridge/devices"
    /// The topic of the bridge's retained group list, relative to the base topic.
    public static let groupList = "bridge/groups"
}
