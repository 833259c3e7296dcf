import CMosquitto
import Foundation

/// What became of one message published at QoS 1, as far as anyone can tell: a dispatcher
/// marks a call sent only on `confirmed`.
public enum PublishOutcome: Sendable, Equatable {
    /// The broker acknowledged it and has it (PUBACK reason 0x00, or 0x10 "no matching
    /// subscribers": taken, with nobody listening yet).
    case confirmed
    /// The broker (a PUBACK reason of 0x80 or above, which only MQTT 5 can carry) or
    /// libmosquitto (a topic or payload it cannot send) refused it: sent again as it is, it
    /// is refused again until the broker's ACL or the configuration changes.
    case refused(PublishRefusal)
    /// No answer in the time allowed, or never handed over (no connection): it may have arrived.
    case unconfirmed
}
