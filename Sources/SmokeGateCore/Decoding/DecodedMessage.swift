/// What one accepted message says about one detector.
public struct DecodedMessage: Sendable, Equatable {
    public var deviceID: String
    public var format: PayloadFormat
    /// Events that must be stored before anything acts on them; empty when the message is
    /// only proof of life (a heartbeat, or a Zigbee2MQTT state that changed nothing). A
    /// heartbeat whose battery reading ends a low battery carries a `batteryRestored` event.
    public var events: [DetectorEvent]
    public var reading: DeviceReading
    /// The detector's whole condition where the format reports whole states; nil where the
    /// condition follows from the events alone.
    public var condition: DeviceCondition?
    /// Optional fields dropped while decoding, each as "field: why" (see `DetectorEvent.notes`);
    /// counted as rejected readings even when the message is only a heartbeat.
    public var notes: [String]

    public init(
        deviceID: String, format: PayloadFormat, events: [DetectorEvent] = [], reading: DeviceReading = DeviceReading(),
        condition: DeviceCondition? = nil, notes: [String] = []
    ) {
        self.notes = notes
        self.deviceID = deviceID
        self.format = format
        self.events = events
        self.reading = reading
        self.condition = condition
    }

    /// Whether the message only proves the detector alive: it has no events (so a heartbeat
    /// that restores the battery is not one, and is committed like any event).
    public var isHeartbeat: Bool { events.isEmpty }

    /// The detector's condition once this message has been applied to `previous`.
    public func condition(after previous: DeviceCondition) -> DeviceCondition {
        condition ?? events.reduce(previous) { $0.applying($1.kind) }
    }
}
