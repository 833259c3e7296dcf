/// Which messages the gateway may set aside for a worker thread, unacknowledged by nothing.
///
/// A QoS 0 message has no acknowledgement to hold back, so the gateway may take it off the
/// socket and decode it later; but a message held in memory is lost if the daemon is killed.
/// So only a message that certainly cannot open an incident is set aside; one that might (an
/// alarm, a fault, tamper, a low battery, an offline report) is committed before the next
/// message is read, whatever its QoS. The test is conservative: anything unclear is "might".
extension MessageNormalizer {
    /// Whether `message` certainly opens no incident, whatever the detector's condition.
    public func cannotOpenIncident(_ message: RawMessage) -> Bool {
        guard message.payload.count <= Self.maximumPayloadBytes, let (format, _) = route(message.topic) else { return true }
        if format == .native { return isNativeHeartbeat(message) }
        return message.payload.withUnsafeBytes { buffer in
            guard case .object(let view)? = try? JSONObjectView.scan(buffer) else {
                // Not a JSON object: a Zigbee2MQTT availability word, or something rejected.
                return format == .zigbee2mqtt && !String(decoding: buffer, as: UTF8.self).lowercased().contains("offline")
            }
            switch format {
            case .zigbee2mqtt: return Self.isRoutineZigbeeState(view, topic: message.topic)
            case .ctwing: return Self.isRoutineCTWing(view)
            case .native: return false
            }
        }
    }

    /// Zigbee2MQTT flags that open an incident when raised.
    private static let raisingFlags = ["smoke", "tamper", "battery_low", "fault", "device_fault", "trouble", "fault_alarm"]

    private static func isRoutineZigbeeState(_ view: JSONObjectView, topic: String) -> Bool {
        if topic.hasSuffix("/availability") {
            guard let state = view.member("state"), case .string(let text) = view.value(state) else { return false }
            return text.lowercased() == "online"
        }
        for flag in raisingFlags {
            guard let member = view.member(flag) else { continue }
            switch view.value(member) {
            case .bool(false), .null: continue
            default: return false
            }
        }
        if let member = view.member("smoke_state") {
            guard case .string(let state) = view.value(member), state != "alarm" else { return false }
        }
        if let member = view.member("self_test_result"), case .string("failure") = view.value(member) { return false }
        if let member = view.member("battery_state") {
            guard case .string(let state) = view.value(member), state != "low" else { return false }
        } else if view.member("battery_low") == nil, let member = view.member("battery") {
            // Models without a low flag are low by their charge (Zigbee2MQTTDecoder's mark).
            guard case .number(let charge) = view.value(member), charge > Double(Zigbee2MQTTDecoder.lowBatteryPercent) else {
                return false
            }
        }
        return true
    }

    /// A CTWing push is routine only when it says "normal" (7).
    private static func isRoutineCTWing(_ view: JSONObjectView) -> Bool {
        guard let payload = view.member("payload").flatMap(view.object),
            let data = payload.member("serviceData").flatMap(payload.object),
            let status = data.member("Alarm_Status"), case .number(7) = data.value(status)
        else { return false }
        return true
    }
}
