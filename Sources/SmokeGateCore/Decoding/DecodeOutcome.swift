/// The result of decoding one message.
public enum DecodeOutcome: Sendable, Equatable {
    /// The message speaks of a detector.
    case accepted(DecodedMessage)
    /// The message is legitimate traffic that is not about a detector (a bridge's own state).
    case ignored
    /// The message is kept aside with the reason.
    case rejected(Rejection)
}
