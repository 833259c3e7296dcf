import Logging
import SmokeGateCore

/// Reading Zigbee2MQTT bridges' device lists: the one retained message the gateway does not
/// drop at the door, because it is a directory (which devices are smoke detectors), not an
/// event. Live updates of the list, not retained when forwarded, are read the same way.
extension IngestPipeline {
    /// Payloads above this are not read as a device list (a bridge of a few hundred devices
    /// with full definitions stays well under it).
    static let maximumDeviceListBytes = 16 * 1024 * 1024

    /// Takes `message` into the bridge directory if it is a Zigbee2MQTT bridge's device or
    /// group list; returns whether it was one (and so needs nothing more).
    func absorbsBridgeList(_ message: RawMessage) -> Bool {
        guard
            message.topic.hasSuffix("/" + Zigbee2MQTTTopic.deviceList)
                || message.topic.hasSuffix("/" + Zigbee2MQTTTopic.groupList),
            let (format, captured) = normalizer.route(message.topic), format == .zigbee2mqtt, let captured,
            captured == Zigbee2MQTTTopic.deviceList || captured == Zigbee2MQTTTopic.groupList
        else { return false }
        let bridge = Zigbee2MQTTDecoder.bridge(of: message.topic, captured: captured)
        memory.ignore(format: format, retained: message.retained)
        guard message.payload.count <= Self.maximumDeviceListBytes else {
            logger.warning(
                "Zigbee2MQTT bridge list too large to read; its devices are heard as before",
                metadata: ["topic": "\(message.topic)", "bytes": "\(message.payload.count)"])
            return true
        }
        do throws(Rejection) {
            if captured == Zigbee2MQTTTopic.groupList {
                let groups = try Zigbee2MQTTDeviceList(groupsPayload: message.payload)
                bridgeDirectory.replaceGroups(of: bridge, with: groups)
                logger.info(
                    "read a Zigbee2MQTT group list", metadata: ["bridge": "\(bridge)", "groups": "\(groups.kinds.count)"])
                return true
            }
            let list = try Zigbee2MQTTDeviceList(payload: message.payload)
            bridgeDirectory.replaceDevices(of: bridge, with: list)
            let detectors = list.kinds.values.filter { $0 != .otherDevice }.count
            logger.info(
                "read a Zigbee2MQTT device list",
                metadata: ["bridge": "\(bridge)", "devices": "\(list.kinds.count)", "detectors": "\(detectors)"])
            let registry = live.configuration.devices
            for (name, kind) in list.kinds where kind == .otherDevice && registry.position(of: name) != nil {
                logger.warning(
                    "the Zigbee2MQTT bridge lists a registered device as no smoke detector; it is still heard as one",
                    metadata: ["bridge": "\(bridge)", "device": "\(name)"])
            }
        } catch {
            // A list the gateway cannot read leaves the last one in force.
            logger.warning(
                "unreadable Zigbee2MQTT bridge list; the last one read stays in force",
                metadata: ["topic": "\(message.topic)", "reason": "\(error)"])
        }
        return true
    }

    /// What the decoder is told of a friendly name: the bridge directory's word, except that a
    /// registered device is always a detector.
    func zigbeeListing(bridge: String, friendlyName: String) -> Zigbee2MQTTListing {
        guard let kind = bridgeDirectory.kind(of: friendlyName, on: bridge) else { return .noDirectory }
        switch kind {
        case nil: return .unlisted
        case .smokeDetector?, .undetermined?: return .detector
        case .otherDevice?: return live.configuration.devices.position(of: friendlyName) == nil ? .otherDevice : .detector
        }
    }
}
