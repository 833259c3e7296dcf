import Foundation

/// China Telecom AEP (CTWing) subscription push for NB-IoT smoke detectors, one JSON object
/// per push: `{"messageType": "dataReport", "deviceId": "…", "IMEI": "86…", "timestamp": …,
/// "productId": "…", "payload": {"serviceData": {"Alarm_Status": 1, "Battery_Level": 100}}}`.
/// Every `messageType` is handled or deliberately ignored:
///
/// | messageType                 | what the gateway does                                           |
/// |-----------------------------|-----------------------------------------------------------------|
/// | `dataReport`                | properties (`serviceData`, or the thing-model `payload`) through the product's table |
/// | `dataReportTupUnion`        | a batch: each report as a `dataReport`, one device per push      |
/// | `eventReport`               | `eventContent` through the table; else `eventType` 3 is a fault |
/// | `deviceOnlineOfflineReport` | `eventType` 1 online, 0 offline, for the registry's `platform_id`|
/// | `commandResponse`           | ignored: an answer to a command, and the gateway sends none     |
///
/// The device is the registry's row for the push's `deviceId` (`platform_id`), else its IMEI
/// (`IMEI` or `imei`, top level or in `serviceData`). Real pushes send `"undefined"` or `""`
/// for fields they lack and numbers as text; both are read as the platform meant them.
public struct CTWingDecoder: PlatformPushDecoder {
    public static let format = PayloadFormat.ctwing

    /// What each product's properties mean.
    let thingModels: ThingModelBook

    public init(thingModels: ThingModelBook = .builtIn) {
        self.thingModels = thingModels
    }

    func decode(body fields: PushFields, message: RawMessage, context: DecodingContext) throws(Rejection)
        -> DecodeOutcome
    {
        let messageType = fields.text("messageType")
        switch messageType {
        case "dataReport"?: return try dataReport(fields, message: message, context: context)
        case "dataReportTupUnion"?: return try batch(fields, message: message, context: context)
        case "eventReport"?: return try eventReport(fields, message: message, context: context)
        case "deviceOnlineOfflineReport"?: return try onlineOffline(fields, message: message, context: context)
        case "commandResponse"?:
            // The platform's receipt for a command sent to a device; the gateway sends none.
            return .ignored
        case let other?:
            throw Rejection(.unknownType, "unsupported messageType '\(FieldNotes.shown(text: other, quoted: false))'")
        case nil:
            // Name the device problem first where there is one: it is what the operator must fix.
            _ = try device(fields, serviceData: fields.object("payload")?.object("serviceData"), context: context)
            throw Rejection(.missingField, "'messageType' is required")
        }
    }

    /// The device a report is about (see the type's comment).
    func device(
        _ fields: PushFields, serviceData: PushFields?, context: DecodingContext,
        unregistered: Rejection.Reason = .missingField
    ) throws(Rejection) -> String {
        let imei = fields.text("IMEI", "imei") ?? serviceData?.text("IMEI", "imei")
        return try PlatformDevice.resolve(
            platformID: fields.text("deviceId"), platformField: "deviceId", natural: imei, naturalField: "IMEI",
            context: context, requireIMEI: true, unregistered: unregistered)
    }

    /// The platform's time of a push in milliseconds, for stamps, and as a date.
    func time(_ fields: PushFields, notes: inout FieldNotes) -> (date: Date?, stamp: String?) {
        let date = fields.time("timestamp", orNote: &notes)
        return (date, date.map(PushFields.milliseconds))
    }
}
