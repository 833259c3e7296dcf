/// The payload formats the daemon understands, named as in the configuration.
public enum PayloadFormat: String, Sendable, CaseIterable, Codable {
    /// SmokeGate's own JSON on `smokegate/detectors/{id}/event`.
    case native
    /// Zigbee2MQTT device state on `zigbee2mqtt/{friendly_name}`.
    case zigbee2mqtt
    /// China Telecom AEP (CTWing) NB-IoT subscription push (over HTTP, or relayed to a topic).
    case ctwing
    /// China Mobile OneNET data push (HTTP only).
    case onenet
    /// Huawei IoTDA data forwarding (HTTP only).
    case iotda

    /// Whether the format only arrives as a platform's HTTP push, never on a topic.
    public var isPushOnly: Bool { self == .onenet || self == .iotda }
}
