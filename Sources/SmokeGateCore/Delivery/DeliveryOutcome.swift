import Foundation

/// What one attempt to hand a call to a receiver came to, decided from the vendor's documented
/// answer codes, not from the HTTP status alone (the chat robots answer 200 with an error code).
public enum DeliveryOutcome: Sendable, Equatable {
    /// The vendor took it. `detail` is its receipt (a message id, an SMS BizId), if any.
    case delivered(detail: String?)
    /// Not taken, nothing reached anyone: try again after a backoff (busy, 5xx, no connection).
    case retryLater(String)
    /// The vendor's rate limit: wait until `until` (its `Retry-After`, or the documented
    /// window) and send what waits then, merged where the receiver merges.
    case rateLimited(until: Date?, String)
    /// Refused for good (a bad key, a removed robot, a refused signature): sending again cannot
    /// help until someone fixes the configuration; the street is told at once.
    case refused(String)
    /// Sent, but whether it arrived is unknown (the answer was lost or came too late). A text
    /// or a call is never sent again blindly; the street is told.
    case unknown(String)

    /// The word stored and shown for it.
    public var name: String {
        switch self {
        case .delivered: "delivered"
        case .retryLater: "retry"
        case .rateLimited: "rate_limited"
        case .refused: "refused"
        case .unknown: "unknown"
        }
    }

    /// The vendor's words or the transport's error, for the timeline and `show`.
    public var detail: String? {
        switch self {
        case .delivered(let detail): detail
        case .retryLater(let why), .refused(let why), .unknown(let why): why
        case .rateLimited(_, let why): why
        }
    }
}
