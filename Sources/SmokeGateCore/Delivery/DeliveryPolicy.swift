import Foundation

/// When a delivery is retried, and when a call that has not reached people becomes an alarm
/// of its own: pure, so the timings are tested without a clock.
public enum DeliveryPolicy {
    /// How long a call may go undelivered through a receiver before the street's command
    /// centre is told (nil: never, for the notices that tell it). A fire's call is a person's
    /// phone not ringing while a building may burn: a minute. Its `ack` and `resolve`
    /// notices, five; maintenance, fifteen.
    public static func bound(priority: OutboxPriority, action: DispatchAction) -> TimeInterval? {
        switch (priority, action) {
        case (_, .callFailed): nil
        case (.fire, .notify): 60
        case (.fire, _): 300
        case (.maintenance, _): 900
        }
    }

    /// The wait before the next attempt after `attempts` failed ones: doubling from one second
    /// to a minute, so a receiver down for two minutes is tried again within a minute of its return.
    public static func backoff(afterAttempts attempts: Int) -> TimeInterval {
        min(60, pow(2, Double(max(0, min(attempts, 16)) - 1)))
    }

    /// How long a rate-limited receiver is left alone when the vendor did not say: until the
    /// next minute's window.
    public static let rateLimitPause: TimeInterval = 60
}
