/// Zigbee2MQTT: each message on `zigbee2mqtt/{friendly_name}` is the device's whole state
/// (`smoke`, `battery_low`, `tamper`, `test`, `battery`, `linkquality`, …). Events are the
/// changes between successive states, and every message proves the device alive.
/// `zigbee2mqtt/{name}/availability` is the coordinator's word on liveness. Names may contain
/// `/` (`kitchen/smoke`), so sources subscribe to `zigbee2mqtt/#` (`Zigbee2MQTTTopic` tells the
/// topics apart), and devices the bridge lists as other than smoke detectors are ignored
/// (`Zigbee2MQTTListing`).
///
/// Nothing in a state is required. A flag of the wrong type is read in its obvious spellings
/// (`"true"`, `1`) and otherwise dropped and noted, which leaves that part of the condition as
/// it was; a bad reading is dropped and noted (contract field rule 3). The other fields of the
/// message still count.
public struct Zigbee2MQTTDecoder: PayloadDecoder {
    public static let format = PayloadFormat.zigbee2mqtt

    public init() {}

    public func decode(_ message: RawMessage, topicDevice: String?, context: DecodingContext) -> DecodeOutcome {
        guard let captured = topicDevice, !captured.isEmpty else {
            return .rejected(Rejection(.unroutable, "topic '\(message.topic)' names no device"))
        }
        let deviceID: String
        let isAvailability: Bool
        switch Zigbee2MQTTTopic(captured) {
        case .bridge, .command:
            // The bridge's own topics (its device list is read by the daemon, not here), and
            // commands sent to devices, are not detector reports.
            return .ignored
        case .availability(let name):
            (deviceID, isAvailability) = (name, true)
        case .state(let name):
            (deviceID, isAvailability) = (name, false)
        }
        guard !deviceID.isEmpty else {
            return .rejected(Rejection(.unroutable, "topic '\(message.topic)' names no device"))
        }
        let condition = context.condition
        let previous = condition(deviceID)
        let bridge = Self.bridge(of: message.topic, captured: captured)
        switch context.zigbeeListing(bridge, deviceID) {
        case .otherDevice:
            // A lamp or a door sensor: its states and availability are not a detector's. Only
            // a state that raises smoke (or ends a smoke this device raised) is still heard, in
            // case the list is stale: when in doubt it is a fire.
            guard !isAvailability, previous.contains(.smoke) || raisesSmoke(message) else { return .ignored }
        case .unlisted where Self.isBelowListedDevice(deviceID, bridge: bridge, context: context):
            // `lamp/state` or `lamp/l1` under `output: attribute`: one of a listed device's
            // attributes or endpoints, not a device of its own.
            return .ignored
        case .noDirectory, .unlisted, .detector:
            break
        }
        if isAvailability {
            return availability(message, deviceID: deviceID, previous: previous)
        }
        return withObject(message) { fields in
            .accepted(decodeState(fields, deviceID: deviceID, message: message, previous: previous))
        }
    }

    /// The base topic (`zigbee2mqtt`) of a topic whose part after it is `captured`.
    public static func bridge(of topic: String, captured: String) -> String {
        guard topic.utf8.count > captured.utf8.count, topic.hasSuffix("/" + captured) else { return "" }
        // By bytes: a name may begin with a combining mark that joins the `/` before it.
        return String(decoding: topic.utf8.dropLast(captured.utf8.count + 1), as: UTF8.self)
    }

    /// Whether a name the list does not know lies below one it does (`lamp/state` below `lamp`).
    private static func isBelowListedDevice(_ name: String, bridge: String, context: DecodingContext) -> Bool {
        var parent = Substring(name)
        while let slash = parent.lastIndex(of: "/") {
            parent = parent[..<slash]
            if context.zigbeeListing(bridge, String(parent)) != .unlisted { return true }
        }
        return false
    }

    /// Whether a state payload says smoke (`smoke: true`, `smoke_state: "alarm"`).
    private func raisesSmoke(_ message: RawMessage) -> Bool {
        var raised = false
        _ = withObject(message) { fields in
            var notes = FieldNotes()
            raised = smoke(fields, &notes) == true
            return .ignored
        }
        return raised
    }

