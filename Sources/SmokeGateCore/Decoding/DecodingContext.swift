/// What a decoder may ask of the gateway about detectors it has heard before: kept apart
/// from the payload so that the decoders stay pure (no registry, no memory, no clock).
public struct DecodingContext: Sendable {
    /// What the gateway last knew of a device, for formats whose events are changes between
    /// states (Zigbee2MQTT) or whose "normal" ends an alarm (CTWing).
    public var condition: @Sendable (String) -> DeviceCondition
    /// The registry's device for a platform's own device id (`devices.csv`'s `platform_id`),
    /// for pushes that name only that id (CTWing's `deviceOnlineOfflineReport`).
    public var deviceForPlatformID: @Sendable (String) -> String?

    public init(
        condition: @escaping @Sendable (String) -> DeviceCondition = { _ in [] },
        deviceForPlatformID: @escaping @Sendable (String) -> String? = { _ in nil }
    ) {
        self.condition = condition
        self.deviceForPlatformID = deviceForPlatformID
    }
}
