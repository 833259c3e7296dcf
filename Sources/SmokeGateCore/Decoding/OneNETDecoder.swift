import Foundation

/// China Mobile OneNET HTTP data push. The body is `{"msg": "<inner JSON as text>",
/// "signature": …, "nonce": …, "time": …, "id": …}` (or, from the older platform, `msg` as an
/// object or a list of objects beside `msg_signature`); the daemon checks the signature, and
/// this reads `msg`:
///
/// | inner message                         | what the gateway does                              |
/// |---------------------------------------|----------------------------------------------------|
/// | `messageType: notify`, `notifyType` property or event | `data.params.<identifier>.value` through the product's table |
/// | `messageType: lifeCycle`              | `data.status` online/offline                       |
/// | older `type` 1 (data point)           | `ds_id` = `value` through the default table        |
/// | older `type` 2 (online/offline)       | `status` 1 online, 0 offline                       |
/// | older `type` 7 (command result)       | ignored: the gateway sends no commands             |
///
/// The device is the registry's row for the push's device name (`platform_id`), else the
/// device name itself, which NB-IoT products set to the IMEI; the older form names only a
/// numeric `dev_id`, which must be a registered `platform_id`.
public struct OneNETDecoder: PlatformPushDecoder {
    public static let format = PayloadFormat.onenet

    let thingModels: ThingModelBook

    public init(thingModels: ThingModelBook = .builtIn) {
        self.thingModels = thingModels
    }

    func decode(body: PushFields, message: RawMessage, context: DecodingContext) throws(Rejection) -> DecodeOutcome {
        let embedded = try body.embeddedObject("msg")
        if let inner = embedded ?? body.object("msg") {
            return try decode(inner, body: body, message: message, context: context)
        }
        if let batch = body.array("msg") {
            return try legacyBatch(batch, message: message, context: context)
        }
        if body.object["msg"] != nil {
            throw Rejection(.invalidField, "'msg' must be JSON text or an object")
        }
        throw Rejection(.missingField, "'msg' is required in a OneNET push")
    }

    private func decode(_ inner: PushFields, body: PushFields, message: RawMessage, context: DecodingContext)
        throws(Rejection) -> DecodeOutcome
    {
        if inner.object["messageType"] == nil, inner.object["type"] != nil {
            return try legacy(inner, message: message, context: context)
        }
        switch inner.text("messageType") {
        case "notify"?: return try notify(inner, body: body, message: message, context: context)
        case "lifeCycle"?: return try lifeCycle(inner, body: body, message: message, context: context)
        case let other?:
            throw Rejection(.unknownType, "unsupported messageType '\(FieldNotes.shown(text: other, quoted: false))'")
        case nil: throw Rejection(.missingField, "'msg.messageType' is required")
        }
    }

    /// The device of a current-platform message.
    private func device(_ inner: PushFields, context: DecodingContext) throws(Rejection) -> String {
        let name = inner.text("deviceName", "devName")
        return try PlatformDevice.resolve(
            platformID: name, platformField: "msg.deviceName", natural: name, naturalField: "msg.deviceName",
            context: context)
    }

    /// A stamp from the platform's own message id and time, whichever the push has.
    private func stamp(_ body: PushFields, _ inner: PushFields, time: Date?) -> String? {
        let parts = [body.text("id"), inner.text("id"), time.map(PushFields.milliseconds)].compactMap { $0 }
        return parts.isEmpty ? nil : parts.joined(separator: ":")
    }

    /// A property or event report.
    private func notify(_ inner: PushFields, body: PushFields, message: RawMessage, context: DecodingContext)
        throws(Rejection) -> DecodeOutcome
    {
        let deviceID = try device(inner, context: context)
        guard let params = inner.object("data")?.object("params") else {
            throw Rejection(.missingField, "'msg.data.params' is required in a notify message")
        }
        var notes = FieldNotes()
        let occurredAt =
            Self.firstTime(params, notes: &notes) ?? inner.time("time", orNote: &notes)
            ?? body.time("time", orNote: &notes)
        let product = inner.text("productId", "pid")
        var events = PushEvents(deviceID: deviceID, format: .onenet, condition: context.condition(deviceID))
        try events.add(
            params, through: thingModels.model(for: product), product: product, occurredAt: occurredAt,
            stamp: stamp(body, inner, time: occurredAt), message: message, notes: &notes)
        return .accepted(events.message(notes: notes.list))
    }

    /// The platform saw the device connect or go.
    private func lifeCycle(_ inner: PushFields, body: PushFields, message: RawMessage, context: DecodingContext)
        throws(Rejection) -> DecodeOutcome
    {
        let deviceID = try device(inner, context: context)
        let data = inner.object("data") ?? inner
        let kind: EventKind
        switch data.text("status").map({ $0.lowercased() }) {
        case "online"?, "1"?: kind = .online
        case "offline"?, "0"?: kind = .offline
        case let other?:
            throw Rejection(.unknownType, "unknown lifeCycle status '\(FieldNotes.shown(text: other, quoted: false))'")
        case nil: throw Rejection(.missingField, "'msg.data.status' is required in a lifeCycle message")
        }
        var notes = FieldNotes()
        let occurredAt = data.time("time", orNote: &notes) ?? body.time("time", orNote: &notes)
        var events = PushEvents(deviceID: deviceID, format: .onenet, condition: context.condition(deviceID))
        events.add(
            [kind], reading: DeviceReading(), occurredAt: occurredAt,
            identity: PushEvents.identity(stamp: stamp(body, inner, time: occurredAt), codes: [kind.rawValue], message: message))
        return .accepted(events.message(notes: notes.list))
    }

    /// The earliest `time` among `{"value": …, "time": …}` parameters.
    private static func firstTime(_ params: PushFields, notes: inout FieldNotes) -> Date? {
        var earliest: Date?
        for member in params.object.members {
            guard case .object(let wrapped) = member.value, wrapped["time"] != nil else { continue }
            if let time = PushFields(wrapped, path: params.path + member.key + ".").time("time", orNote: &notes) {
                earliest = min(earliest ?? time, time)
            }
        }
        return earliest
    }
}
