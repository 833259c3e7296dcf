import Foundation

/// Turns what a platform push's properties said into events: the same for every platform,
/// so a battery that comes back, a stamp, and the notes work alike in each.
struct PushEvents {
    let deviceID: String
    let format: PayloadFormat
    var events: [DetectorEvent] = []
    var reading = DeviceReading()
    /// The detector's condition as the events so far leave it.
    var condition: DeviceCondition

    init(deviceID: String, format: PayloadFormat, condition: DeviceCondition) {
        self.deviceID = deviceID
        self.format = format
        self.condition = condition
    }

    /// Adds one report's events (`kinds`), and a `battery_restored` when its battery reading
    /// says a low battery is good again. `identity` is the report's; `occurredAt` its time.
    mutating func add(
        _ kinds: [EventKind], reading: DeviceReading, occurredAt: Date?, identity: EventIdentity
    ) {
        var kinds = kinds
        if !kinds.contains(.lowBattery), !kinds.contains(.batteryRestored), let battery = reading.battery,
            battery >= DeviceReading.restoredPercent, condition.contains(.batteryLow)
        {
            kinds.append(.batteryRestored)
        }
        for kind in kinds {
            condition = condition.applying(kind)
            events.append(
                DetectorEvent(
                    deviceID: deviceID, kind: kind, format: format, occurredAt: occurredAt, identity: identity,
                    reading: reading))
        }
        self.reading = self.reading.updated(with: reading)
    }

    /// Reads one report's `properties` through `model` (rejecting a state it cannot read) and
    /// adds what they say, identified by the platform's `stamp` with every state code
    /// (`codes` may rewrite how each is written into the identity).
    mutating func add(
        _ properties: PushFields, through model: ThingModel, product: String?, occurredAt: Date?, stamp: String?,
        message: RawMessage, notes: inout FieldNotes, codes: (String) -> String = { $0 }
    ) throws(Rejection) {
        var condition = self.condition
        let report = model.read(properties, condition: &condition, notes: &notes)
        try report.check(properties: properties, product: product)
        add(
            report.events.map(\.kind), reading: report.reading, occurredAt: occurredAt,
            identity: Self.identity(stamp: stamp, codes: report.stateCodes.map(codes), message: message))
    }

    /// The decoded message, every event carrying the message's notes.
    func message(notes: [String]) -> DecodedMessage {
        var events = events
        for index in events.indices { events[index].notes = notes }
        return DecodedMessage(deviceID: deviceID, format: format, events: events, reading: reading, notes: notes)
    }

    /// A stamp made of the platform's own time (or message id) and the codes it reported, or
    /// the payload's digest where the platform sent no time. A retried push repeats both, so
    /// it is the same event; a new one differs in its time.
    static func identity(stamp: String?, codes: [String], message: RawMessage) -> EventIdentity {
        guard let stamp else { return .payloadDigest(message.digest) }
        return .stamped(stamp + "#" + codes.joined(separator: ","))
    }
}
