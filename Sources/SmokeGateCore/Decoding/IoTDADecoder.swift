import Foundation

/// Huawei IoTDA data forwarding (HTTP push). One JSON object per push:
/// `{"resource": "device.property", "event": "report", "event_time": "20261122T080000Z",
/// "notify_data": {"header": {"device_id": …, "node_id": "<IMEI>", "product_id": …},
/// "body": {"services": [{"service_id": "Smoke", "properties": {…}, "event_time": …}]}}}`.
///
/// | resource / event             | what the gateway does                                       |
/// |------------------------------|-------------------------------------------------------------|
/// | `device.property` / report   | every service's `properties` through the product's table    |
/// | `device.status` / update     | `body.status` ONLINE online, OFFLINE or ABNORMAL offline     |
/// | `device.message` / report    | `body.content`, when it is an object of properties, likewise |
/// | `device.command*`, `device.message.status`, `device` | ignored: the gateway sends no commands or messages, and manages no devices there |
///
/// The device is the registry's row for `device_id` (`platform_id`), else `node_id` (the IMEI).
public struct IoTDADecoder: PlatformPushDecoder {
    public static let format = PayloadFormat.iotda

    let thingModels: ThingModelBook

    public init(thingModels: ThingModelBook = .builtIn) {
        self.thingModels = thingModels
    }

    func decode(body fields: PushFields, message: RawMessage, context: DecodingContext) throws(Rejection)
        -> DecodeOutcome
    {
        guard let resource = fields.text("resource") else { throw Rejection(.missingField, "'resource' is required") }
        switch resource {
        case "device.property", "device.message", "device.status": break
        case "device.command", "device.command.status", "device.message.status", "device", "batchtask", "product":
            return .ignored
        default:
            throw Rejection(.unknownType, "unsupported resource '\(FieldNotes.shown(text: resource, quoted: false))'")
        }
        guard let notify = fields.object("notify_data") else {
            throw Rejection(.missingField, "'notify_data' is required")
        }
        let header = notify.object("header")
        let deviceID = try PlatformDevice.resolve(
            platformID: header?.text("device_id"), platformField: "notify_data.header.device_id",
            natural: header?.text("node_id"), naturalField: "notify_data.header.node_id", context: context)
        let product = header?.text("product_id")
        guard let body = notify.object("body") else { throw Rejection(.missingField, "'notify_data.body' is required") }
        var notes = FieldNotes()
        let pushTime = fields.time("event_time_ms", orNote: &notes) ?? fields.time("event_time", orNote: &notes)
        var events = PushEvents(deviceID: deviceID, format: .iotda, condition: context.condition(deviceID))
        switch resource {
        case "device.status":
            let kind: EventKind
            switch body.text("status").map({ $0.uppercased() }) {
            case "ONLINE"?: kind = .online
            case "OFFLINE"?, "ABNORMAL"?: kind = .offline
            case "INACTIVE"?, "FROZEN"?: return .ignored
            case let other?:
                throw Rejection(.unknownType, "unknown device status '\(FieldNotes.shown(text: other, quoted: false))'")
            case nil: throw Rejection(.missingField, "'notify_data.body.status' is required in a device.status push")
            }
            let occurredAt = body.time("last_online_time", orNote: &notes) ?? pushTime
            events.add(
                [kind], reading: DeviceReading(), occurredAt: occurredAt,
                identity: PushEvents.identity(
                    stamp: occurredAt.map(PushFields.milliseconds), codes: [kind.rawValue], message: message))
        case "device.message":
            let embedded = try body.embeddedObject("content")
            guard let content = embedded ?? body.object("content") else {
                throw Rejection(.unknownType, "'notify_data.body.content' is not an object of properties")
            }
            try read(content, product: product, time: pushTime, into: &events, notes: &notes, message: message)
        default:
            guard let services = body.array("services"), !services.isEmpty else {
                throw Rejection(.missingField, "'notify_data.body.services' is required in a property report")
            }
            for (index, service) in services.enumerated() {
                guard case .object(let object) = service else {
                    throw Rejection(.invalidField, "'notify_data.body.services[\(index)]' must be an object")
                }
                let entry = PushFields(object, path: "notify_data.body.services[\(index)].")
                guard let properties = entry.object("properties") else {
                    throw Rejection(.missingField, "'\(entry.path)properties' is required")
                }
                let time = entry.time("event_time", orNote: &notes) ?? pushTime
                try read(properties, product: product, time: time, into: &events, notes: &notes, message: message)
            }
        }
        return .accepted(events.message(notes: notes.list))
    }

    private func read(
        _ properties: PushFields, product: String?, time: Date?, into events: inout PushEvents, notes: inout FieldNotes,
        message: RawMessage
    ) throws(Rejection) {
        try events.add(
            properties, through: thingModels.model(for: product), product: product, occurredAt: time,
            stamp: time.map(PushFields.milliseconds), message: message, notes: &notes)
    }
}
