/// Which messages the gateway may set aside for a worker thread, unacknowledged by nothing.
///
/// A QoS 0 message has no acknowledgement to hold back, so the gateway may take it off the
/// socket and decode it later; but a message held in memory is lost if the daemon is killed.
/// So only a message that certainly cannot open an incident is set aside; one that might (an
/// alarm, a fault, tamper, a low battery, an offline report) is committed before the next
/// message is read, whatever its QoS. The test is conservative: anything unclear is "might".
extension MessageNormalizer {
    /// Whether `message` certainly opens no incident, whatever the detector's condition. Cheap
    /// enough for the network thread: one pass over the bytes, nothing allocated (`RoutineScan`).
    public func cannotOpenIncident(_ message: RawMessage) -> Bool {
        guard message.payload.count <= Self.maximumPayloadBytes, let (format, _) = route(message.topic) else { return true }
        return message.payload.withUnsafeBytes { bytes in
            switch format {
            case .native:
                return RoutineScan.isNativeHeartbeat(bytes)
            case .ctwing:
                return RoutineScan.isNormalCTWing(bytes)
            case .zigbee2mqtt where message.topic.hasSuffix("/availability"):
                // "online" or {"state":"online"}: anything that says offline might open a job.
                return !String(decoding: bytes, as: UTF8.self).lowercased().contains("offline")
            case .onenet, .iotda:
                return false
            case .zigbee2mqtt:
                return RoutineScan.isQuietZigbeeState(bytes, lowBatteryPercent: Double(Zigbee2MQTTDecoder.lowBatteryPercent))
            }
        }
    }
}
