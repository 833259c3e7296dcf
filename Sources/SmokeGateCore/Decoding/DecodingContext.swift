/// What a decoder may ask of the gateway about detectors it has heard before: kept apart
/// from the payload so that the decoders stay pure (no registry, no memory, no clock).
public struct DecodingContext: Sendable {
    /// What the gateway last knew of a device, for formats whose events are changes between
    /// states (Zigbee2MQTT) or whose "normal" ends an alarm (CTWing).
    public var condition: @Sendable (String) -> DeviceCondition
    /// The registry's device for a platform's own device id (`devices.csv`'s `platform_id`),
    /// for pushes that name only that id (CTWing's `deviceOnlineOfflineReport`).
    public var deviceForPlatformID: @Sendable (String) -> String?
    /// What a Zigbee2MQTT bridge (its base topic, `zigbee2mqtt`) has said of a friendly name
    /// in its retained device list, so that lamps and door sensors on the same bridge are not
    /// taken for unregistered detectors. `.noDirectory` (as before) unless the gateway has one.
    public var zigbeeListing: @Sendable (_ bridge: String, _ friendlyName: String) -> Zigbee2MQTTListing

    public init(
        condition: @escaping @Sendable (String) -> DeviceCondition = { _ in [] },
        deviceForPlatformID: @escaping @Sendable (String) -> String? = { _ in nil },
        zigbeeListing: @escaping @Sendable (_ bridge: String, _ friendlyName: String) -> Zigbee2MQTTListing = { _, _ in
            .noDirectory
        }
    ) {
        self.condition = condition
        self.deviceForPlatformID = deviceForPlatformID
        self.zigbeeListing = zigbeeListing
    }
}
