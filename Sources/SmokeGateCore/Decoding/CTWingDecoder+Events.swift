import Foundation

/// `eventReport` and `deviceOnlineOfflineReport`.
extension CTWingDecoder {
    /// What an `eventReport`'s `eventType` means when its `eventContent` says nothing the
    /// product's table knows: 1 information (proof of life), 3 a fault. A warning (2) the
    /// table cannot read might be anything, smoke included, so it is rejected where the
    /// operator sees it rather than guessed at.
    static let eventTypes: [Int: ThingMeaning] = [1: .event(.heartbeat), 3: .event(.fault)]

    func eventReport(_ fields: PushFields, message: RawMessage, context: DecodingContext) throws(Rejection)
        -> DecodeOutcome
    {
        let content = fields.object("eventContent")
        let deviceID = try device(fields, serviceData: content, context: context)
        let product = fields.text("productId")
        guard let eventType = fields.integer("eventType") else {
            throw Rejection(.missingField, "'eventType' is required in an eventReport")
        }
        var notes = FieldNotes()
        let (occurredAt, stamp) = time(fields, notes: &notes)
        var events = PushEvents(deviceID: deviceID, format: .ctwing, condition: context.condition(deviceID))
        var condition = events.condition
        let report = content.map { thingModels.model(for: product).read($0, condition: &condition, notes: &notes) }
        var kinds = report?.events.map(\.kind) ?? []
        if kinds.isEmpty {
            guard let meaning = Self.eventTypes[eventType] else {
                let what = report?.unknown.first.map { "unknown code \($0)" } ?? "an eventContent no thing model knows"
                throw Rejection(.unknownType, "eventReport of eventType \(eventType) with \(what)")
            }
            kinds = ThingModel.event(for: meaning, condition: condition).map { [$0] } ?? []
        }
        let codes = ["eventType=\(eventType)"] + (report?.stateCodes ?? [])
        events.add(
            kinds, reading: report?.reading ?? DeviceReading(), occurredAt: occurredAt,
            identity: PushEvents.identity(stamp: stamp, codes: codes, message: message))
        return .accepted(events.message(notes: notes.list))
    }

    /// The platform saw the device come (`eventType` 1) or go (0). The push names only the
    /// platform's `deviceId`, so it counts only for a detector registered with that
    /// `platform_id`; for any other it is rejected with that reason.
    func onlineOffline(_ fields: PushFields, message: RawMessage, context: DecodingContext) throws(Rejection)
        -> DecodeOutcome
    {
        let kind: EventKind
        switch fields.integer("eventType") {
        case 1?: kind = .online
        case 0?: kind = .offline
        case let other?: throw Rejection(.unknownType, "unknown eventType \(other) in a deviceOnlineOfflineReport")
        case nil: throw Rejection(.missingField, "'eventType' is required in a deviceOnlineOfflineReport")
        }
        guard fields.text("deviceId") != nil || fields.text("IMEI", "imei") != nil else {
            throw Rejection(.missingField, "'deviceId' is required in a deviceOnlineOfflineReport")
        }
        let deviceID = try device(fields, serviceData: nil, context: context, unregistered: .unroutable)
        var notes = FieldNotes()
        let (occurredAt, stamp) = time(fields, notes: &notes)
        var events = PushEvents(deviceID: deviceID, format: .ctwing, condition: context.condition(deviceID))
        events.add(
            [kind], reading: DeviceReading(), occurredAt: occurredAt,
            identity: PushEvents.identity(stamp: stamp, codes: [kind.rawValue], message: message))
        return .accepted(events.message(notes: notes.list))
    }
}
