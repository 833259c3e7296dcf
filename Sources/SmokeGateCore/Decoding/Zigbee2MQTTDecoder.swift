/// Zigbee2MQTT: each message on `zigbee2mqtt/{friendly_name}` is the device's whole state
/// (`smoke`, `battery_low`, `tamper`, `test`, `battery`, `linkquality`, …). Events are the
/// changes between successive states, and every message proves the device alive.
/// `zigbee2mqtt/{name}/availability` is the coordinator's word on liveness.
public struct Zigbee2MQTTDecoder: PayloadDecoder {
    public static let format = PayloadFormat.zigbee2mqtt

    public init() {}

    public func decode(
        _ message: RawMessage, topicDevice: String?, condition: (String) -> DeviceCondition
    ) -> DecodeOutcome {
        guard var deviceID = topicDevice, !deviceID.isEmpty else {
            return .rejected(Rejection(.unroutable, "topic '\(message.topic)' names no device"))
        }
        let isAvailability = message.topic.hasSuffix("/availability")
        if isAvailability, deviceID.hasSuffix("/availability") {
            // With a `zigbee2mqtt/#` filter the captured name still carries the suffix.
            deviceID.removeLast("/availability".count)
        }
        // The bridge's own topics, and commands sent to devices, are not detector reports.
        if deviceID == "bridge" || deviceID.hasPrefix("bridge/") || deviceID.hasSuffix("/set")
            || deviceID.hasSuffix("/get")
        {
            return .ignored
        }
        let previous = condition(deviceID)
        if isAvailability {
            return availability(message, deviceID: deviceID, previous: previous)
        }
        return withObject(message) { fields throws(Rejection) in
            .accepted(try decodeState(fields, deviceID: deviceID, message: message, previous: previous))
        }
    }

    private func decodeState(
        _ fields: JSONFieldReader, deviceID: String, message: RawMessage, previous: DeviceCondition
    ) throws(Rejection) -> DecodedMessage {
        let smoke = try smoke(fields)
        let tamper = try fields.bool("tamper")
        let testing = try testing(fields)
        let battery = try battery(fields)
        let batteryLow = try batteryLow(fields, battery: battery)
        let fault = try fault(fields)
        let muted = try muted(fields)
        let smokeDensity = try fields.number("smoke_density")
        let smokeConcentration = try fields.number("smoke_concentration")
        let temperature = try fields.number("temperature")
        let deviceTemperature = try fields.number("device_temperature")
        let reading = DeviceReading(
            battery: battery,
            signal: try fields.integer("linkquality", in: 0...255),
            smoke: smokeDensity ?? smokeConcentration,
            temperature: temperature ?? deviceTemperature)

        // A state from the detector itself says it is reachable, whatever the coordinator said.
        var next = previous.subtracting(.unreachable)
        var kinds: [EventKind] = []
        func track(_ flag: Bool?, _ member: DeviceCondition, raised: EventKind, cleared: EventKind?) {
            guard let flag else { return }
            if flag, !previous.contains(member) {
                kinds.append(raised)
                next.insert(member)
            } else if !flag, previous.contains(member) {
                if let cleared { kinds.append(cleared) }
                next.remove(member)
            }
        }
        track(smoke, .smoke, raised: .alarm, cleared: .alarmClear)
        track(fault, .fault, raised: .fault, cleared: .faultClear)
        track(tamper, .tamper, raised: .tamper, cleared: .tamperClear)
        track(batteryLow, .batteryLow, raised: .lowBattery, cleared: nil)
        track(testing, .testing, raised: .test, cleared: nil)
        track(muted, .muted, raised: .mute, cleared: nil)

        let events: [DetectorEvent]
        if kinds.isEmpty {
            events = []
        } else {
            let identity = Self.transitionIdentity(message)
            events = kinds.map {
                DetectorEvent(deviceID: deviceID, kind: $0, format: .zigbee2mqtt, identity: identity, reading: reading)
            }
        }
        return DecodedMessage(deviceID: deviceID, format: .zigbee2mqtt, events: events, reading: reading, condition: next)
    }

    /// Models without a low-battery flag are low at or below this charge.
    static let lowBatteryPercent = 15

    /// `smoke`, or the ONENUO 288WZ's `smoke_state` (`alarm`, `normal`, `detecting`).
    private func smoke(_ fields: JSONFieldReader) throws(Rejection) -> Bool? {
        if let smoke = try fields.bool("smoke") { return smoke }
        switch try fields.string("smoke_state") {
        case "alarm"?: return true
        case "normal"?: return false
        default: return nil
        }
    }

