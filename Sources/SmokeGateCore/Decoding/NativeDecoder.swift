/// SmokeGate's own format: `{"type": "alarm", "ts": "…", "seq": 42, "battery": 87, …}` on
/// `smokegate/detectors/{device_id}/event`. Only `type` is required: a bad optional field is
/// dropped and noted, and the event is kept (contract field rule 3).
///
/// An event's identity is always the payload's digest, never its `ts` or `seq`: a counter
/// starts again when the detector reboots and a clock may be unset, so a repeated stamp is
/// no proof of a redelivery (field rule 4). `ts` and `seq` are kept on the event as data.
public struct NativeDecoder: PayloadDecoder {
    public static let format = PayloadFormat.native

    public init() {}

    public func decode(_ message: RawMessage, topicDevice: String?, context: DecodingContext) -> DecodeOutcome {
        let condition = context.condition
        guard let deviceID = topicDevice, !deviceID.isEmpty else {
            return .rejected(Rejection(.unroutable, "topic '\(message.topic)' names no device"))
        }
        return withObject(message) { fields throws(Rejection) in
            .accepted(try decode(fields, deviceID: deviceID, message: message, condition: condition))
        }
    }

    /// The members a native payload may carry, found in one pass (the last one wins where a
    /// payload repeats a key).
    private struct Members {
        typealias Member = JSONObjectView.Member
        var type: Member?, device: Member?, ts: Member?, seq: Member?
        var battery: Member?, rssi: Member?, smoke: Member?, temperature: Member?

        init(_ view: JSONObjectView) {
            for member in view.members {
                if view.key(member, is: "type") {
                    type = member
                } else if view.key(member, is: "ts") {
                    ts = member
                } else if view.key(member, is: "seq") {
                    seq = member
                } else if view.key(member, is: "battery") {
                    battery = member
                } else if view.key(member, is: "rssi") {
                    rssi = member
                } else if view.key(member, is: "device") {
                    device = member
                } else if view.key(member, is: "smoke") {
                    smoke = member
                } else if view.key(member, is: "temperature") {
                    temperature = member
                }
            }
        }
    }

    /// The largest `seq` kept: every whole number up to it is exact in the JSON reader's doubles.
    static let largestSequence = 1 << 53

    private func decode(
        _ fields: JSONFieldReader, deviceID: String, message: RawMessage, condition: (String) -> DeviceCondition
    ) throws(Rejection) -> DecodedMessage {
        let members = Members(fields.view)
        let kind: EventKind
        if let type = members.type, let bytes = fields.view.rawString(type), let known = EventKind(utf8: bytes) {
            kind = known
        } else {
            guard let typeName = try fields.string("type", at: .some(members.type)) else {
                throw Rejection(.missingField, "'type' is required")
            }
            guard let named = EventKind(rawValue: typeName) else {
                throw Rejection(.unknownType, "unknown type '\(typeName.prefix(40))'")
            }
            kind = named
        }
        // The network, not the detector, reports reachability; and a restored battery is the
        // gateway's conclusion from a reading, not a type the contract lists.
        guard kind != .offline, kind != .online, kind != .batteryRestored else {
            throw Rejection(.unknownType, "unknown type '\(kind.rawValue)'")
        }
        if let claimed = try fields.string("device", at: .some(members.device)), claimed != deviceID {
            throw Rejection(
                .deviceMismatch, "payload device '\(claimed.prefix(64))' differs from topic device '\(deviceID)'")
        }
        var notes = FieldNotes()
        let occurredAt = fields.time("ts", at: .some(members.ts), orNote: &notes)
        let sequence = fields.integer("seq", in: 0...Self.largestSequence, at: .some(members.seq), orNote: &notes)
        let reading = DeviceReading(
            battery: fields.integer("battery", in: 0...100, at: .some(members.battery), orNote: &notes),
            signal: fields.integer("rssi", in: -200...200, at: .some(members.rssi), orNote: &notes),
            smoke: fields.number("smoke", at: .some(members.smoke), orNote: &notes),
            temperature: fields.number("temperature", at: .some(members.temperature), orNote: &notes))
        var decoded = DecodedMessage(deviceID: deviceID, format: .native, reading: reading, notes: notes.list)
        let restored = reading.restoresBattery(reportedWith: kind) { condition(deviceID) }
        guard kind != .heartbeat || restored else { return decoded }
        let identity = EventIdentity.payloadDigest(message.digest)
        func event(_ kind: EventKind) -> DetectorEvent {
            DetectorEvent(
                deviceID: deviceID, kind: kind, format: .native, occurredAt: occurredAt,
                sequence: sequence.map(Int64.init), identity: identity, reading: reading, notes: notes.list)
        }
        if kind != .heartbeat { decoded.events.append(event(kind)) }
        // A heartbeat that shows a good battery after a low one carries this event alone, and
        // so is durable like any event.
        if restored { decoded.events.append(event(.batteryRestored)) }
        return decoded
    }
}
