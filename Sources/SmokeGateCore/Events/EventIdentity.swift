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
