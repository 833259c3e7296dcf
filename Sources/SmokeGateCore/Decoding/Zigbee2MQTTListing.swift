/// What the gateway may know of a Zigbee2MQTT friendly name from its bridge's retained device
/// list (`zigbee2mqtt/bridge/devices`), combined with the registry. Given to the decoder through
/// `DecodingContext.zigbeeListing` so that it stays pure.
///
/// Only `otherDevice` changes what the decoder does; everything unclear reads as before,
/// because when in doubt it is a fire.
public enum Zigbee2MQTTListing: Sendable, Equatable {
    /// No device list has arrived from this bridge: every name is heard as before.
    case noDirectory
    /// The bridge's list does not name it (a device paired since, or another publisher):
    /// heard as before, a stranger if the registry does not list it either.
    case unlisted
    /// A smoke detector, a device whose kind cannot be told (not yet interviewed, unsupported),
    /// or a device the registry lists whatever the bridge says.
    case detector
    /// Listed by the bridge as certainly not a smoke detector (a lamp, a door sensor, a plug,
    /// the coordinator, a group), and absent from the registry: its traffic is ignored.
    case otherDevice
}