    private func decodeState(
        _ fields: JSONFieldReader, deviceID: String, message: RawMessage, previous: DeviceCondition
    ) -> DecodedMessage {
        var notes = FieldNotes()
        let selfTest = fields.string("self_test_result", orNote: &notes)
        let smoke = smoke(fields, &notes)
        let tamper = fields.flag("tamper", orNote: &notes)
        let testing = fields.flag("test", orNote: &notes) ?? selfTest.map { $0 == "checking" }
        let battery = fields.number("battery", in: 0...100, acceptingText: true, orNote: &notes).map { Int($0.rounded()) }
        let batteryLow = batteryLow(fields, battery: battery, &notes)
        let fault = fault(fields, selfTest: selfTest, &notes)
        let muted = fields.flag("silence", orNote: &notes) ?? fields.flag("buzzer_manual_mute", orNote: &notes)
        let smokeDensity = fields.number("smoke_density", orNote: &notes)
        let smokeConcentration = fields.number("smoke_concentration", orNote: &notes)
        let temperature = fields.number("temperature", orNote: &notes)
        let deviceTemperature = fields.number("device_temperature", orNote: &notes)
        let reading = DeviceReading(
            battery: battery,
            signal: fields.integer("linkquality", in: 0...255, orNote: &notes),
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
        track(batteryLow, .batteryLow, raised: .lowBattery, cleared: .batteryRestored)
        track(testing, .testing, raised: .test, cleared: nil)
        track(muted, .muted, raised: .mute, cleared: nil)

        let events: [DetectorEvent]
        if kinds.isEmpty {
            events = []
        } else {
            let identity = Self.transitionIdentity(message)
            events = kinds.map {
                DetectorEvent(
                    deviceID: deviceID, kind: $0, format: .zigbee2mqtt, identity: identity, reading: reading,
                    notes: notes.list)
            }
        }
        return DecodedMessage(
            deviceID: deviceID, format: .zigbee2mqtt, events: events, reading: reading, condition: next, notes: notes.list)
    }

    /// Models without a low-battery flag are low at or below this charge.
    static let lowBatteryPercent = 15

    /// `smoke`, or where it is absent or unreadable, the ONENUO 288WZ's `smoke_state`
    /// (`alarm`, `normal`, `detecting`).
    private func smoke(_ fields: JSONFieldReader, _ notes: inout FieldNotes) -> Bool? {
        if let smoke = fields.flag("smoke", orNote: &notes) { return smoke }
        switch fields.string("smoke_state", orNote: &notes) {
        case "alarm"?: return true
        case "normal"?: return false
        default: return nil
        }
    }

    /// `battery_low`, Tuya's `battery_state: "low"`, or for models with neither, the charge:
    /// low at or below `lowBatteryPercent`, good again only from `DeviceReading.restoredPercent`,
    /// and no news in between, so that a charge wobbling around the low mark does not open and
    /// close the `low_battery` job with every report.
    private func batteryLow(_ fields: JSONFieldReader, battery: Int?, _ notes: inout FieldNotes) -> Bool? {
        if let low = fields.flag("battery_low", orNote: &notes) { return low }
        if let state = fields.string("battery_state", orNote: &notes) { return state == "low" }
        guard let battery else { return nil }
        if battery <= Self.lowBatteryPercent { return true }
        if battery >= DeviceReading.restoredPercent { return false }
        return nil
    }

    /// A fault flag where the model reports one (`fault`, `device_fault`, Heiman `trouble`),
    /// or a failed self-test (`self_test_result: "failure"`).
    private func fault(_ fields: JSONFieldReader, selfTest: String?, _ notes: inout FieldNotes) -> Bool? {
        for key in ["fault", "device_fault", "trouble", "fault_alarm"] {
            if let fault = fields.flag(key, orNote: &notes) { return fault }
        }
        switch selfTest {
        case "failure"?: return true
        case "success"?: return false
        default: return nil
        }
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
