import Foundation

/// One normalised fact from one detector.
public struct DetectorEvent: Sendable, Equatable {
    public var deviceID: String
    public var kind: EventKind
    public var format: PayloadFormat
    /// When the detector says it happened; nil when the payload carried no time.
    public var occurredAt: Date?
    /// The detector's own sequence number, where it sends one: data, never the event's
    /// identity (a counter starts again when the detector reboots).
    public var sequence: Int64?
    /// What tells a QoS 1 redelivery apart from a new event; see `EventIdentity`.
    public var identity: EventIdentity
    public var reading: DeviceReading
    /// Optional fields the payload carried but the decoder dropped (out of range, wrong type,
    /// a time without a zone), each as "field: why"; kept on the event's row. Only the kind is
    /// required, so a bad reading never costs the event.
    public var notes: [String]

    public init(
        deviceID: String, kind: EventKind, format: PayloadFormat, occurredAt: Date? = nil,
        sequence: Int64? = nil, identity: EventIdentity, reading: DeviceReading = DeviceReading(), notes: [String] = []
    ) {
        self.notes = notes
        self.deviceID = deviceID
        self.kind = kind
        self.format = format
        self.occurredAt = occurredAt
        self.sequence = sequence
        self.identity = identity
        self.reading = reading
    }
}
