import SmokeGateCore
import Synchronization

/// The device and group lists of each Zigbee2MQTT bridge the gateway hears, by base topic
/// (`zigbee2mqtt`), kept in memory and replaced whole whenever the bridge publishes a new one.
///
/// Not stored: the bridge publishes its lists retained, so the broker gives them again at
/// every (re)subscription. Until a bridge's device list arrives, its devices are heard as
/// before (`Zigbee2MQTTListing.noDirectory`).
final class BridgeDirectory: Sendable {
    private struct Lists {
        var devices: Zigbee2MQTTDeviceList?
        var groups = Zigbee2MQTTDeviceList()
    }

    private let bridges = Mutex<[String: Lists]>([:])

    /// Replaces `bridge`'s device list.
    func replaceDevices(of bridge: String, with list: Zigbee2MQTTDeviceList) {
        bridges.withLock { $0[bridge, default: Lists()].devices = list }
    }

    /// Replaces `bridge`'s group list.
    func replaceGroups(of bridge: String, with list: Zigbee2MQTTDeviceList) {
        bridges.withLock { $0[bridge, default: Lists()].groups = list }
    }

    /// What `bridge`'s lists say of `friendlyName`: nil when no device list has arrived from
    /// it; otherwise the device's kind, `.otherDevice` for a group, and nil inside for a name
    /// neither list has.
    func kind(of friendlyName: String, on bridge: String) -> Zigbee2MQTTDeviceList.Kind?? {
        bridges.withLock { bridges -> Zigbee2MQTTDeviceList.Kind?? in
            guard let lists = bridges[bridge], let devices = lists.devices else { return nil }
            return .some(devices.kind(of: friendlyName) ?? lists.groups.kind(of: friendlyName))
        }
    }
}
