/// What became of one message of a confirmed batch, and when: handed to libmosquitto (its
/// PUBLISH then leaves on the network thread) and answered by the broker's PUBACK.
public struct TimedPublish: Sendable {
    public var outcome: PublishOutcome
    public var handedAt: ContinuousClock.Instant
    /// When the broker's answer arrived; nil if none came in time.
    public var answeredAt: ContinuousClock.Instant?
}
