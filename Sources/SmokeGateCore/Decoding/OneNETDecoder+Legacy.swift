import Foundation

/// The older OneNET push: `msg` is `{"type": 1, "dev_id": 52436, "ds_id": "smoke_state",
/// "value": 1, "at": 1466133706841}` (or a list of them), naming the device only by its
/// numeric `dev_id`.
extension OneNETDecoder {
    func legacy(_ inner: PushFields, message: RawMessage, context: DecodingContext) throws(Rejection) -> DecodeOutcome {
        try legacyBatch([.object(inner.object)], message: message, context: context)
    }

    /// Data points and status changes of one device; a list naming two devices is rejected.
    func legacyBatch(_ elements: [JSONValue], message: RawMessage, context: DecodingContext) throws(Rejection)
        -> DecodeOutcome
    {
        var notes = FieldNotes()
        var events: PushEvents?
        var ignored = false
        for (index, element) in elements.enumerated() {
            guard case .object(let object) = element else {
                throw Rejection(.invalidField, "'msg[\(index)]' must be an object, got \(element.typeName)")
            }
            let point = PushFields(object, path: elements.count == 1 ? "msg." : "msg[\(index)].")
            let type = point.integer("type")
            if type == 7 {
                // A cached command's result: the gateway sends no commands.
                ignored = true
                continue
            }
            let deviceID = try PlatformDevice.resolve(
                platformID: point.text("dev_id"), platformField: "msg.dev_id", natural: point.text("imei"),
                naturalField: "msg.imei", context: context, unregistered: .unroutable)
            if events == nil {
                events = PushEvents(deviceID: deviceID, format: .onenet, condition: context.condition(deviceID))
            }
            guard var current = events, current.deviceID == deviceID else {
                throw Rejection(
                    .deviceMismatch,
                    "a OneNET push must speak of one device, but names '\(events?.deviceID ?? "")' and '\(deviceID)'")
            }
            let occurredAt = point.time("at", orNote: &notes)
            let stamp = occurredAt.map(PushFields.milliseconds)
            switch type {
            case 1?:
                guard let stream = point.text("ds_id") else {
                    throw Rejection(.missingField, "'\(point.path)ds_id' is required in a data point")
                }
                let properties = PushFields(JSONObject([(stream, point.object["value"] ?? .null)]), path: point.path)
                try current.add(
                    properties, through: thingModels.standard, product: nil, occurredAt: occurredAt, stamp: stamp,
                    message: message, notes: &notes)
            case 2?:
                let kind: EventKind
                switch point.integer("status") {
                case 1?: kind = .online
                case 0?: kind = .offline
                default: throw Rejection(.invalidField, "'\(point.path)status' must be 1 (online) or 0 (offline)")
                }
                current.add(
                    [kind], reading: DeviceReading(), occurredAt: occurredAt,
                    identity: PushEvents.identity(stamp: stamp, codes: [kind.rawValue], message: message))
            case let other?: throw Rejection(.unknownType, "unsupported OneNET message type \(other)")
            case nil: throw Rejection(.missingField, "'\(point.path)type' is required")
            }
            events = current
        }
        guard let events else {
            if ignored { return .ignored }
            throw Rejection(.missingField, "'msg' holds no message")
        }
        return .accepted(events.message(notes: notes.list))
    }
}
