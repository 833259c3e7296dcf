/// China Telecom AEP (CTWing) subscription push for NB-IoT smoke detectors:
/// `{"messageType": "dataReport", "IMEI": "86…", "timestamp": …, "payload": {"serviceData":
/// {"Alarm_Status": 1, "Battery_Level": 100, "RSRP": 114}}}`. The device is its IMEI.
/// `IMEI` and `Alarm_Status` are required; a bad reading or `timestamp` is dropped and noted,
/// and the event is kept (contract field rule 3).
public struct CTWingDecoder: PayloadDecoder {
    public static let format = PayloadFormat.ctwing

    /// `Alarm_Status` codes as the detectors' profile defines them.
    static let statusKinds: [Int: EventKind] = [
        1: .alarm, 2: .mute, 4: .lowBattery, 5: .fault, 7: .heartbeat, 10: .tamper, 11: .tamperClear,
        12: .online, 14: .test,
    ]

    public init() {}

    public func decode(_ message: RawMessage, topicDevice: String?, context: DecodingContext) -> DecodeOutcome {
        let condition = context.condition
        return withObject(message) { fields throws(Rejection) in
            try decode(fields, message: message, condition: condition)
        }
    }

    private func decode(
        _ fields: JSONFieldReader, message: RawMessage, condition: (String) -> DeviceCondition
    ) throws(Rejection) -> DecodeOutcome {
        let messageType = try fields.string("messageType")
        switch messageType {
        case "dataReport"?, nil: break
        case "deviceOnlineOfflineReport"?, "eventReport"?:
            // Online/offline reports name only the platform's deviceId, not the IMEI, and
            // event reports carry no Alarm_Status: silence supervision covers what they say.
            return .ignored
        case let other?:
            throw Rejection(.unknownType, "unsupported messageType '\(other.prefix(40))'")
        }
        let serviceData = try fields.object("payload")?.object("serviceData")
        let topIMEI = try fields.string("IMEI")
        let innerIMEI = try serviceData?.string("IMEI")
        guard let imei = topIMEI ?? innerIMEI, !imei.isEmpty else {
            throw Rejection(.missingField, "'IMEI' is required: it is the device id")
        }
        guard imei.utf8.count == 15, imei.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw Rejection(.invalidField, "'IMEI' must be 15 digits, got '\(imei.prefix(40))'")
        }
        var notes = FieldNotes()
        let occurredAt = fields.time("timestamp", orNote: &notes)
        let stamp = occurredAt.map { "\(Int64(($0.timeIntervalSince1970 * 1_000).rounded()))" }

        guard messageType != nil else { throw Rejection(.missingField, "'messageType' is required") }
        guard let payload = try fields.object("payload") else {
            throw Rejection(.missingField, "'payload' is required in a dataReport")
        }
        guard let data = try payload.object("serviceData") else {
            throw Rejection(.missingField, "'payload.serviceData' is required in a dataReport")
        }
        guard let status = try data.integer("Alarm_Status") else {
            throw Rejection(.missingField, "'payload.serviceData.Alarm_Status' is required")
        }
        guard var kind = Self.statusKinds[status] else {
            throw Rejection(.unknownType, "unknown Alarm_Status \(status)")
        }
        let batteryLevel = data.integer("Battery_Level", in: 0...100, orNote: &notes)
        let batteryValue = data.integer("battery_value", in: 0...100, orNote: &notes)
        let reading = DeviceReading(
            battery: batteryLevel ?? batteryValue, signal: data.integer("RSRP", in: -200...200, orNote: &notes))
        var decoded = DecodedMessage(deviceID: imei, format: .ctwing, reading: reading, notes: notes.list)
        let previous = condition(imei)
        if kind == .heartbeat {
            // "Normal" while the gateway believes the detector is in alarm or fault is the
            // detector saying that has ended.
            if previous.contains(.smoke) {
                kind = .alarmClear
            } else if previous.contains(.fault) {
                kind = .faultClear
            }
        }
        var kinds: [EventKind] = kind == .heartbeat ? [] : [kind]
        if reading.restoresBattery(reportedWith: kind, previous: { previous }) { kinds.append(.batteryRestored) }
        guard !kinds.isEmpty else { return .accepted(decoded) }
        let identity: EventIdentity = stamp.map { .stamped("\($0)#\(status)") } ?? .payloadDigest(message.digest)
        decoded.events = kinds.map {
            DetectorEvent(
                deviceID: imei, kind: $0, format: .ctwing, occurredAt: occurredAt, identity: identity, reading: reading,
                notes: notes.list)
        }
        return .accepted(decoded)
    }
}
