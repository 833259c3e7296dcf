import Foundation

/// `dataReport` and its batch form, `dataReportTupUnion`.
extension CTWingDecoder {
    /// One report: its properties are `payload.serviceData` (classic profiles) or `payload`
    /// itself (thing-model products), read with the table of the push's `productId`.
    func dataReport(_ fields: PushFields, message: RawMessage, context: DecodingContext) throws(Rejection)
        -> DecodeOutcome
    {
        guard let payload = fields.object("payload") else {
            throw Rejection(.missingField, "'payload' is required in a dataReport")
        }
        let serviceData = payload.object("serviceData")
        let deviceID = try device(fields, serviceData: serviceData, context: context)
        var notes = FieldNotes()
        var events = PushEvents(deviceID: deviceID, format: .ctwing, condition: context.condition(deviceID))
        try read(fields, payload: payload, product: fields.text("productId"), into: &events, notes: &notes, message: message)
        return .accepted(events.message(notes: notes.list))
    }

    /// A batch of reports in one push. Each element is a report of its own (with its own
    /// `deviceId`/`IMEI`/`timestamp`/`payload`, the push's own where it has none) or a bare
    /// `serviceData`. One decoded message speaks of one detector, so a batch that names two is
    /// rejected whole, naming them; the platform's batches are per device (unconfirmed).
    func batch(_ fields: PushFields, message: RawMessage, context: DecodingContext) throws(Rejection) -> DecodeOutcome {
        guard let elements = fields.array("payload") ?? fields.array("data") else {
            // A batch of one, sent in the single form.
            return try dataReport(fields, message: message, context: context)
        }
        guard !elements.isEmpty else { throw Rejection(.missingField, "'payload' of a dataReportTupUnion is empty") }
        var notes = FieldNotes()
        var events: PushEvents?
        for (index, element) in elements.enumerated() {
            guard case .object(let object) = element else {
                throw Rejection(.invalidField, "'payload[\(index)]' must be an object, got \(element.typeName)")
            }
            let report = PushFields(Self.inheriting(fields.object, into: object), path: "payload[\(index)].")
            let payload = report.object("payload") ?? report
            let deviceID = try device(report, serviceData: payload.object("serviceData"), context: context)
            if events == nil {
                events = PushEvents(deviceID: deviceID, format: .ctwing, condition: context.condition(deviceID))
            }
            guard var current = events, current.deviceID == deviceID else {
                throw Rejection(
                    .deviceMismatch,
                    "a dataReportTupUnion must speak of one device, but names '\(events?.deviceID ?? "")' and '\(deviceID)'")
            }
            try read(report, payload: payload, product: report.text("productId"), into: &current, notes: &notes, message: message)
            events = current
        }
        guard let events else { throw Rejection(.missingField, "'payload' of a dataReportTupUnion is empty") }
        return .accepted(events.message(notes: notes.list))
    }

    /// Reads one report's properties into `events`.
    private func read(
        _ fields: PushFields, payload: PushFields, product: String?, into events: inout PushEvents,
        notes: inout FieldNotes, message: RawMessage
    ) throws(Rejection) {
        let serviceData = payload.object("serviceData")
        if serviceData == nil, payload.object["APPdata"] != nil {
            // Pass-through: the detector's own bytes in base64, which only the vendor's codec
            // reads. Rejected rather than ignored so the operator sees it: the fix is to enable
            // the product's codec (thing model) on the platform so that pushes carry properties.
            throw Rejection(
                .missingField,
                "'\(payload.path)serviceData' is required: this push carries pass-through APPdata, which only the vendor's codec can read (enable the product's thing model on the platform)"
            )
        }
        let properties = serviceData ?? payload
        let (occurredAt, stamp) = time(fields, notes: &notes)
        // Stamps of the classic profile keep their old form (`time#code`), so a platform retry
        // that straddles an upgrade is still recognised.
        try events.add(
            properties, through: thingModels.model(for: product), product: product, occurredAt: occurredAt, stamp: stamp,
            message: message, notes: &notes, codes: { $0.hasPrefix("Alarm_Status=") ? String($0.dropFirst(13)) : $0 })
    }

    /// `element` with the push's own id, time and product where it lacks them.
    static func inheriting(_ outer: JSONObject, into element: JSONObject) -> JSONObject {
        var merged = element
        for key in ["deviceId", "IMEI", "imei", "timestamp", "productId"] where element[key] == nil {
            if let value = outer[key] { merged.members.append((key, value)) }
        }
        return merged
    }
}
