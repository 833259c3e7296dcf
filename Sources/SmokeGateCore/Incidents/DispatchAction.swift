/// What a dispatched message asks of the unit that receives it; the contract's `action`.
public enum DispatchAction: String, Sendable, Codable {
    /// You are called: respond.
    case notify
    /// Someone has acknowledged an incident you were called for.
    case ack
    /// The incident you were called for is over.
    case resolve
    /// To a street's command centre: a call about this incident could not be delivered to
    /// the people it was for (a receiver refused it for good, or retries ran past their bound).
    case callFailed = "call_failed"
}
