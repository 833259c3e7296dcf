/// A QoS 1 message handed to libmosquitto, whose PUBACK is awaited later
/// (`MQTTClient.answers(to:timeout:)`): a call may leave from the thread that stored it,
/// while the dispatcher waits for the broker's answer.
public struct HandedPublish: Sendable {
    /// Its message id, or why libmosquitto would not take it.
    public var messageID: Result<Int32, MQTTError>
    /// Just before it was handed: an answer older than this is to an earlier use of the id.
    public var before: ContinuousClock.Instant
    /// When libmosquitto had it (its PUBLISH then leaves on the network thread).
    public var handedAt: ContinuousClock.Instant
}