    /// `test`, or a self-test in progress (`self_test_result: "checking"`).
    private func testing(_ fields: JSONFieldReader) throws(Rejection) -> Bool? {
        if let test = try fields.bool("test") { return test }
        guard let result = try? fields.string("self_test_result") else { return nil }
        return result == "checking"
    }

    /// Battery percent; old Zigbee2MQTT versions sent it as text (`"100.00"`).
    private func battery(_ fields: JSONFieldReader) throws(Rejection) -> Int? {
        if case .string(let text)? = fields.value("battery") {
            guard let value = Double(text), (0...100).contains(value) else {
                throw Rejection(.invalidField, "'battery' must be a percentage, got '\(text.prefix(20))'")
            }
            return Int(value.rounded())
        }
        guard let value = try fields.number("battery") else { return nil }
        guard (0...100).contains(value) else { throw Rejection(.invalidField, "'battery' must be 0 to 100, got \(value)") }
        return Int(value.rounded())
    }

    /// `battery_low`, Tuya's `battery_state: "low"`, or for models with neither, a charge at
    /// or below `lowBatteryPercent`.
    private func batteryLow(_ fields: JSONFieldReader, battery: Int?) throws(Rejection) -> Bool? {
        if let low = try fields.bool("battery_low") { return low }
        if let state = try? fields.string("battery_state") { return state == "low" }
        return battery.map { $0 <= Self.lowBatteryPercent }
    }

    /// A fault flag where the model reports one (`fault`, `device_fault`, Heiman `trouble`),
    /// or a failed self-test (`self_test_result: "failure"`).
    private func fault(_ fields: JSONFieldReader) throws(Rejection) -> Bool? {
        for key in ["fault", "device_fault", "trouble", "fault_alarm"] {
            if let fault = try fields.bool(key) { return fault }
        }
        switch try? fields.string("self_test_result") {
        case "failure"?: return true
        case "success"?: return false
        default: return nil
        }
    }

    /// The sounder silenced on the device (`silence`, Aqara `buzzer_manual_mute`).
    private func muted(_ fields: JSONFieldReader) throws(Rejection) -> Bool? {
        if let silence = try fields.bool("silence") { return silence }
        return try fields.bool("buzzer_manual_mute")
    }

    private func availability(_ message: RawMessage, deviceID: String, previous: DeviceCondition) -> DecodeOutcome {
        let text = String(decoding: message.payload, as: UTF8.self)
        var state = text.trimmingASCIIWhitespace().lowercased()
        if state.hasPrefix("{") {
            guard case .object(let object)? = try? JSONParser.parse(message.payload), case .string(let inner)? = object["state"]
            else {
                return .rejected(Rejection(.invalidField, "availability must be {\"state\": \"online\"|\"offline\"}"))
            }
            state = inner.lowercased()
        }
        let kind: EventKind
        switch state {
        case "online": kind = .online
        case "offline": kind = .offline
        default:
            return .rejected(Rejection(.invalidField, "availability state '\(state.prefix(40))' is neither online nor offline"))
        }
        // Like states, availability counts only when it changes. A repeated offline is no
        // news and no proof of life; a repeated online proves life like a heartbeat.
        if kind == .offline, previous.contains(.unreachable) { return .ignored }
        if kind == .online, !previous.contains(.unreachable) {
            return .accepted(DecodedMessage(deviceID: deviceID, format: .zigbee2mqtt, condition: previous))
        }
        let event = DetectorEvent(
            deviceID: deviceID, kind: kind, format: .zigbee2mqtt, identity: Self.transitionIdentity(message))
        // An offline report is not proof of life, so it carries no reading.
        return .accepted(DecodedMessage(deviceID: deviceID, format: .zigbee2mqtt, events: [event]))
    }

    /// Events here are changes of the stored condition, and a redelivered message changes
    /// nothing (the condition is committed with its events). So a message's identity is the
    /// moment it arrived: identical bytes later (smoke again after a clear, a second offline
    /// after an online) are a new event, never taken for a redelivery.
    static func transitionIdentity(_ message: RawMessage) -> EventIdentity {
        .stamped("rx:" + String(Int64((message.receivedAt.timeIntervalSince1970 * 1_000_000).rounded())))
    }
}
