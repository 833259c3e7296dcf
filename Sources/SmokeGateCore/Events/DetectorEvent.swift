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

/// How a redelivered message is recognised. Deduplication may only drop what is certainly a
/// redelivery (contract field rule 4), so a stamp is used only where its source guarantees it
/// names one event; otherwise the identity is the payload's bytes.
public enum EventIdentity: Sendable, Equatable, Hashable {
    /// A stamp that names one event: CTWing's platform timestamp with the status code, or the
    /// moment a Zigbee2MQTT transition arrived. Equal means the same event. Never a native
    /// detector's own `ts`/`seq`: its counter restarts on reboot and its clock may be unset.
    case stamped(String)
    /// Only the payload's bytes (every native event; a CTWing push without a timestamp). The
    /// same bytes again may be a new event (a restarted detector sends `{"type":"alarm",
    /// "seq":7}` again), so the store takes a match for a redelivery only where it certainly
    /// is one: a repeat of the detector's last stored event at the start of a broker session.
    case payloadDigest(UInt64)

    /// The text stored in the database's deduplication column.
    public var key: String {
        switch self {
        case .stamped(let stamp): "s:" + stamp
        case .payloadDigest(let digest): "h:" + String(digest, radix: 16)
        }
    }
}

/// The measurements that travel with a message; each is nil when the payload lacks it.
public struct DeviceReading: Sendable, Equatable {
    /// Battery charge in percent.
    public var battery: Int?
    /// Signal strength as the network reports it (RSSI in dBm, link quality, RSRP).
    public var signal: Int?
    public var smoke: Double?
    public var temperature: Double?

    public init(battery: Int? = nil, signal: Int? = nil, smoke: Double? = nil, temperature: Double? = nil) {
        self.battery = battery
        self.signal = signal
        self.smoke = smoke
        self.temperature = temperature
    }

    /// The readings of `newer`, falling back to these where `newer` has none.
    public func updated(with newer: DeviceReading) -> DeviceReading {
        DeviceReading(
            battery: newer.battery ?? battery, signal: newer.signal ?? signal,
            smoke: newer.smoke ?? smoke, temperature: newer.temperature ?? temperature)
    }
}
