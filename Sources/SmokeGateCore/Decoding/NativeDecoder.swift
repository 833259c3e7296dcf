/// SmokeGate's own format: `{"type": "alarm", "ts": "…", "seq": 42, "battery": 87, …}` on
/// `smokegate/detectors/{device_id}/event`. Only `type` is required.
public struct NativeDecoder: PayloadDecoder {
    public static let format = PayloadFormat.native

    public init() {}

    public func decode(
        _ message: RawMessage, topicDevice: String?, condition: (String) -> DeviceCondition
    ) -> DecodeOutcome {
        guard let deviceID = topicDevice, !deviceID.isEmpty else {
            return .rejected(Rejection(.unroutable, "topic '\(message.topic)' names no device"))
        }
        return withObject(message) { fields throws(Rejection) in
            .accepted(try decode(fields, deviceID: deviceID, message: message))
        }
    }

    private func decode(_ fields: JSONFieldReader, deviceID: String, message: RawMessage) throws(Rejection) -> DecodedMessage {
        guard let typeName = try fields.string("type") else { throw Rejection(.missingField, "'type' is required") }
        guard let kind = EventKind(rawValue: typeName), kind != .offline, kind != .online else {
            throw Rejection(.unknownType, "unknown type '\(typeName.prefix(40))'")
        }
        if let claimed = try fields.string("device"), claimed != deviceID {
            throw Rejection(
                .deviceMismatch, "payload device '\(claimed.prefix(64))' differs from topic device '\(deviceID)'")
        }
        let occurredAt = try fields.time("ts")
        let sequence = try fields.integer("seq", in: 0...9e15)
        let reading = DeviceReading(
            battery: try fields.integer("battery", in: 0...100),
            signal: try fields.integer("rssi", in: -200...200),
            smoke: try fields.number("smoke"),
            temperature: try fields.number("temperature"))
        var decoded = DecodedMessage(deviceID: deviceID, format: .native, reading: reading)
        guard kind != .heartbeat else { return decoded }
        let identity: EventIdentity
        switch (sequence, occurredAt) {
        case (let sequence?, let occurredAt?): identity = .stamped("\(occurredAt.timeIntervalSince1970)#\(sequence)")
        case (nil, let occurredAt?): identity = .stamped("\(occurredAt.timeIntervalSince1970)")
        case (let sequence?, nil): identity = .stamped("#\(sequence)")
        case (nil, nil): identity = .payloadDigest(message.digest)
        }
        decoded.events = [
            DetectorEvent(
                deviceID: deviceID, kind: kind, format: .native, occurredAt: occurredAt,
                sequence: sequence.map(Int64.init), identity: identity, reading: reading)
        ]
        return decoded
    }
}
